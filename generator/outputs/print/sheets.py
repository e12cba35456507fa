"""Home-print sheets: the cards imposed on A4 or US Letter from their own PDFs, with cut lines.

Nothing is laid out again: each card's two pages are placed, at full size
(text is never scaled below 9 pt), on the sheets of a frame that Typst makes
(templates/print/sheet.typ: how to print, and the dashed cut lines). As many
cards go on a side as fit, the sheet either way round: cards may touch each
other and the paper's unprintable edge may fall on a card's own blank margin,
never on its text. Sides 1 go on one page and sides 2 on the next, mirrored
left to right, so that turning the sheet over like a book page puts each side
2 behind its side 1: printed on both sides with the flip the first page names
(long edge for portrait sheets, short edge for landscape ones), at 100 %.

Two variants per paper size: on the cards' cream background, and light-ink,
without it (``cards/light-ink/``). The language is the cards' own. The sheets
are for printing, not for reading on a screen: they are not tagged and claim no
standard (each card's own PDF is PDF/UA-1).

A preview (not a release build) says so on the first two pages; the cards
placed on the others carry their own preview mark.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from generator.errors import RenderError
from generator.outputs.print.cards import MARGIN
from generator.outputs.print.forms import page_form
from generator.outputs.print.typeset import typeset
from generator.outputs.words import WORDS

SHEETS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
"""Sheet sizes (portrait) in millimetres."""
PRINTER_MARGIN = 5.0
"""Most home printers cannot print closer than this to the paper's edge (mm)."""
PT_PER_MM = 72 / 25.4


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

    @property
    def landscape(self) -> bool:
        """Return whether the sheet is used landscape."""
        return self.sheet[0] > self.sheet[1]

    def slot(self, index: int, back: bool) -> tuple[float, float]:
        """Return the top-left corner (mm) of slot ``index``; backs are mirrored left to right."""
        column, row = index % self.columns, index // self.columns
        if back:
            column = self.columns - 1 - column
        left = (self.sheet[0] - self.columns * self.card[0]) / 2 + column * self.card[0]
        top = (self.sheet[1] - self.rows * self.card[1]) / 2 + row * self.card[1]
        return left, top


def _count(length: float, card: float) -> int:
    """Return how many cards fit side by side in ``length`` mm: on the paper, with every card's
    text (``MARGIN`` inside its edge) within the printable area."""
    reach = length + 2 * max(0.0, MARGIN - PRINTER_MARGIN)
    return int(min(length, reach) // card) if card <= length else 0


def grid(sheet: tuple[float, float], card: tuple[float, float]) -> Grid:
    """Return the grid holding most cards at full size, portrait or landscape sheet."""
    best: Grid | None = None
    for width, height in (sheet, (sheet[1], sheet[0])):
        found = Grid((width, height), card, _count(width, card[0]), _count(height, card[1]))
        if found.per_sheet and (best is None or found.per_sheet > best.per_sheet):
            best = found
    if best is None:
        raise RenderError(f"a {card[0]} × {card[1]} mm card does not fit a {sheet} mm sheet")
    return best


INSTRUCTIONS = ("sheets_both_sides", "sheets_flip", "sheets_cut")
"""The printed lines with the print settings (first page): their words' keys."""


def _underlay(writer: PdfWriter, page: PageObject, forms: DictionaryObject, content: bytes) -> None:
    """Draw ``content`` (using the form XObjects ``forms``) under what ``page`` already shows."""
    resources = cast(DictionaryObject, page[NameObject("/Resources")].get_object())
    found = resources.get(NameObject("/XObject"))
    xobjects = DictionaryObject() if found is None else cast(DictionaryObject, found.get_object())
    resources[NameObject("/XObject")] = xobjects
    for name, form in forms.items():
        xobjects[NameObject(name)] = form
    below = DecodedStreamObject()
    below.set_data(b"q\n" + content + b"\nQ\n")
    existing = page.raw_get(NameObject("/Contents"))  # the reference, not the stream
    parts = existing.get_object() if isinstance(existing.get_object(), ArrayObject) else [existing]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(below), *parts])


def impose_sheets(
    root: Path,
    cards: Sequence[tuple[str, bytes]],
    sheet: str,
    card: tuple[float, float],
    epoch: int,
    language: str,
    light: bool,
    preview: bool = True,
) -> bytes:
    """Return the home-print sheets of ``cards`` (title and two-page PDF each) on one paper
    size, as PDF; ``preview``: not a release build, and the frame says so."""
    g = grid(SHEETS[sheet], card)
    groups = [cards[i : i + g.per_sheet] for i in range(0, len(cards), g.per_sheet)]
    pages = [
        [g.slot(i, back) for i in range(len(group))] for group in groups for back in (False, True)
    ]
    edge = WORDS["sheets_flip_short" if g.landscape else "sheets_flip_long"]
    paper = sheet.upper()
    paper = WORDS["sheets_light_ink"].format(paper=paper) if light else paper
    frame = typeset(
        root,
        "sheet.typ",
        {
            "sheets": {
                "title": WORDS["sheets_title"].format(paper=paper),
                "language": language,
                "width": g.sheet[0],
                "height": g.sheet[1],
                "card_width": card[0],
                "card_height": card[1],
                "instructions": [WORDS[key].format(edge=edge) for key in INSTRUCTIONS],
                "cards": [title for title, _ in cards],
                "blank": WORDS["sheets_blank"],
                "pages": pages,
                "preview": preview,
                "preview_text": WORDS["preview"],
            }
        },
        epoch,
        standards=(),
    )
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(frame)))
    for group_index, group in enumerate(groups):
        readers = [PdfReader(io.BytesIO(pdf)) for _, pdf in group]
        for side in (0, 1):
            target = writer.pages[2 + 2 * group_index + side]
            forms, placements = DictionaryObject(), []
            for index, reader in enumerate(readers):
                source = reader.pages[side]
                name = f"/Card{index}"
                forms[NameObject(name)] = writer._add_object(page_form(source, writer))
                left, top = g.slot(index, back=side == 1)
                x = left * PT_PER_MM - float(source.mediabox.left)
                y = (g.sheet[1] - top - card[1]) * PT_PER_MM - float(source.mediabox.bottom)
                placements.append(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q")
            _underlay(writer, target, forms, "\n".join(placements).encode())
    for key in ("/StructTreeRoot", "/MarkInfo", "/Metadata"):
        writer._root_object.pop(NameObject(key), None)  # not tagged once the cards are placed
    for page in writer.pages:
        page.pop(NameObject("/StructParents"), None)
    digest = hashlib.md5(f"sheets:{sheet}:{light}".encode(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
