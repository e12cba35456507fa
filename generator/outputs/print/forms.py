"""A PDF page as a form XObject: how the booklet's printer's spreads and the home-print
sheets place whole pages of another PDF without laying them out again."""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, StreamObject


def page_form(page: PageObject, writer: PdfWriter) -> StreamObject:
    """Return a page's content and resources as a form XObject (compressed), its content
    copied without being parsed; the resources cloned once per source document."""
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
