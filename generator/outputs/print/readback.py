"""Printed text read back from the PDF: every line stays inside its page's margins.

Typst lets a word that cannot break run out of its column; the templates break
a long word between its letters, and this check makes sure nothing is left
over, on the PDF itself (PDFium's character boxes), whatever laid it out.
"""

from __future__ import annotations

from dataclasses import dataclass

PT_PER_MM = 72 / 25.4
TOLERANCE = 0.3
"""A glyph may touch the margin's edge by this much (mm): advances are rounded."""


@dataclass(frozen=True)
class Outside:
    """A line of text that runs out of the area it must stay in."""

    page: int
    """1-based page number."""
    text: str
    """The line's text."""
    by: float
    """How far it runs out, in mm."""


def text_outside(pdf: bytes, margin: float) -> list[Outside]:
    """Return every line with a character less than ``margin`` mm from the edge of the
    page's trim box (the page itself when it has none), left, right or below."""
    import pypdfium2  # imported here: only printed outputs need it

    found: list[Outside] = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            left, bottom, right, _ = page.get_trimbox()
            inner = (
                left + margin * PT_PER_MM,
                bottom + margin * PT_PER_MM,
                right - margin * PT_PER_MM,
            )
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            worst: dict[int, float] = {}  # line start → how far out (pt)
            for index, char in enumerate(text):
                if char.isspace() or char == "\u200b":
                    continue
                x0, y0, x1, _ = textpage.get_charbox(index)
                by = max(inner[0] - x0, x1 - inner[2], inner[1] - y0)
                if by > TOLERANCE * PT_PER_MM:
                    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
                    worst[start] = max(worst.get(start, 0.0), by)
            for start, by in sorted(worst.items()):
                end = min(
                    (i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0),
                    default=len(text),
                )
                line = text[start:end].replace("\u200b", "").strip()
                found.append(Outside(number, line, by / PT_PER_MM))
            textpage.close()
            page.close()
    finally:
        document.close()
    return found
