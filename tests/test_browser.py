"""The built website checked with tools nobody here wrote, in a real browser.

- axe-core (npm ``axe-core``) in headless Chromium on every page: no violation
  of WCAG 2.2 level A or AA;
- every request a page makes is recorded: none may leave the site's origin;
- the Nu Html Checker (npm ``vnu-jar``, run on Java): no errors;
- a link check of the whole site: no broken internal link or anchor.

Chromium comes from Debian (``apt-get install chromium``) and is driven by
Playwright with that executable. Where it is missing these tests skip; with
``BACKRACK_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser fails.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from conftest import SITE_URL, need

from generator.dev.first_step import serving
from generator.sources.validate import load_catalogue

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def site(built: Path) -> Path:
    """Return the site folder of the shared build of the real project."""
    return built


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """Serve the built site on localhost; yield its origin."""
    with serving(site) as origin:
        yield origin


def page_paths() -> list[str]:
    """Return the URL path of every page the checks visit."""
    catalogue, problems = load_catalogue(REPO)
    assert catalogue is not None, problems
    sections = [f"/sections/{info.id}/" for info, found in catalogue.sections() if found]
    exercises = [f"/exercises/{e.id}/" for e in catalogue.published]
    embeds = [f"/embed/{e.id}.html" for e in catalogue.published]
    english = ["/", "/important-information/", "/exercises/", "/downloads/", "/partner-api/"]
    english += sections
    english += [*exercises, *embeds]
    return [*english, *(f"/{language}{path}" for language in TRANSLATED for path in english)]


TRANSLATED = sorted(p.stem for p in (REPO / "content" / "translations").glob("*.po"))
"""The languages the real content is translated into (a preview builds them, below
``/<language>/``)."""


def _describe(violations: list[dict[str, object]]) -> str:
    lines = []
    for violation in violations:
        nodes = violation.get("nodes", [])
        targets = [n.get("target") for n in nodes][:3] if isinstance(nodes, list) else []
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", page_paths())
def test_page_has_no_accessibility_violation_and_stays_on_its_origin(
    browser: object, server: str, path: str
) -> None:
    need(AXE.is_file(), "axe-core (make test runs npm ci)")
    requests: list[str] = []
    # The checker is let past the page's own Content-Security-Policy (an embed allows only its
    # own script, by hash): axe is ours, not the page's.
    page = browser.new_page(bypass_csp=True)  # type: ignore[attr-defined]
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + path, wait_until="networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    page.close()
    assert result["violations"] == [], _describe(result["violations"])
    assert requests, "the page made no request at all"
    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob")]
    foreign = [u for u in foreign if not u.startswith(server + "/")]
    # The language switch reads each language's sitemap at the site's own address (absolute,
    # as hreflang needs): served from there, that is this origin.
    foreign = [u for u in foreign if not u.startswith(SITE_URL)]
    assert foreign == [], f"requests to other origins: {foreign}"


def test_every_page_says_its_language_and_links_the_same_page_in_every_other(
    browser: object, server: str
) -> None:
    """``lang`` on every page, one ``hreflang`` link per language to the same page, and the
    language switch (mkdocs-material's) offering the same links, read from the rendered DOM."""
    languages = ["en", *TRANSLATED]
    pages = [p for p in page_paths() if not p.removeprefix("/de").startswith("/embed/")]
    page = browser.new_page()  # type: ignore[attr-defined]
    for path in pages:
        language = next((code for code in TRANSLATED if path.startswith(f"/{code}/")), "en")
        own = path.removeprefix(f"/{language}") if language != "en" else path
        page.goto(server + path, wait_until="load")
        assert page.evaluate("document.documentElement.lang") == language, path
        expected = {
            code: SITE_URL + ("" if code == "en" else f"{code}/") + own.lstrip("/")
            for code in languages
        }
        links = page.evaluate(
            "[...document.querySelectorAll('link[rel=alternate][hreflang]')]"
            ".map(l => [l.hreflang, l.getAttribute('href')])"
        )
        assert dict(links) == expected and len(links) == len(languages), path
        switch = page.evaluate(
            "[...document.querySelectorAll('.md-select__link')]"
            ".map(a => [a.hreflang, a.getAttribute('href'), a.textContent.trim()])"
        )
        assert {code: href for code, href, _ in switch} == expected, path
        assert {name for _, _, name in switch} >= {"English", "Deutsch"}, path
    page.close()


PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.parametrize(
    "path", [p for p in page_paths() if p.startswith("/exercises/") and p != "/exercises/"]
)
def test_printing_an_exercise_page_gives_a_short_handout_with_its_warnings(
    browser: object, server: str, path: str, tmp_path: Path
) -> None:
    need(PDFTOTEXT is not None, "pdftotext (poppler-utils)")
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + path, wait_until="networkidle")
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    pages = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    text = " ".join(" ".join(pages).split())
    assert len([p for p in pages if p.strip()]) <= 2, f"{len(pages)} pages"
    assert "Ask your doctor first" in text and "WARNING" in text
    assert text.index("Ask your doctor first") < text.index("1. ")
    assert "Table of contents" not in text and "Made with" not in text


