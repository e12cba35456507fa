"""One palette: every output shows each signal word in the colours of templates/palette.yaml.

The colours are read back from what was built (the web page and the embed as
Chromium computes them, the card and booklet PDFs as PDFium draws them, the
panel SVG as written), and nothing under templates/ or generator/ but the
palette file spells a signal colour.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import REPO
from PIL import Image

from generator.diagrams.check import contrast, luminance
from generator.model import Signal
from generator.outputs.print import data as print_data
from generator.outputs.print.typeset import compile_source
from generator.sources.palette import PALETTE_FILE, Look, Palette, load_palette

HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
SIGNAL_SELECTOR = re.compile(r"safety-|notice-box|doctor-notice|alert-symbol|read-back")
NEUTRAL = {"#000000", "#ffffff"}
SCALE = 8
"""PDF rendering scale: glyph strokes many pixels wide, so their own colour dominates."""

# The computed colours of every safety message on a page, plus a DANGER and a NOTICE
# message cloned from the first one (the content has none), in Chromium.
COMPUTED = """() => {
  const first = document.querySelector('[data-signal]');
  for (const word of ['DANGER', 'NOTICE']) {
    const copy = first.cloneNode(true);
    copy.className = copy.className.replace(/safety-[a-z]+/, 'safety-' + word.toLowerCase());
    copy.dataset.signal = word;
    if (word === 'NOTICE') copy.querySelector('.alert-symbol').remove();
    first.parentNode.appendChild(copy);
  }
  return [...document.querySelectorAll('[data-signal], .doctor-notice')].map((box) => {
    const title = box.querySelector('.admonition-title');
    const symbol = box.querySelector('.alert-symbol path');
    return {
      look: box.dataset.signal ? box.dataset.signal.toLowerCase() : 'doctor-notice',
      edge: (getComputedStyle(box).borderTopColor),
      band: (getComputedStyle(title).backgroundColor),
      text: (getComputedStyle(title).color),
      symbol: symbol ? (getComputedStyle(symbol).fill) : null,
    };
  });
}"""


@pytest.fixture(scope="module")
def palette() -> Palette:
    return load_palette(REPO)


def hex_of(css_colour: str) -> str:
    """Return ``rgb(r, g, b)`` as ``#rrggbb``."""
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, 1)?\)", css_colour)
    assert found, css_colour
    return "#" + "".join(f"{int(c):02x}" for c in found.groups())


def expected(look: Look) -> dict[str, str | None]:
    return {"edge": look.edge, "band": look.band, "text": look.text, "symbol": look.symbol}


def test_the_palette_meets_contrast_and_its_levels_differ_in_grey(palette: Palette) -> None:
    for name, look in palette.looks().items():
        assert contrast(look.text, look.band) >= 4.5, name
        assert contrast(look.edge, "#ffffff") >= 3, name
        if look.symbol is not None:
            assert contrast(look.symbol, look.band) >= 3, name
    # In grey, DANGER is the darkest band, CAUTION the lightest: the order of severity.
    bands = [luminance(palette.signal(w).band) for w in (Signal.DANGER, Signal.WARNING)]
    assert bands == sorted(bands) and bands[-1] < luminance(palette.caution.band)
    assert {look.symbol is None for look in (palette.notice, palette.danger)} == {True, False}


def _text_files(folder: Path) -> Iterator[Path]:
    suffixes = {".css", ".py", ".j2", ".html", ".yaml", ".yml", ".svg", ".js"}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            yield path


def _normal(colour: str) -> str:
    colour = colour.lower()
    return "#" + "".join(c * 2 for c in colour[1:]) if len(colour) == 4 else colour


PRINT_COLOURS = "templates/print-colours.yaml"
"""Each palette colour's CMYK for the press, by its sRGB value: a palette colour changed without
it stops the print-shop build (generator/outputs/print/prepress.py)."""


def test_nothing_but_the_palette_spells_a_signal_colour(palette: Palette) -> None:
    colours = {
        colour
        for look in palette.looks().values()
        for colour in expected(look).values()
        if colour is not None
    } - NEUTRAL
    found = []
    for folder in ("templates", "generator"):
        for path in _text_files(REPO / folder):
            name = path.relative_to(REPO).as_posix()
            if name in (PALETTE_FILE, PRINT_COLOURS):
                continue
            text = path.read_text(encoding="utf-8")
            for match in HEX.finditer(text):
                if _normal(match.group()) in colours:
                    found.append(f"{name}: {match.group()} is a palette colour")
            if path.suffix == ".css":  # a signal rule takes its colours from the palette only
                for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
                    if SIGNAL_SELECTOR.search(selector) and HEX.search(body):
                        found.append(f"{name}: {selector.strip()} spells a colour")
    assert not found, "\n".join(found)


