"""The colour pairs that touch in a diagram, and the rule that holds each pair to 3:1.

Every colour of the palette is drawn on the background and is held to 3:1 against it
(``check.py``). Every part of the figure and every mark is drawn on an outline of the
background colour (``svg.py``), so the only other colours that meet are listed here;
``tests/test_legend.py`` rasterises every built diagram and fails on any other pair that
touches. Each pair must have 3:1 contrast (WCAG 2.2, 1.4.11) in colour and also once both
colours are turned to grey the way a grey-scale print or a photocopy does (ITU-R BT.601
luma), so that no pair differs by hue only.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagrams.model import Scene
from generator.errors import Problem
from generator.sources.load import Document

MIN_CONTRAST = 3.0
"""WCAG 2.2 non-text contrast (1.4.11) for the parts of a diagram."""


def luminance(colour: str) -> float:
    """Return the relative luminance of a ``#rrggbb`` colour (WCAG 2.2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two colours."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


TOUCHING: tuple[tuple[str, str, str], ...] = (
    ("rack", "nodule", "the wood against its nodules and its outline"),
    ("floor", "nodule", "the floor line against the rack's outline, where the rack stands"),
    ("floor", "bed", "the bed's legs on the floor"),
    ("near", "far", "the near arm and leg in front of the far ones (also set off by a gap)"),
)
"""Palette names of the colours that meet in a drawing, besides the background, and where."""


def grey(colour: str) -> str:
    """Return a ``#rrggbb`` colour as the grey a grey-scale print gives it (BT.601 luma)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    level = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{level:02x}{level:02x}{level:02x}"


def pair_contrast(first: str, second: str) -> tuple[float, float]:
    """Return the contrast of two colours, and of the same two in grey scale."""
    return contrast(first, second), contrast(grey(first), grey(second))


def pairs(scene: Scene) -> list[tuple[str, str, str]]:
    """Return every pair of palette names that touch in a drawing, and where."""
    palette = scene.palette.model_dump()
    found = [
        (name, "background", "drawn on the background") for name in palette if name != "background"
    ]
    return found + list(TOUCHING)


def check_touching(document: Document, scene: Scene) -> Iterator[Problem]:
    """Report each pair of touching colours (other than with the background) below 3:1."""
    palette = scene.palette.model_dump()
    for first, second, where in TOUCHING:
        a, b = palette[first], palette[second]
        if a == b:
            continue  # one colour: the two parts read as one shape
        ratio, grey_ratio = pair_contrast(a, b)
        if min(ratio, grey_ratio) < MIN_CONTRAST:
            yield document.value_problem(
                ("palette", first),
                f"colour {a} has {ratio:.2f}:1 contrast ({grey_ratio:.2f}:1 in grey scale) "
                f"against {second} {b}, which it touches ({where}); "
                f"it needs at least {MIN_CONTRAST:g}:1 in both",
            )
