"""The one palette of the safety messages, from ``templates/palette.yaml``.

Each signal word (and the doctor notice and other notices) has one look in
every output: the colour of its title band, of the words on it, of its border
and of the safety-alert triangle. The stylesheets use them as CSS custom
properties (``palette_css``: ``--danger-band``, ``--danger-text``, …), the
box panel reads them here; nothing else spells a signal colour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from generator.diagrams.check import contrast
from generator.errors import ContentError, Problem
from generator.model import Signal, Strict
from generator.sources.load import load_document

PALETTE_FILE = "templates/palette.yaml"
PROJECT = Path(__file__).resolve().parents[2]
"""The project the generator belongs to, for a reader that is not told the root."""
TEXT_CONTRAST = 4.5
"""Least contrast of the words on their band (WCAG 1.4.3)."""
GRAPHIC_CONTRAST = 3.0
"""Least contrast of the triangle on its band and of a border on white (WCAG 1.4.11)."""
WHITE = "#ffffff"

Colour = Annotated[str, Field(pattern=r"^#[0-9a-f]{6}$")]


class Look(Strict):
    """The colours of one kind of message."""

    band: Colour
    """The title band, behind the signal word or title."""
    text: Colour
    """The signal word or title on the band."""
    edge: Colour
    """The message's border."""
    symbol: Colour | None = None
    """The safety-alert triangle on the band (every signal word but NOTICE)."""


class Palette(Strict):
    """The look of each signal word, the doctor notice and other notices."""

    danger: Look
    warning: Look
    caution: Look
    notice: Look
    doctor_notice: Look = Field(alias="doctor-notice")
    notice_box: Look = Field(alias="notice-box")

    def looks(self) -> dict[str, Look]:
        """Return every look by its name in the file (and in the CSS)."""
        return {name.replace("_", "-"): look for name, look in self if isinstance(look, Look)}

    def signal(self, word: Signal) -> Look:
        """Return the look of a signal word."""
        return self.looks()[word.value.lower()]

    def css(self) -> str:
        """Return the palette as CSS custom properties, ``--<look>-<part>``."""
        lines = [
            f"  --{name}-{part}: {colour};"
            for name, look in self.looks().items()
            for part, colour in look.model_dump().items()
            if colour is not None
        ]
        return "/* The safety messages' palette, from templates/palette.yaml. */\n" + (
            ":root {\n" + "\n".join(lines) + "\n}\n"
        )


def palette_problems(root: Path) -> tuple[Palette | None, list[Problem]]:
    """Load the palette; return it (``None`` if invalid) with every problem found."""
    if not (root / PALETTE_FILE).is_file():
        return None, [Problem(PALETTE_FILE, 1, 1, "(document)", "file is missing")]
    document, problems = load_document(root / PALETTE_FILE, root)
    if document is None:
        return None, problems
    try:
        palette = Palette.model_validate(document.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            problems.append(document.problem(tuple(error["loc"]), error["msg"]))
        return None, problems
    for name, look in palette.looks().items():
        rules = [("text", look.text, look.band, TEXT_CONTRAST)]
        if look.symbol is not None:
            rules.append(("symbol", look.symbol, look.band, GRAPHIC_CONTRAST))
        rules.append(("edge", look.edge, WHITE, GRAPHIC_CONTRAST))
        for part, colour, against, least in rules:
            ratio = contrast(colour, against)
            if ratio < least:
                problems.append(
                    document.value_problem(
                        (name, part),
                        f"{colour} has {ratio:.2f}:1 contrast against {against}; "
                        f"it needs at least {least:g}:1",
                    )
                )
    return (None if problems else palette), problems


def load_palette(root: Path) -> Palette:
    """Return the palette; stop the build with every problem if it is invalid."""
    palette, problems = palette_problems(root)
    if palette is None:
        raise ContentError(problems)
    return palette


def palette_css(root: Path) -> str:
    """Return the palette as CSS custom properties (see ``Palette.css``)."""
    return load_palette(root).css()
