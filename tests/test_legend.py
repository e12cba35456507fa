"""Every mark explained and visible: the key beside the pictures, the colours that touch, and the
size of the marks on a card.

Read from the shared build (``built``): the PNG copies of the diagrams (what cairosvg draws), the
SVGs, the web page, the embed, the card and the booklet.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest
from conftest import REPO
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader

from generator.checks.extract import html_text, pdf_text
from generator.diagrams import svg
from generator.diagrams.colours import pair_contrast, pairs
from generator.diagrams.model import Scene
from generator.outputs.print.cards import MARGIN
from generator.sources.load import load_document

SVG = "{http://www.w3.org/2000/svg}"
ENTRIES = {
    "far": "Lighter arm and leg: the far side.",
    "pressure": "Orange band: where the rack presses.",
    "arrow": "Curved arrow: the move to the next picture.",
    "in": "Arrow to the nose: breathe in.",
    "out": "Arrow from the nose: breathe out.",
}
"""The key's words for each kind of mark (templates/partials/legend.html.j2)."""
KINDS = {cls: kind for kind, cls in svg.MARK_CLASSES.items()}


@pytest.fixture(scope="module")
def scene() -> Scene:
    document, problems = load_document(REPO / "diagrams" / "scene.yaml", REPO)
    assert document is not None, problems
    return Scene.model_validate(document.data)


def exercises(built: Path) -> list[str]:
    return sorted(p.stem for p in (built / "embed").glob("*.html"))


def diagrams(built: Path, exercise: str) -> list[Path]:
    return sorted((built / "diagrams" / exercise).glob("*.svg"))


def drawn_marks(built: Path, exercise: str) -> set[str]:
    """Return the kinds of marks the exercise's built diagrams draw (read from the SVGs)."""
    kinds = {"far"}
    for path in diagrams(built, exercise):
        for group in ET.parse(path).getroot().iter(f"{SVG}g"):
            kind = KINDS.get(group.get("class", ""))
            if kind:
                kinds.add(kind)
    return kinds


# --- colours --------------------------------------------------------------------------------


def test_every_pair_of_colours_that_may_touch_has_three_to_one_in_colour_and_grey(
    scene: Scene,
) -> None:
    palette = scene.palette.model_dump()
    for first, second, where in pairs(scene):
        ratio, grey = pair_contrast(palette[first], palette[second])
        assert ratio >= 3 and grey >= 3, (first, second, where, ratio, grey)


def _mask(image: Image.Image, colour: str) -> Image.Image:
    """Return a mask of the pixels of exactly ``colour`` (255) in an RGB image."""
    plain = Image.new("RGB", image.size, colour)
    difference = ImageChops.difference(image, plain)
    channels = difference.split()
    total = ImageChops.add(ImageChops.add(channels[0], channels[1]), channels[2])
    return total.point(lambda v: 255 if v == 0 else 0)


def touching(image: Image.Image, palette: dict[str, str]) -> set[frozenset[str]]:
    """Return the pairs of palette colours whose pixels come within 2 pixels of each other
    (one anti-aliased pixel between them): the colours that touch in the picture."""
    masks = {name: _mask(image, colour) for name, colour in palette.items()}
    masks = {name: mask for name, mask in masks.items() if mask.getbbox()}
    grown = {name: mask.filter(ImageFilter.MaxFilter(5)) for name, mask in masks.items()}
    found = set()
    for a, b in combinations(masks, 2):
        if palette[a] != palette[b] and ImageChops.multiply(grown[a], masks[b]).getbbox():
            found.add(frozenset((a, b)))
    return found


def test_colours_that_touch_in_every_built_diagram_are_listed_and_three_to_one(
    built: Path, scene: Scene
) -> None:
    palette = scene.palette.model_dump()
    allowed = {frozenset((a, b)) for a, b, _ in pairs(scene)}
    pictures = sorted((built / "diagrams").glob("*/*.png"))
    assert len(pictures) >= 6
    seen: set[frozenset[str]] = set()
    for picture in pictures:
        with Image.open(picture) as opened:
            image = opened.convert("RGB")
        for pair in touching(image, palette):
            seen.add(pair)
            assert pair in allowed, f"{picture.relative_to(built)}: {sorted(pair)} touch"
            a, b = sorted(pair)
            ratio, grey = pair_contrast(palette[a], palette[b])
            assert ratio >= 3 and grey >= 3, (picture.name, a, b, ratio, grey)
    # The marks, the figure and the rack are found at all (the test sees what it checks).
    for name in ("near", "far", "rack", "nodule", "pressure", "arrow", "breath"):
        assert frozenset((name, "background")) in seen, name


