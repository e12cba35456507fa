"""Finishing (issue 20): robots.txt, the 404 page, sharing previews on every page, the focus ring
and the exercises index on a phone, checked on the shared build of the real project, the
browser checks in Chromium (skipped, as in ``test_browser.py``, where it is missing)."""

from __future__ import annotations

import functools
import http.server
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import REPO, SITE_URL, need
from test_browser import AXE, TRANSLATED, WCAG_TAGS, _describe

from generator.checks.scan import scan_page
from generator.dev.first_step import serving
from generator.outputs import paths
from generator.outputs.previews import HEIGHT, WIDTH, card_png, site_card_svg, site_preview_files
from generator.outputs.web.structured import Sharing, meta_tags, og_locale, site_sharing_tags
from generator.outputs.words import ENGLISH, Speech, speaking
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue
from generator.translations.apply import translation

LANGUAGES = ["en", *TRANSLATED]
"""Every language the shared build makes, the sources' first."""
HOSTILE = '"></title><script>alert(1)</script> & <b>'


def folder(language: str) -> str:
    """Return a language's folder below the site ('' for the sources' own)."""
    return "" if language == "en" else f"{language}/"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    catalogue, problems = load_catalogue(REPO)
    assert catalogue is not None, problems
    return catalogue


@functools.cache
def speech_of(language: str) -> Speech:
    """Return the words a language's pages are rendered with (a preview: English in gaps)."""
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    return translation(REPO, catalogue, language).speech


