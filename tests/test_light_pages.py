"""Light pages (issue 20): small fonts that draw every character, faces that do not shift the
page, one stylesheet without an ``@import`` chain, and precompressed copies that are the same
files. Every assertion is on the built site's bytes; nothing here times anything."""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import urllib.request
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from generator.dev.first_step import accepted_encodings, serving
from generator.outputs import paths
from generator.outputs.precompress import (
    CODINGS,
    MIN_SIZE,
    TEXT_SUFFIXES,
    decompress,
    precompressed,
)
from generator.outputs.web.html_fixes import name_search_dialog
from generator.outputs.web.webfonts import (
    FALLBACKS,
    PRELOADED,
    average_width,
    line_box,
    woff2_name,
)
from generator.sources.fonts import FACES, FAMILY

LANGUAGE_FOLDERS = ("", "de/")
"""The site of each language the shared build makes: the sources' at the top."""

ZIP_PATH = "downloads/backrack-exercises-offline.zip"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.is_file())


def shown_characters(text: str) -> set[str]:
    """Return the characters of ``text`` a font must draw (spaces and controls aside)."""
    return {c for c in html.unescape(text) if unicodedata.category(c)[0] not in ("Z", "C")}


def font_cmap(data: bytes) -> set[int]:
    with TTFont(io.BytesIO(data)) as font:
        assert font.flavor == "woff2"
        assert font["head"].unitsPerEm == 1000 and len(font.getGlyphOrder()) > 200
        return set(font.getBestCmap())


@pytest.mark.parametrize("folder", LANGUAGE_FOLDERS)
def test_web_fonts_are_woff2_that_draw_every_character_of_every_page(
    built: Path, folder: str
) -> None:
    """Every character of every page, its search index and its API file (titles, labels, the
    theme's words and scripts included) is in every face: none falls back silently."""
    site = built / folder
    fonts = site / paths.FONTS
    assert sorted(p.name for p in fonts.iterdir() if p.suffix not in CODINGS) == sorted(
        [*(woff2_name(n) for n in FACES.values()), "LICENSE.txt"]
    )  # no TrueType file on the web: the PDFs embed those
    covered = {name: font_cmap((fonts / woff2_name(name)).read_bytes()) for name in FACES.values()}
    own = [p for p in pages(site) if p.relative_to(site).parts[0] not in ("de",)]
    texts = {p: p.read_text(encoding="utf-8") for p in own}
    for extra in ("search/search_index.json", paths.API):
        data = json.loads((site / extra).read_text("utf-8"))
        texts[site / extra] = json.dumps(data, ensure_ascii=False)
    assert len(texts) > 10
    for page, text in texts.items():
        for name, cmap in covered.items():
            missing = sorted(c for c in shown_characters(text) if ord(c) not in cmap)
            assert missing == [], (page.relative_to(built), name, missing)


def test_the_web_fonts_are_smaller_than_the_truetype_files_and_the_same_offline(
    built: Path,
) -> None:
    from generator.sources.fonts import font_files

    full = font_files()
    with zipfile.ZipFile(built / ZIP_PATH) as archive:
        for name in FACES.values():
            web = (built / paths.FONTS / woff2_name(name)).read_bytes()
            assert len(web) < len(full[name]) / 2, name
            assert archive.read(f"backrack-exercises/{paths.FONTS}/{woff2_name(name)}") == web


def _rules(css: str) -> list[dict[str, str]]:
    rules = []
    for body in re.findall(r"@font-face\s*\{([^}]*)\}", css):
        found = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                key, _, value = declaration.partition(":")
                found[key.strip()] = value.strip()
        rules.append(found)
    return rules


def _percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1]) / 100


