"""The quick-start panel for the box artwork: SVG composed here, PDF by cairosvg.

The warnings come first (the contraindications and the doctor notice), then
the getting-on sequence with its diagrams, and a QR code to the website. SVG
cannot wrap text, so lines are broken here with the typeface's own advance
widths, and a word wider than its column (an address) is broken across lines,
as the other printed outputs do; a text that does not fit its place fails the
build, naming the source file and field it was written in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from generator.diagrams.export import export_pdf
from generator.errors import RenderError
from generator.model import Role, Section, Signal
from generator.outputs import paths
from generator.outputs.print.qr import qr_svg
from generator.outputs.print.source import SHARED_FILE, exercise_file
from generator.outputs.view import ExerciseView
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.fonts import FACES, font_folder
from generator.sources.palette import PROJECT, Look, Palette, load_palette

PT = 25.4 / 72
"""Millimetres per point."""
MARGIN = 5.0
TEXT_PT = 7.5
TITLE_PT = 11.0
LINE = 1.25


@cache
def _font(bold: bool) -> TTFont:
    return TTFont(font_folder() / FACES[("bold" if bold else "normal", "normal")])


@cache
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    font = _font(bold)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return widths, int(font["head"].unitsPerEm)


def outline(text: str, x: float, y: float, size_pt: float, bold: bool = False) -> str:
    """Return the path data (mm) of ``text`` set at (x, baseline y) in the family.

    Text becomes outlines, as packaging artwork wants: the panel looks the same
    in every program, with or without the font installed.
    """
    font = _font(bold)
    glyphs, cmap = font.getGlyphSet(), font.getBestCmap()
    widths, units = _advances(bold)
    scale = size_pt * PT / units
    pen = SVGPathPen(glyphs, ntos=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            raise RenderError(f"the font has no glyph for {char!r}")
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, y)))
        x += widths[ord(char)] * scale
    return str(pen.getCommands())


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Return the width (mm) of ``text`` set in the family at ``size_pt``."""
    widths, units = _advances(bold)
    fallback = widths.get(ord("n"), units // 2)
    return sum(widths.get(ord(c), fallback) for c in text) * size_pt / units * PT


BREAK_AFTER = "/-.?&=_"
"""Where a word wider than its column is best broken (an address's parts), if near the end."""


def wrap(text: str, width: float, size_pt: float, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm.

    Lines break between words; a word wider than the column starts a line and
    is broken across lines (CSS ``overflow-wrap: anywhere``), after a ``/``,
    ``-`` or ``.`` when one lies in the last third of the line, else anywhere.
    """
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size_pt, bold) <= width:
            lines[-1] = candidate
        else:
            lines += _pieces(word, width, size_pt, bold)
    return lines


def _pieces(word: str, width: float, size_pt: float, bold: bool) -> list[str]:
    """Return a word cut into pieces no wider than ``width`` mm (the word itself if it fits)."""
    pieces = []
    while text_width(word, size_pt, bold) > width:
        fits = 0
        while text_width(word[: fits + 1], size_pt, bold) <= width:
            fits += 1
        if not fits:
            raise RenderError(f"the column is narrower than the character {word[0]!r}")
        cut = max((i + 1 for i, c in enumerate(word[:fits]) if c in BREAK_AFTER), default=0)
        if cut < fits * 2 // 3:
            cut = fits
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


@dataclass
class _Column:
    """A column being filled from the top, in millimetres."""

    x: float
    y: float
    width: float
    bottom: float
    parts: list[str]
    words: list[str]

    def text(self, text: str, source: str, size: float = TEXT_PT, bold: bool = False) -> None:
        """Set ``text`` (written in ``source``: ``file: field``) below what is there."""
        try:
            for line in wrap(text, self.width, size, bold):
                self.y += size * PT * LINE
                self.parts.append(f'<path d="{outline(line, self.x, self.y, size, bold)}"/>')
        except RenderError as exc:
            raise RenderError(f"{source}: quick-start panel: {exc}") from None
        self.words.append(text)
        if self.y > self.bottom:
            over = self.y - self.bottom
            raise RenderError(
                f"{source}: quick-start panel: the text is {over:.1f} mm too long; shorten it"
                " or make the panel larger (print.yaml, panel:)"
            )

    def gap(self, mm: float) -> None:
        self.y += mm


def _nested(svg: str, x: float, y: float, width: float, height: float) -> str:
    """Return an SVG document placed as a nested ``<svg>`` at (x, y), scaled to fit."""
    body = re.sub(r'\s(width|height|role|aria-labelledby|version)="[^"]*"', "", svg, count=5)
    return body.replace(
        "<svg ", f'<svg x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" height="{height:.2f}" ', 1
    )


def _look(palette: Palette, signal: Signal | None, role: Role) -> Look:
    """Return the look of a message's title band: its signal word's, else the notice's."""
    if signal is not None:
        return palette.signal(signal)
    return palette.doctor_notice if role is Role.DOCTOR_NOTICE else palette.notice_box


def render_panel(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    site_url: str,
    width: float,
    height: float,
    root: Path = PROJECT,
) -> str:
    """Return the quick-start panel as a self-contained SVG of ``width`` × ``height`` mm,
    in the colours of ``root``'s palette."""
    getting_on = next((e for e in catalogue.published if e.section is Section.GETTING_ON), None)
    if getting_on is None:
        raise RenderError("quick-start panel: no published getting-on exercise")
    product = catalogue.shared.product
    palette = load_palette(root)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm"'
        f' viewBox="0 0 {width} {height}" role="img" aria-labelledby="qs-title">',
        f'<title id="qs-title">{escape(product)}: quick start</title>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        '<g fill="#1a1a1a">',
    ]
    words: list[str] = []
    left = _Column(MARGIN, MARGIN, width * 0.42 - MARGIN, height - MARGIN, parts, words)
    left.text(f"{product}: quick start", f"{SHARED_FILE}: product", TITLE_PT, bold=True)
    left.gap(1.5)
    for role in (Role.CONTRAINDICATIONS, Role.DOCTOR_NOTICE):
        for resolved in catalogue.shared_by_role(role):
            message = resolved.message
            heading = message.signal.value if message.signal else (message.title or "")
            look = _look(palette, message.signal, role)
            parts.append(
                f'<rect x="{left.x - 1:.2f}" y="{left.y + 0.6:.2f}" width="{left.width + 2:.2f}"'
                f' height="{(TEXT_PT + 1) * PT * LINE + 0.6:.2f}" fill="{look.band}"/>'
            )
            parts.append(f'<g fill="{look.text}">')
            field = f"{SHARED_FILE}: messages.{resolved.ref}"
            left.text(
                heading, f"{field}.{'signal' if message.signal else 'title'}", TEXT_PT + 1, True
            )
            parts.append("</g>")
            left.gap(0.8)
            lines = [("hazard", message.hazard or "")]
            for name in ("items", "avoid", "text"):
                lines += [(f"{name}.{i}", line) for i, line in enumerate(getattr(message, name))]
            for name, line in lines:
                if line:
                    bullet = "• " if name.startswith("items.") else ""
                    left.text(bullet + line, f"{field}.{name}")
            left.gap(1.5)
    right_x = width * 0.42 + 2
    right = _Column(right_x, MARGIN, width - right_x - MARGIN, height - MARGIN, parts, words)
    source = exercise_file(getting_on)
    right.text(getting_on.title, f"{source}: title", TEXT_PT + 2, bold=True)
    drawn = views[getting_on.id].diagrams
    columns = 2
    cell = (right.width - 3 * (columns - 1)) / columns
    row_top = right.y + 2
    for row in range(0, len(drawn), columns):
        tallest = 0.0
        for index in range(row, min(row + columns, len(drawn))):
            phase, diagram = getting_on.phases[index], drawn[index]
            x = right_x + (index - row) * (cell + 3)
            h = cell * diagram.height / diagram.width
            parts.append(_nested(diagram.svg, x, row_top, cell, h))
            caption = _Column(x, row_top + h, cell, height - MARGIN - 22, parts, words)
            caption.text(
                f"{index + 1}. {phase.title}", f"{source}: phases.{index}.title", bold=True
            )
            tallest = max(tallest, caption.y - row_top)
        row_top += tallest + 2.5
    qr_size = 20.0
    url = f"{site_url.rstrip('/')}/"
    qr = qr_svg(url).decode()
    qr_x, qr_y = width - MARGIN - qr_size, height - MARGIN - qr_size
    parts.append(_nested(qr, qr_x, qr_y, qr_size, qr_size))
    note = _Column(right_x, qr_y - 1, qr_x - right_x - 2, height - MARGIN, parts, words)
    note.text(
        "All the exercises, step by step, with every safety note:",
        "generator/outputs/print/panel.py",
    )
    note.text(url, "mkdocs.yml: site_url")
    # The words, for screen readers and search (the drawing has outlines, not text).
    parts.insert(2, f'<desc id="qs-desc">{escape(" ".join(words))}</desc>')
    parts[0] = parts[0].replace('aria-labelledby="qs-title"', 'aria-labelledby="qs-title qs-desc"')
    parts += ["</g>", "</svg>"]
    return "\n".join(parts) + "\n"


def panel_files(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings
) -> dict[str, bytes]:
    """Return the panel as SVG and as PDF."""
    panel = catalogue.printing.panel
    svg = render_panel(
        catalogue, views, settings.site_url, panel.width, panel.height, settings.root
    )
    return {paths.PANEL_SVG: svg.encode(), paths.PANEL_PDF: export_pdf(svg, settings.epoch)}