class _Head(HTMLParser):
    """The ``<meta>`` tags, the canonical link, JSON-LD, ``lang``, ``<h1>`` and links of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical = ""
        self.lang = ""
        self.json_ld = 0
        self.h1: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._in: str | None = None
        self._href = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        key = found.get("property") or found.get("name")
        if tag == "meta" and key:
            self.meta.setdefault(key, []).append(found.get("content", ""))
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical = found.get("href", "")
        if tag == "html":
            self.lang = found.get("lang", "")
        if tag == "script" and found.get("type") == "application/ld+json":
            self.json_ld += 1
        if tag in ("h1", "a") and self._in is None:
            self._in, self._href, self._text = tag, found.get("href", ""), []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            text = " ".join("".join(self._text).split())
            if tag == "h1":
                self.h1.append(text)
            else:
                self.links.append((text, self._href))
            self._in = None


def parsed(path: Path) -> _Head:
    head = _Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def site_file(site: Path, url: str) -> Path:
    """Return the file below ``site`` that an absolute address of the site names."""
    assert url.startswith(SITE_URL), url
    path = site / url.removeprefix(SITE_URL)
    return path / "index.html" if url.endswith("/") else path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])


# --- robots.txt ---------------------------------------------------------------------------------


def test_robots_txt_at_the_root_names_every_languages_sitemap(built: Path) -> None:
    text = (built / paths.ROBOTS).read_text(encoding="utf-8")
    sitemaps = [line.removeprefix("Sitemap: ") for line in text.splitlines() if "Sitemap" in line]
    assert sitemaps == [f"{SITE_URL}{folder(code)}sitemap.xml" for code in LANGUAGES]
    assert text.startswith("User-agent: *\nAllow: /\n") and "Disallow" not in text
    for url in sitemaps:  # each names its own language's pages
        locs = [e.text or "" for e in ET.parse(site_file(built, url)).iter() if "loc" in e.tag]
        own = url.removesuffix("sitemap.xml")
        assert locs and all(loc.startswith(own) for loc in locs), url
    assert sorted(p.relative_to(built).as_posix() for p in built.rglob("robots.txt")) == [
        "robots.txt"
    ]
    for language in LANGUAGES:  # an offline copy is opened from a folder: no crawler reads it
        with zipfile.ZipFile(built / folder(language) / paths.OFFLINE_ZIP) as archive:
            names = archive.namelist()
        assert not [n for n in names if n.endswith((paths.ROBOTS, paths.SITE_PREVIEW))], language


def test_the_embeds_that_robots_may_read_say_noindex(built: Path) -> None:
    embeds = sorted((built / "embed").glob("*.html"))
    assert embeds
    for embed in embeds:
        assert "noindex" in " ".join(parsed(embed).meta.get("robots", [])), embed.name


# --- the 404 page -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_says_what_happened_in_its_language_and_links_from_any_depth(
    built: Path, language: str
) -> None:
    page = built / folder(language) / "404.html"
    head = parsed(page)
    words = speech_of(language).words
    assert head.lang == language
    assert head.h1 == [words["not_found_title"]]
    assert head.meta["robots"] == ["noindex"]
    base = urlsplit(SITE_URL).path + folder(language)  # absolute paths: right at any depth
    links = dict(head.links)
    assert links[words["not_found_search"]] == f"{base}?q="  # opens the theme's search
    expected = {
        words["home"]: base,
        words["important"]: f"{base}important-information/",
        words["all"]: f"{base}exercises/",
    }
    for text, href in expected.items():
        assert links[text] == href, text
        assert (built / href.lstrip("/") / "index.html").is_file()
    text = page.read_text(encoding="utf-8")
    assert words["not_found_search_where"] in text.replace("&#39;", "'")
    assert scan_page(text, folder(language) + "404.html", lambda p: (built / p).is_file()) == []


# --- sharing previews ---------------------------------------------------------------------------


def other_pages(cat: Catalogue) -> list[str]:
    """Return every page that is not an exercise's, below a language's folder."""
    sections = [f"sections/{info.id}/" for info, found in cat.sections() if found]
    return ["", "important-information/", "exercises/", *sections]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_other_page_has_the_sites_sharing_preview(
    built: Path, cat: Catalogue, language: str
) -> None:
    own = SITE_URL + folder(language)
    with speaking(speech_of(language)):
        locale = og_locale(language)
        others = {og_locale(code) for code in LANGUAGES if code != language}
    titles = set()
    for path in other_pages(cat):
        head = parsed(built / folder(language) / path / "index.html")
        meta = {key: values[0] for key, values in head.meta.items()}
        assert all(
            len(head.meta[k]) == 1
            for k in meta
            if k.startswith(("og:", "twitter:")) and k != "og:locale:alternate"
        ), path
        assert meta["og:type"] == "website"
        assert meta["og:url"] == head.canonical == own + path
        assert meta["og:title"] and meta["og:description"], path
        assert meta["og:site_name"] and meta["og:image:alt"].startswith(meta["og:site_name"])
        assert meta["og:image"] == own + paths.SITE_PREVIEW
        assert (meta["og:image:width"], meta["og:image:height"]) == (str(WIDTH), str(HEIGHT))
        assert meta["og:image:type"] == "image/png"
        assert meta["og:locale"] == locale
        assert set(head.meta.get("og:locale:alternate", [])) == others
        assert meta["twitter:card"] == "summary_large_image"
        assert head.json_ld == 0, path  # structured data stays the exercises'
        titles.add(meta["og:title"])
        image = site_file(built, meta["og:image"]).read_bytes()
        assert png_size(image) == (WIDTH, HEIGHT)
    assert len(titles) == len(other_pages(cat))  # each page says what it is


def test_the_sharing_texts_are_the_pages_own_true_words(built: Path, cat: Catalogue) -> None:
    home = parsed(built / "index.html").meta
    assert home["og:title"] == [cat.shared.site_title]
    assert home["og:description"] == [ENGLISH["site_description"]]
    important = parsed(built / "important-information" / "index.html").meta
    expected = ENGLISH["important_intro"].format(product=cat.shared.product)
    assert important["og:description"] == [expected]
    for info, found in cat.sections():
        if found:
            section = parsed(built / "sections" / info.id / "index.html").meta
            assert section["og:title"] == [info.title]
            assert section["og:description"] == [info.intro]


def test_the_site_preview_is_deterministic_and_as_built(built: Path, cat: Catalogue) -> None:
    first = site_preview_files(cat.shared.site_title, ENGLISH["site_description"], REPO)
    second = site_preview_files(cat.shared.site_title, ENGLISH["site_description"], REPO)
    assert first == second == {paths.SITE_PREVIEW: (built / paths.SITE_PREVIEW).read_bytes()}


def test_hostile_words_stay_text_in_the_site_tags_and_image() -> None:
    tags = site_sharing_tags(
        Sharing(HOSTILE, HOSTILE), SITE_URL, "exercises/", HOSTILE, ["en", "de"]
    )
    head = _Head()
    head.feed(meta_tags(tags))
    assert head.meta["og:title"] == [HOSTILE] == head.meta["og:site_name"]
    assert head.meta["og:description"] == [HOSTILE]
    assert head.json_ld == 0 and "<script" not in meta_tags(tags)
    svg = site_card_svg(HOSTILE, HOSTILE, REPO)
    root = ET.fromstring(svg)  # well-formed: nothing became markup
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "".join(texts).replace(" ", "") == (HOSTILE * 2).replace(" ", "")
    assert png_size(card_png(svg)) == (WIDTH, HEIGHT)


def test_og_locale_names_a_territory() -> None:
    assert og_locale("en") == "en_GB"  # the maker's, as the dates
    assert og_locale("de") == "de_DE"
    assert og_locale("fr") == "fr_FR"


# --- in the browser -----------------------------------------------------------------------------


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a host does: an address with no file gets its language's 404 page."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        language = self.path.split("/")[1]
        page = Path(self.directory) / folder(language if language in TRANSLATED else "en")
        body = (page / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with serving(built, _NotFoundHandler) as origin:
        yield origin


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_deep_down_is_accessible_and_its_links_and_search_work(
    browser: object, server: str, language: str
) -> None:
    need(AXE.is_file(), "axe-core (make test runs npm ci)")
    words = speech_of(language).words
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        response = page.goto(f"{server}/{folder(language)}no/such/page/here/", wait_until="load")
        assert response.status == 404
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert result["violations"] == [], _describe(result["violations"])
        # Every stylesheet and script loaded from this depth: the page looks like the site.
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        assert page.evaluate("typeof document$ !== 'undefined'")
        for name in ("home", "important", "all"):
            link = page.get_by_role("link", name=words[name], exact=True).last
            href = link.get_attribute("href")
            assert page.request.get(server + href).status == 200, href
        page.get_by_role("link", name=words["not_found_search"]).click()
        page.wait_for_url("**?q=")
        page.wait_for_function("document.getElementById('__search').checked")
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    finally:
        page.close()


CONTRAST_JS = """
async () => {
  const moving = document.getAnimations().filter(a => a instanceof CSSTransition);
  await Promise.all(moving.map(a => a.finished.catch(() => null)));  // where the ring rests
  const parse = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, bottom) =>
    top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3]));
  const lum = rgb => {
    const l = rgb.map(v => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // What the ring's pixels show when the element is not focused (WCAG 2.4.13: the change of
  // contrast): the stack of elements at a point of the ring's middle line, top down, the
  // focused element's own background included, composited down to an opaque one (white below
  // everything).
  const unfocused = (x, y) => {
    const layers = [];
    for (const e of document.elementsFromPoint(x, y)) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255]);
  };
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const width = parseFloat(style.outlineWidth);
  const out = parseFloat(style.outlineOffset) + width / 2;  // the middle of the ring
  const mid = [rect.left + rect.width / 2, rect.top + rect.height / 2];
  const sides = [[rect.left - out, mid[1]], [rect.right + out, mid[1]],
                 [mid[0], rect.top - out], [mid[0], rect.bottom + out]]
    .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  const ring = parse(style.outlineColor);
  const measured = sides.map(([x, y]) => {
    const back = unfocused(x, y);
    return {background: 'rgb(' + back.map(Math.round).join(', ') + ')',
            ratio: ratio(over(ring, back), back)};
  });
  const worst = measured.sort((a, b) => a.ratio - b.ratio)[0];
  // The focused link's own text, in the content: readable at 4.5:1 on what is behind it.
  const inner = unfocused(mid[0], mid[1]);
  const text = el.closest('.md-content') && el.textContent.trim()
    ? ratio(over(parse(style.color), inner), inner) : null;
  return {
    what: [el.tagName, ...el.classList].join('.') + ' ' + el.textContent.trim().slice(0, 30),
    visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden' && !!worst,
    field: el.matches('input:not([type=checkbox]):not([type=radio]), textarea'),
    style: style.outlineStyle, width: width, ring: style.outlineColor,
    background: worst && worst.background, ratio: worst && worst.ratio, text: text,
  };
}
"""

BANDS_JS = """
() => {
  const content = document.querySelector('.md-content__inner');
  for (const kind of ['safety-danger', 'safety-warning', 'safety-caution', 'safety-notice',
                      'doctor-notice', 'notice-box']) {
    const box = document.createElement('div');
    box.className = 'admonition ' + (kind === 'notice-box' ? kind : 'safety ' + kind);
    box.innerHTML = '<p class="admonition-title"><a href="#">' + kind + '</a></p>'
      + '<p><a href="#">in ' + kind + '</a></p>';
    content.prepend(box);
  }
}
"""


def rgb(hex_colour: str) -> str:
    """Return ``#rrggbb`` as the browser writes a colour."""
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))