def test_font_faces_are_woff2_swapped_over_metric_matched_fallbacks(built: Path) -> None:
    """The family's faces are WOFF2 shown with ``swap``; each local fallback is scaled so that
    its letters are as wide and its line box as tall as the family's (no shift at the swap)."""
    css = (built / "assets/backrack.css").read_text(encoding="utf-8")
    rules = _rules(css)
    family = [r for r in rules if r["font-family"] == f'"{FAMILY}"']
    assert len(family) == len(FACES)
    for rule in family:
        assert rule["font-display"] == "swap"
        url = re.fullmatch(r'url\("([^"]+)"\) format\("woff2"\)', rule["src"])
        assert url is not None, rule
        assert (built / "assets" / url.group(1)).is_file()
    fallbacks = [r for r in rules if r not in family]
    assert len(fallbacks) == 2 * len(FALLBACKS)
    for rule in fallbacks:
        assert rule["src"].startswith("local(")
        bold = rule["font-weight"] == "700"
        box = line_box(FACES[("bold" if bold else "normal", "normal")])
        scale = _percent(rule["size-adjust"])
        fallback = next(f for f in FALLBACKS if f'"{f.family}"' == rule["font-family"])
        assert scale * (fallback.bold_width if bold else fallback.width) == pytest.approx(
            box.width, rel=1e-3
        )
        # Scaled, the fallback's line box is the family's: ascent 0.95 em, descent 0.29 em.
        assert _percent(rule["ascent-override"]) * scale == pytest.approx(box.ascent, rel=1e-3)
        assert _percent(rule["descent-override"]) * scale == pytest.approx(box.descent, rel=1e-3)
        assert _percent(rule["line-gap-override"]) == 0
    names = [f'"{FAMILY}"', *(f'"{f.family}"' for f in FALLBACKS)]
    assert f"--md-text-font: {', '.join(names)};" in css


@pytest.mark.parametrize("fallback", FALLBACKS, ids=lambda f: f.family)
def test_the_fallback_widths_are_those_of_the_installed_fonts(fallback: object) -> None:
    """Measure the fallbacks again on the fonts ``scripts/system-packages test`` installs:
    Liberation Sans (Arial's metric twin: the same advance widths) and DejaVu Sans."""
    from generator.outputs.web.webfonts import Fallback

    assert isinstance(fallback, Fallback)
    found = {p.stem: p for p in Path("/usr/share/fonts/truetype").rglob("*.ttf")}

    def first(names: tuple[str, ...]) -> Path:
        stems = [n.replace(" ", "") for n in names]
        stems += [f"{stem}-Regular" for stem in stems] + [s.replace("Bold", "-Bold") for s in stems]
        hit = next((found[s] for s in stems if s in found), None)
        assert hit is not None, f"none of {names} is installed: run scripts/system-packages test"
        return hit

    with TTFont(first(fallback.regular)) as font:
        assert average_width(font) == pytest.approx(fallback.width, abs=5e-4)
    with TTFont(first(fallback.bold)) as font:
        assert average_width(font) == pytest.approx(fallback.bold_width, abs=5e-4)


def test_pages_load_one_stylesheet_of_their_own_without_an_import_chain(built: Path) -> None:
    """No stylesheet imports another (found only once the first has arrived), and the faces of
    the first screen are preloaded, with ``crossorigin`` as fonts are fetched."""
    for css in sorted(built.rglob("*.css")):
        rules = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        assert "@import" not in rules, css
    assert not (built / "assets/palette.css").exists()
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        if 'class="md-header' not in text:
            continue  # an embed: its styles are inline
        own = re.findall(r'<link rel="stylesheet" href="([^"]*backrack\.css)"', text)
        assert len(own) == 1, page
        preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font"[^>]*>', text)
        assert [Path(p).name for p in preloads] == [woff2_name(n) for n in PRELOADED], page
        for link in re.findall(r'<link rel="preload"[^>]*>', text):
            assert " crossorigin" in link and 'type="font/woff2"' in link, page
        for href in preloads:  # relative, or from the site's root (404.html)
            found = built / href.lstrip("/") if href.startswith("/") else page.parent / href
            assert found.resolve().is_file(), (page, href)