def _computed(launched: object, page_file: Path) -> list[dict[str, str | None]]:
    page = launched.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(page_file.as_uri())
        found: list[dict[str, str | None]] = page.evaluate(COMPUTED)
    finally:
        page.close()
    return found


@pytest.mark.parametrize("page", ["exercises/stomach-crunch/index.html", "embed/getting-on.html"])
def test_web_page_and_embed_show_the_palette(
    browser: object,
    built: Path,
    palette: Palette,
    page: str,
) -> None:
    boxes = _computed(browser, built / page)
    looks = palette.looks()
    assert {"danger", "warning", "caution", "notice", "doctor-notice"} <= {b["look"] for b in boxes}
    for box in boxes:
        look = looks[str(box["look"])]
        shown = {k: hex_of(v) if v else None for k, v in box.items() if k != "look"}
        assert shown == expected(look), box["look"]


def _word_colours(pdf: Path, words: tuple[str, ...]) -> dict[str, tuple[set[str], set[str]]]:
    """Return, for each word found, the two main colours of its box and of the triangle's."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    document = pdfium.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage()
        image = None
        for word in words:
            hit = text.search(word, match_case=True, match_whole_word=True).get_next()
            if word in found or not hit:
                continue
            if image is None:
                image = page.render(scale=SCALE).to_pil().convert("RGB")
            boxes = [text.get_charbox(hit[0] + k) for k in range(hit[1])]
            left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
            right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
            y0, y1 = int(image.height - top * SCALE), int(image.height - bottom * SCALE)
            x0, x1 = int(left * SCALE), int(right * SCALE)
            triangle = (x0 - 2 * (y1 - y0), y0 - 10, x0 - 2, y1 + 10)
            found[word] = (
                _main_colours(image.crop((x0, y0, x1, y1))),
                _main_colours(image.crop(triangle)),
            )
    document.close()
    return found


def _main_colours(image: Image.Image) -> set[str]:
    counts = Counter[tuple[int, int, int]](image.get_flattened_data())  # type: ignore[arg-type]
    return {"#" + "".join(f"{c:02x}" for c in rgb) for rgb, _ in counts.most_common(2)}


@pytest.mark.parametrize("pdf", ["cards/getting-on.pdf", "print/backrack-en/booklet.pdf"])
def test_card_and_booklet_show_the_palette(built: Path, palette: Palette, pdf: str) -> None:
    found = _word_colours(built / pdf, ("WARNING", "CAUTION"))
    assert set(found) == {"WARNING", "CAUTION"}
    for word, (colours, triangle) in found.items():
        look = palette.signal(Signal(word))
        assert colours == {look.band, look.text}, word
        assert triangle == {look.band, look.symbol}, word


def test_print_templates_give_every_signal_word_its_band_and_text(
    palette: Palette, tmp_path: Path
) -> None:
    """DANGER and NOTICE are in no printed exercise yet: render each word with the print
    templates' message (templates/print/common.typ)."""
    messages = [
        {
            "kind": "safety",
            "look": word.value.lower(),
            "signal": word.value,
            "alert": word.has_alert_symbol,
            "hazard": f"A {word.value.lower()} hazard.",
            "items": [],
            "avoid": ["Avoid it."],
            "consequence": None,
            "ref": None,
        }
        for word in Signal
    ]
    source = (
        b'#import "common.typ": *\n#set document(title: "Words")\n'
        b'#set text(font: "Atkinson Hyperlegible", size: 9pt, lang: "en")\n'
        b"#for m in data.messages { message(m) }\n"
    )
    data = print_data.common(REPO, "en") | {"messages": messages}
    pdf = tmp_path / "words.pdf"
    pdf.write_bytes(compile_source(source, data, REPO / "templates" / "print"))
    found = _word_colours(pdf, tuple(w.value for w in Signal))
    assert {w: colours for w, (colours, _) in found.items()} == {
        w.value: {palette.signal(w).band, palette.signal(w).text} for w in Signal
    }
    for word in Signal:
        if word.has_alert_symbol:
            assert found[word.value][1] == {palette.signal(word).band, palette.signal(word).symbol}
