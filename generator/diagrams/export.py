"""Raster and PDF copies of the diagrams, for designers and previews (cairosvg)."""

from __future__ import annotations

import datetime
import os
import re

from cairosvg.surface import PDFSurface, PNGSurface

PNG_SCALE = 2
"""PNG pixels per CSS pixel: sharp on high-density screens and in print previews."""


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """URL fetcher that fetches nothing: a diagram is self-contained."""
    raise ValueError(f"diagrams may not refer to other files: {url}")


def export_png(svg: str) -> bytes:
    """Return the diagram as a PNG image."""
    data: bytes = PNGSurface.convert(svg.encode(), scale=PNG_SCALE, url_fetcher=_refuse)
    return data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}Z\)")


def export_pdf(svg: str) -> bytes:
    """Return the diagram as a one-page vector PDF, dated ``SOURCE_DATE_EPOCH`` when set."""
    data: bytes = PDFSurface.convert(svg.encode(), url_fetcher=_refuse)
    return _fix_date(data)


def _fix_date(pdf: bytes) -> bytes:
    """Replace cairo's clock time by SOURCE_DATE_EPOCH (cairo before 1.17.8 ignores it).

    The replacement has the same length, so the cross-reference offsets stay right.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return pdf
    moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    stamp = moment.strftime("%Y%m%d%H%M%S").encode()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp + b"Z)", pdf)
