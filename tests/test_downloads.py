"""The downloads page: every printable file the build made, and the offline copy, each linked
with its true size and its use; the offline copy holds the cards.

Read from the shared build of the real project, in every language it makes.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import REPO, settings_for

from generator.outputs import paths
from generator.outputs.web.downloads import display_size, download_groups
from generator.outputs.words import ENGLISH_SPEECH, Speech, speaking
from generator.settings import Settings
from generator.sources.validate import load_catalogue
from generator.translations.apply import translation

LANGUAGES = ["", "de/"]
"""The language folders of the shared build (English at the root, German below de/)."""


class _Links(HTMLParser):
    """The links of a page's content (its <article>), with the text that follows each."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if tag == "a" and self._open is not None:
            self._finish()
        if tag == "a" and self.depth:
            self._href = dict(attrs).get("href") or ""
            self._open = []
        if tag == "li" and self._open is not None:
            self._finish()

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        if tag in ("li", "ul", "article") and self._open is not None:
            self._finish()

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def _finish(self) -> None:
        assert self._open is not None
        self.links.append((self._href, " ".join("".join(self._open).split())))
        self._open = None


def page_links(page: Path) -> list[tuple[str, str]]:
    """Return each content link of a page: its target and the text from it to its item's end."""
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    return parser.links


def targets(site: Path, page: str) -> dict[str, str]:
    """Return the site files a page links to (relative to the site folder), with their texts."""
    base = f"https://site.invalid/{page}"
    found = {}
    for href, text in page_links(site / page):
        absolute = urljoin(base, href)
        if absolute.startswith("https://site.invalid/"):
            found[absolute.removeprefix("https://site.invalid/")] = text
    return found


def offered(site: Path, language: str) -> set[str]:
    """Return every file of a language's site the downloads page must offer: the cards (each
    kind), the publications' printed files and the offline copy."""
    folder = site / language
    kinds = [folder / "cards", folder / "print", folder / "downloads"]
    return {
        p.relative_to(site).as_posix()
        for kind in kinds
        for p in kind.rglob("*")
        if p.is_file() and p.suffix in (".pdf", ".zip")
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_downloads_page_links_every_printed_file_with_its_true_size(
    built: Path, language: str
) -> None:
    linked = targets(built, f"{language}downloads/index.html")
    files = offered(built, language)
    assert files, "the build made no printable file"
    assert {f for f in files if f.endswith(".zip")}, "no offline copy"
    assert {f for f in files if "/print/" in f or f.startswith("print/")}
    assert files <= set(linked), f"built but not offered: {sorted(files - set(linked))}"
    assert set(linked) <= files, f"offered but not built: {sorted(set(linked) - files)}"
    with speaking(speech_of(language)):
        for path, text in linked.items():
            size = display_size((built / path).stat().st_size)
            assert f", {size})" in text, f"{path}: the page says {text!r}, the file is {size}"


def speech_of(language: str) -> Speech:
    """Return the words of a language folder's pages (German writes sizes 1,1 MB)."""
    if not language:
        return ENGLISH_SPEECH
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    return translation(REPO, catalogue, language.rstrip("/")).speech


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_leads_to_the_downloads_page(built: Path, language: str) -> None:
    home = targets(built, f"{language}index.html")
    assert f"{language}downloads/" in home
    nav = (built / language / "exercises/stomach-crunch/index.html").read_text("utf-8")
    assert 'href="../../downloads/"' in nav


def test_the_offline_copy_holds_every_card_and_its_pages_lead_to_them(built: Path) -> None:
    data = (built / paths.OFFLINE_ZIP).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {n.split("/", 1)[1]: n for n in archive.namelist()}
        catalogue, _ = load_catalogue(REPO)
        assert catalogue is not None
        for exercise in catalogue.published:
            card = paths.card(exercise.id)
            assert card in names, f"the offline copy lacks {card}"
            assert archive.read(names[card]) == (built / card).read_bytes()
            page = archive.read(names[paths.page_file(exercise.id, offline=True)]).decode()
            assert f'href="../{card}"' in page, f"{exercise.id}: the offline page has no card link"
        listing = archive.read(names["downloads/index.html"]).decode()
    linked = set(re.findall(r'href="\.\./(cards/[^"]+)"', listing))
    assert linked == {paths.card(e.id) for e in catalogue.published}
    assert "print/" not in re.sub(r"<(header|nav|footer)\b.*?</\1>", "", listing, flags=re.S)


def test_a_placeholder_address_offers_no_print_shop_file() -> None:
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    placeholder = Settings(REPO, "https://exercises.example.invalid/", 1764547200)
    real = settings_for(REPO)
    assert placeholder.placeholder and not real.placeholder
    with speaking(ENGLISH_SPEECH):
        shop = {
            f.path
            for g in download_groups(catalogue, placeholder, None, False)
            for f in g.files
            if paths.for_print_shop(f.path)
        }
        assert not shop
        offered_real = {
            f.path for g in download_groups(catalogue, real, None, False) for f in g.files
        }
    assert any(paths.for_print_shop(p) for p in offered_real)


def test_sizes_read_as_the_language_writes_them() -> None:
    with speaking(ENGLISH_SPEECH):
        assert display_size(64_443) == "64 KB"
        assert display_size(1_149_000) == "1.1 MB"
        assert display_size(12) == "1 KB"