# --- the key --------------------------------------------------------------------------------


def _assert_key(text: str, kinds: set[str], where: str) -> None:
    text = " ".join(text.split())
    assert "Key to the pictures:" in text, where
    for kind, words in ENTRIES.items():
        count = text.count(words)
        if kind in kinds:
            assert count == 1, f"{where}: the key lacks {words!r}"
        else:
            assert count == 0, f"{where}: the key names {words!r}, which no picture draws"


def test_the_key_names_exactly_the_marks_drawn_in_every_output(built: Path) -> None:
    names = exercises(built)
    assert len(names) >= 6
    used: dict[str, int] = dict.fromkeys(ENTRIES, 0)
    for exercise in names:
        kinds = drawn_marks(built, exercise)
        for kind in kinds:
            used[kind] += 1
        page = (built / "exercises" / exercise / "index.html").read_text("utf-8")
        _assert_key(html_text(page), kinds, f"web page {exercise}")
        embed = (built / "embed" / f"{exercise}.html").read_text("utf-8")
        _assert_key(html_text(embed), kinds, f"embed {exercise}")
        card = pdf_text((built / "cards" / f"{exercise}.pdf").read_bytes())
        # The key stands under the pictures: on side 1, or on side 2 before the steps when
        # side 1 cannot hold the pictures.
        keyed = [side for side in card.split("\f") if "Key to the pictures:" in side]
        assert len(keyed) == 1, exercise
        _assert_key(keyed[0], kinds, f"card {exercise}, the side with the pictures")
    # Every kind of mark is drawn somewhere, so each entry is tested both ways.
    assert all(used.values()), used
    booklet = " ".join(
        pdf_text((built / "print" / "backrack-en" / "booklet.pdf").read_bytes()).split()
    )
    assert booklet.count("Key to the pictures:") == len(names)
    for kind, words in ENTRIES.items():
        assert booklet.count(words) == used[kind], (kind, words)


# --- sizes on the card ----------------------------------------------------------------------


def _card_layout() -> tuple[float, dict[int, float]]:
    """Return the gap between pictures and the picture height by number of pictures (mm), as
    templates/print/card.typ lays out the row of pictures."""
    card = (REPO / "templates" / "print" / "card.typ").read_text("utf-8")
    row = re.search(
        r"#let pictures\(\) = \{.*?column-gutter: ([\d.]+)mm.*?picture\(p, ([\d.]+)mm\)", card, re.S
    )
    assert row, "the row of pictures in templates/print/card.typ"
    return float(row.group(1)), dict.fromkeys(range(1, 9), float(row.group(2)))


def _numbers(d: str) -> list[tuple[float, float]]:
    values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(values[::2], values[1::2], strict=True))


def test_marks_are_large_enough_to_see_on_the_card(built: Path) -> None:
    gap, heights = _card_layout()
    checked = 0
    for exercise in exercises(built):
        pictures = diagrams(built, exercise)
        width_mm = float(PdfReader(built / "cards" / f"{exercise}.pdf").pages[0].mediabox.width)
        width_mm *= 25.4 / 72
        n = len(pictures)
        box = ((width_mm - 2 * MARGIN - gap * (n - 1)) / n, heights[n])
        for path in pictures:
            root = ET.parse(path).getroot()
            _, _, vw, vh = (float(v) for v in root.get("viewBox", "").split())
            mm = min(box[0] / vw, box[1] / vh)
            where = f"{exercise}/{path.name} at {mm:.3f} mm/cm"
            for group in root.iter(f"{SVG}g"):
                kind = KINDS.get(group.get("class", ""))
                if kind is None:
                    continue
                checked += 1
                halo, *marks = list(group)
                if kind == "pressure":
                    band = float(marks[0].get("stroke-width", "0"))
                    outline = (float(halo.get("stroke-width", "0")) - band) / 2
                    assert band * mm >= svg.MIN_PRESSURE_MM, where
                    assert outline * mm >= svg.MIN_GAP_MM, where
                    continue
                _, shaft, head = marks
                width = float(shaft.get("stroke-width", "0"))
                outline = (float(halo.get("stroke-width", "0")) - width) / 2
                start = _numbers(shaft.get("d", ""))[0]
                tip, left, right = _numbers(head.get("d", ""))
                base = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)
                assert width * mm >= svg.MIN_STROKE_MM, where
                assert outline * mm >= svg.MIN_GAP_MM, where
                assert math.dist(tip, base) * mm >= svg.MIN_HEAD_MM, where
                if kind in ("in", "out"):
                    assert math.dist(start, tip) * mm >= svg.MIN_BREATH_MM, where
    assert checked >= 6