WHITE = rgb("#ffffff")
BANDS = {
    rgb(look["band"])
    for look in yaml.safe_load((REPO / "templates" / "palette.yaml").read_text()).values()
}


def focus_rings(page: object, presses: int) -> list[dict[str, object]]:
    """Press Tab ``presses`` times; return the measured ring of each visible focused element."""
    found = []
    for _ in range(presses):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        ring = page.evaluate(CONTRAST_JS)  # type: ignore[attr-defined]
        if ring and ring["visible"]:
            found.append(ring)
    return found


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/", "/exercises/", "/exercises/stomach-crunch/", "/de/"])
def test_the_focus_ring_stands_out_at_3_to_1_on_every_background(
    browser: object, server: str, path: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(server + path, wait_until="load")
        header = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
        page.evaluate(BANDS_JS)  # a link in every kind of safety band and box, as a reader's
        rings = focus_rings(page, 70)
        if width < 1000:  # the drawer, with its brown title, open
            page.keyboard.press("Escape")
            page.evaluate("document.getElementById('__drawer').checked = true")
            page.locator(
                ".md-nav--primary > .md-nav__title a, .md-nav--primary > .md-nav__title label"
            ).first.focus()
            rings += focus_rings(page, 6)
    finally:
        page.close()
    backgrounds = {ring["background"] for ring in rings}
    expected = {WHITE, *BANDS}  # the page and every band of templates/palette.yaml
    assert header in backgrounds, header  # the theme's brown header
    assert len(rings) > 20 and expected <= backgrounds, expected - backgrounds
    # A text field keeps the theme's look: the opened search and the caret show the focus.
    rings = [r for r in rings if not r["field"]]
    weak = [r for r in rings if r["style"] == "none" or r["width"] < 2 or r["ratio"] < 3]
    assert weak == [], "\n".join(str(r) for r in weak)
    # Focused, a link's text keeps 4.5:1 (the theme's accent, #ff6e42, is 2.8:1 on white).
    faint = [r for r in rings if r["text"] is not None and r["text"] < 4.5]
    assert faint == [], "\n".join(str(r) for r in faint)


INDEX_JS = """
() => {
  const cells = [...document.querySelectorAll('.exercise-index td')]
    .filter(td => td.textContent.trim());
  const table = document.querySelector('.exercise-index table');
  const boxes = [table, ...[table.parentElement, table.parentElement.parentElement]];
  return {
    viewport: document.documentElement.clientWidth,
    page: document.documentElement.scrollWidth,
    scrolls: boxes.filter(b => b.scrollWidth > b.clientWidth + 1)
      .map(b => b.className || b.tagName),
    cells: cells.map(td => {
      const r = td.getBoundingClientRect();
      const label = getComputedStyle(td, '::before');
      return {text: td.textContent.trim().slice(0, 30), left: r.left, right: r.right,
              size: parseFloat(getComputedStyle(td).fontSize),
              label: label.content, label_size: parseFloat(label.fontSize)};
    }),
  };
}
"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_exercises_index_reads_on_a_phone(browser: object, server: str, language: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        page.goto(f"{server}/{folder(language)}exercises/", wait_until="load")
        found = page.evaluate(INDEX_JS)
    finally:
        page.close()
    words = speech_of(language).words
    assert found["page"] <= found["viewport"] == 390
    assert found["scrolls"] == []
    assert len(found["cells"]) >= 12
    for cell in found["cells"]:
        assert cell["left"] >= 0 and cell["right"] <= found["viewport"], cell
        assert cell["size"] >= 16, cell
    labels = {cell["label"].strip('"') for cell in found["cells"][1:] if cell["label"] != "none"}
    assert words["column_not_suitable"] in labels and words["column_level"] in labels
    assert all(c["label_size"] >= 16 for c in found["cells"] if c["label"] != "none")


def test_the_exercises_index_is_a_table_at_16_px_on_a_wide_screen(
    browser: object, server: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(f"{server}/exercises/", wait_until="load")
        display = page.evaluate(
            "getComputedStyle(document.querySelector('.exercise-index tr')).display"
        )
        sizes = page.evaluate(
            "[...document.querySelectorAll('.exercise-index th, .exercise-index td')]"
            ".map(c => parseFloat(getComputedStyle(c).fontSize))"
        )
    finally:
        page.close()
    assert display == "table-row"
    assert sizes and min(sizes) >= 16
