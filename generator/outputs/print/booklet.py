"""The operating-instructions booklet in the box, and its saddle-stitch imposition.

Cover; important information first (contraindications, cautions, sizes, the
doctor notice, the stop rule, expected reactions, storage); contents with
page numbers; then each part in order with its exercises, each exercise's
safety messages before its steps. Page numbers and the revision line on every
page but the cover; the page count padded with notes pages to a multiple of 4
for saddle stitching.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from generator.outputs import paths
from generator.outputs.print.cards import BLEED, print_css
from generator.outputs.print.render import (
    Rendered,
    checked,
    layout,
    text_outside,
    without_bleed,
    write_pdf,
)
from generator.outputs.print.source import locate
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.view import ExerciseView
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.fonts import font_face_css, font_files

BOOKLET_SIZES = {"a5": (148.0, 210.0), "a6": (105.0, 148.0)}
MARGINS = {"a5": "14mm 12mm 16mm", "a6": "10mm 8mm 12mm"}
"""Page margins (top, sides, bottom): text well inside the trim, room for the footer."""


def revision_line(catalogue: Catalogue) -> str:
    """Return the booklet's revision: the newest exercise version and review date."""
    newest = max(catalogue.published, key=lambda e: e.reviewed)
    version = sum(e.version for e in catalogue.published)
    return f"Content revision {version} · {newest.reviewed.isoformat()}"


def booklet_context(catalogue: Catalogue, views: Mapping[str, ExerciseView]) -> dict[str, Any]:
    """Return what the booklet shows, section by section."""
    parts = [
        (info, [views[exercise.id] for exercise in exercises])
        for info, exercises in catalogue.sections()
    ]
    return {
        "shared": catalogue.shared,
        "important": catalogue.important(),
        "sections": catalogue.sections(),
        "parts": parts,
        "revision": revision_line(catalogue),
        "language": catalogue.published[0].language if catalogue.published else "en",
    }


def _css(root: Path, size: str, bleed: bool) -> str:
    width, height = BOOKLET_SIZES[size]
    page = f"size: {width}mm {height}mm; margin: {MARGINS[size]};"
    if bleed:
        page += f" bleed: {BLEED}mm; marks: crop;"
    own = print_css(root, "booklet/booklet.css")
    return font_face_css("resource:fonts/") + f"@page {{ {page} }}\n" + own


def render_booklet(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings, bleed: bool = False
) -> bytes:
    """Return the booklet as a tagged PDF whose page count is a multiple of 4."""
    with _layout_booklet(catalogue, views, settings, bleed) as rendered:
        return _write(rendered, catalogue, bleed)


def render_booklets(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings
) -> dict[str, bytes]:
    """Return the booklet, its printer's spreads and its print-shop variant, from one layout."""
    with _layout_booklet(catalogue, views, settings, bleed=True) as rendered:
        booklet = _write(without_bleed(rendered), catalogue, False)
        shop = _write(rendered, catalogue, True)
    return {
        paths.BOOKLET: booklet,
        paths.BOOKLET_IMPOSED: impose(booklet),
        paths.BOOKLET_PRINT: shop,
    }


def _layout_booklet(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings, bleed: bool
) -> Rendered:
    size, root = catalogue.printing.booklet.size.value, settings.root
    resources = {f"fonts/{name}": data for name, data in font_files().items()}
    for exercise in catalogue.published:
        for drawn in views[exercise.id].diagrams:
            resources[drawn.path] = drawn.svg.encode()
    template = environment(root / TEMPLATES_DIR).get_template("booklet/booklet.html.j2")
    context = booklet_context(catalogue, views) | {
        "css": _css(root, size, bleed),
        "date": settings.iso_date,
    }
    rendered = layout(template.render(context, blank_pages=0), resources)
    padding = -len(rendered.document.pages) % 4
    if padding:
        rendered.close()
        rendered = layout(template.render(context, blank_pages=padding), resources)

    def problems(rendered: Rendered) -> list[str]:
        found = [
            f"{locate(catalogue, line.text)}: booklet: a line on page {line.page} runs "
            f"{line.by:.1f} mm out of the page: {line.text[:40]!r}"
            for line in text_outside(rendered)
        ]
        if len(rendered.document.pages) % 4:
            found.append(f"booklet: {len(rendered.document.pages)} pages, not a multiple of 4")
        return found

    return checked(rendered, problems)


def _write(rendered: Rendered, catalogue: Catalogue, bleed: bool) -> bytes:
    size = catalogue.printing.booklet.size.value
    identifier = hashlib.sha256(f"booklet:{size}:{bleed}".encode()).hexdigest()[:32]
    return write_pdf(rendered, identifier.encode())


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """Return the (left, right) page numbers of each printer's spread, sheet by sheet.

    For 8 pages: (8, 1), (2, 7), (6, 3), (4, 5): fold the printed sheets in the
    middle, nest them, and the pages read 1 to 8.
    """
    spreads = []
    for sheet in range(pages // 4):
        spreads.append((pages - 2 * sheet, 1 + 2 * sheet))
        spreads.append((2 + 2 * sheet, pages - 1 - 2 * sheet))
    return spreads


def impose(pdf: bytes) -> bytes:
    """Return printer's spreads for saddle stitching: two pages side by side per side.

    Each page goes onto its sheet whole, as a form XObject placed with a
    translation, so its content is copied without being parsed.
    """
    reader = PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(reader.pages)):
        sheet = writer.add_blank_page(width=2 * width, height=height)
        forms, placements = DictionaryObject(), []
        for name, number, offset in (("/L", left, 0.0), ("/R", right, width)):
            page = reader.pages[number - 1]
            forms[NameObject(name)] = writer._add_object(_form(page, writer))
            x, y = offset - float(page.mediabox.left), -float(page.mediabox.bottom)
            placements.append(f"q 1 0 0 1 {x:g} {y:g} cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
        contents = DecodedStreamObject()
        contents.set_data("\n".join(placements).encode())
        sheet[NameObject("/Contents")] = writer._add_object(contents)
    writer.add_metadata({"/Title": "Booklet, printer's spreads (saddle stitch)"})
    writer._ID = None  # no random file identifier: the same input gives the same bytes
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(page: PageObject, writer: PdfWriter) -> StreamObject:
    """Return a page's content and resources as a form XObject (compressed)."""
    contents = page[NameObject("/Contents")].get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    streams = [part.get_object() for part in parts if part is not None]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(s.get_data() for s in streams if isinstance(s, StreamObject)))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(page.mediabox),
            NameObject("/Resources"): page[NameObject("/Resources")].clone(writer),
        }
    )
    return form.flate_encode()