# --- the Nu Html Checker ----------------------------------------------------------------------

VNU_FILTERED: dict[str, str] = {}
"""Messages of vnu that are false positives, with the reason they are filtered."""


def test_every_page_is_valid_html(site: Path) -> None:
    need(JAVA is not None, "Java")
    need(VNU.is_file(), "vnu.jar (make test runs npm ci)")
    pages = sorted(str(p) for p in site.rglob("*.html"))
    run = subprocess.run(
        [str(JAVA), "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr)["messages"]
    errors = [
        f"{Path(urlsplit(m['url']).path).relative_to(site)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" and m["message"] not in VNU_FILTERED
    ]
    assert errors == [], "\n".join(errors)


# --- links ------------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        for name in ("href", "src"):
            value = found.get(name)
            if value and not (tag == "link" and found.get("rel") in ("canonical", "alternate")):
                self.links.append(value)


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, page: Path, link: str) -> tuple[Path | None, str]:
    """Return the file an internal link points to (None for another site) and its fragment."""
    base = "/" + page.relative_to(site).as_posix()
    url, fragment = urldefrag(urljoin(base, link))
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, fragment
    path = site / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, fragment


def broken_links(site: Path) -> tuple[int, list[str]]:
    """Return how many internal links the site has, and the broken ones."""
    broken = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        for link in _parse(page).links:
            if link.startswith(("mailto:", "tel:")):
                continue
            target, fragment = _target(site, page, link)
            if target is None:
                continue
            checked += 1
            where = f"{page.relative_to(site)} → {link}"
            if not target.is_file():
                broken.append(f"{where}: no such file")
            elif fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                broken.append(f"{where}: no element with id '{fragment}'")
    return checked, broken


def test_no_internal_link_is_broken(site: Path) -> None:
    checked, broken = broken_links(site)
    assert checked > 100
    assert broken == [], "\n".join(broken)


# --- the offline copy -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Unzip the offline copy the build made; return its folder."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(site / "downloads" / "backrack-exercises-offline.zip") as archive:
        archive.extractall(target)
    return target / "backrack-exercises"


def test_the_offline_copy_has_no_broken_link(offline: Path) -> None:
    checked, broken = broken_links(offline)
    assert checked > 100
    assert broken == [], "\n".join(broken)
    assert (offline / "exercises" / "stomach-crunch.html").is_file()


def test_the_offline_copy_works_from_a_folder(browser: object, offline: Path) -> None:
    """Opened as files: diagrams show, search finds exercises, and nothing is fetched."""
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.on("request", lambda request: requests.append(request.url))
    page.goto((offline / "exercises" / "stomach-crunch.html").as_uri(), wait_until="load")
    images = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    page.locator("input.md-search__input").click()
    page.keyboard.type("crunch")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    found = page.locator(".md-search-result__item").count()
    page.close()
    assert images and all(images), images
    assert found > 0
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
