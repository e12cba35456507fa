"""Home-print sheets: every card, N-up on A4 or US Letter, with cut lines.

Cards keep their real size (text is never scaled below 9 pt); as many as fit
the printable area go on a sheet, trying the sheet both ways round. Backs are
mirrored left to right, so that printing on both sides with a long-edge flip
puts each back behind its front.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from generator.errors import RenderError
from generator.outputs.print.cards import (
    CardSettings,
    card_css,
    card_resources,
    fitting_face,
)
from generator.outputs.print.render import layout, text_outside, write_pdf
from generator.outputs.print.source import locate
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.view import ExerciseView
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.fonts import font_face_css

SHEETS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
"""Sheet sizes (portrait) in millimetres."""
PRINTER_MARGIN = 5.0
"""Most home printers cannot print closer than this to the paper's edge (mm)."""


@dataclass(frozen=True)
class Grid:
    """Where cards go on a sheet."""

    sheet: tuple[float, float]
    """Sheet width and height (mm), in the orientation used."""
    card: tuple[float, float]
    columns: int
    rows: int

    @property
    def per_sheet(self) -> int:
        """Return how many cards go on one sheet."""
        return self.columns * self.rows

    def slot(self, index: int, back: bool) -> tuple[float, float]:
        """Return the top-left corner (mm) of slot ``index``; backs are mirrored."""
        column, row = index % self.columns, index // self.columns
        if back:
            column = self.columns - 1 - column
        left = (self.sheet[0] - self.columns * self.card[0]) / 2 + column * self.card[0]
        top = (self.sheet[1] - self.rows * self.card[1]) / 2 + row * self.card[1]
        return left, top


def grid(sheet: tuple[float, float], card: tuple[float, float]) -> Grid:
    """Return the grid holding most cards at full size, portrait or landscape sheet."""
    best: Grid | None = None
    for width, height in (sheet, (sheet[1], sheet[0])):
        columns = int((width - 2 * PRINTER_MARGIN) // card[0])
        rows = int((height - 2 * PRINTER_MARGIN) // card[1])
        found = Grid((width, height), card, columns, rows)
        if columns and rows and (best is None or found.per_sheet > best.per_sheet):
            best = found
    if best is None:
        raise RenderError(f"a {card[0]} × {card[1]} mm card does not fit a {sheet} mm sheet")
    return best


def render_sheets(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings, sheet: str
) -> bytes:
    """Return every published card on home-print sheets of one paper size, as PDF."""
    card = CardSettings(catalogue.printing.cards.size.value)
    layout_grid = grid(SHEETS[sheet], card.trim)
    resources: dict[str, bytes] = {}
    cards = []
    for exercise in catalogue.published:
        face, alone = fitting_face(views[exercise.id], settings, card)
        alone.close()  # only which side the pictures are on is needed here
        resources |= card_resources(face)
        cards.append(face)
    pages = []
    for start in range(0, len(cards), layout_grid.per_sheet):
        group = cards[start : start + layout_grid.per_sheet]
        for back in (False, True):
            slots = [(card, layout_grid.slot(i, back)) for i, card in enumerate(group)]
            pages.append({"back": back, "slots": slots})
    root = settings.root
    css = font_face_css("resource:fonts/") + card_css(root) + _sheet_css(layout_grid)
    template = environment(root / TEMPLATES_DIR).get_template("cards/sheet.html.j2")
    html = template.render(pages=pages, css=css, date=settings.iso_date, sheet=sheet)
    with layout(html, resources) as rendered:
        if len(rendered.document.pages) != len(pages):
            raise RenderError(f"home-print sheets ({sheet}): a card does not fit its slot")
        problems = [
            f"{locate(catalogue, line.text)}: home-print sheets ({sheet}): a line on page "
            f"{line.page} runs {line.by:.1f} mm out of its card: {line.text[:40]!r}"
            for line in text_outside(rendered)
        ]
        if problems:
            raise RenderError("\n".join(problems))
        identifier = hashlib.sha256(f"sheets:{sheet}:{card}".encode()).hexdigest()[:32]
        return write_pdf(rendered, identifier.encode())


def _sheet_css(g: Grid) -> str:
    width, height = g.card
    return (
        f"@page {{ size: {g.sheet[0]}mm {g.sheet[1]}mm; margin: 0; }}\n"
        ".sheet { position: relative; width: 100%; height: 100vh; break-after: page; }\n"
        ".sheet:last-child { break-after: auto; }\n"
        f".slot {{ position: absolute; width: {width}mm; height: {height}mm; "
        "box-sizing: border-box; padding: 6mm; overflow: hidden; background: #fbf8f2; "
        "outline: 0.2mm dashed #777; }\n"
        ".slot .face { break-after: auto; }\n"
    )