def test_the_search_dialog_is_named_in_the_pages_language(built: Path) -> None:
    for folder, name in (("", "Search"), ("de/", "Suche")):
        text = (built / folder / "index.html").read_text(encoding="utf-8")
        assert 'role="dialog" aria-label="' + name + '"' in text
    assert name_search_dialog("<p>no search</p>") == "<p>no search</p>"


def test_precompressed_siblings_decompress_to_their_originals(built: Path) -> None:
    """Every ``.gz`` and ``.br`` beside a file is that file, compressed; gzip carries no time."""
    siblings = sorted(p for p in built.rglob("*") if p.suffix in CODINGS and p.is_file())
    assert len(siblings) > 100
    for sibling in siblings:
        original = sibling.with_suffix("")
        data = sibling.read_bytes()
        assert decompress(sibling.name, data) == original.read_bytes(), sibling
        if sibling.suffix == ".gz" and sibling.name != "sitemap.xml.gz":  # mkdocs' own: dated
            assert data[4:8] == b"\0\0\0\0", sibling


def test_every_text_file_worth_it_has_both_siblings(built: Path) -> None:
    """Pages, embeds, diagrams, styles, scripts, the search index and the API, in each
    language; images, PDFs, fonts and zips are compressed already and get none."""
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        name = path.relative_to(built).as_posix()
        if name.endswith(tuple(CODINGS)):
            assert name.removesuffix(path.suffix).endswith(TEXT_SUFFIXES), name
            continue
        if name.endswith(TEXT_SUFFIXES) and path.stat().st_size >= 4 * MIN_SIZE:
            for suffix in CODINGS:
                assert (built / (name + suffix)).is_file(), name + suffix
    for name in ("index.html", "de/embed/stomach-crunch.html", "diagrams/stomach-crunch/lift.svg"):
        assert (built / (name + ".br")).is_file() or not (built / name).exists(), name


def test_the_offline_copy_holds_no_compressed_siblings(built: Path) -> None:
    """Opened from a folder, nothing would send them: the zip stays as small as it was."""
    with zipfile.ZipFile(built / ZIP_PATH) as archive:
        extra = [n for n in archive.namelist() if n.endswith(tuple(CODINGS))]
    assert extra == ["backrack-exercises/sitemap.xml.gz"]  # mkdocs' own


def test_precompressed_is_deterministic_and_leaves_small_and_binary_files_alone() -> None:
    big = ("<p>" + "backrack™ Übung " * 200 + "</p>").encode()
    files = {
        "a.html": big,
        "small.css": b"p{}",
        "b.png": big,
        "sitemap.xml.gz": b"x",
        "sitemap.xml": big,
    }
    made = precompressed(files)
    assert sorted(made) == ["a.html.br", "a.html.gz", "sitemap.xml.br"]
    assert made == precompressed(dict(reversed(files.items())))
    assert decompress("a.html.br", made["a.html.br"]) == big


def test_the_server_sends_a_sibling_to_a_browser_that_accepts_it(tmp_path: Path) -> None:
    page = b"<!doctype html><title>x</title>" + b"<p>text</p>" * 300
    (tmp_path / "index.html").write_bytes(page)
    for name, data in precompressed({"index.html": page}).items():
        (tmp_path / name).write_bytes(data)
    assert accepted_encodings("gzip, deflate, br;q=0") == {"gzip", "deflate"}
    with serving(tmp_path) as origin:
        for accept, coding in (("br, gzip", "br"), ("gzip", "gzip"), ("identity", None)):
            request = urllib.request.Request(f"{origin}/", headers={"Accept-Encoding": accept})
            with urllib.request.urlopen(request) as answer:
                body = answer.read()
                assert answer.headers["Content-Encoding"] == coding
                assert answer.headers["Content-Type"].startswith("text/html")
            suffix = {"br": ".br", "gzip": ".gz"}.get(coding or "")
            assert (decompress(f"x{suffix}", body) if suffix else body) == page
