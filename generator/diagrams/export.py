"""Raster and PDF copies of the diagrams, for designers and previews (cairosvg)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from cairosvg.surface import PDFSurface, PNGSurface

from generator.diagrams.render import Drawn

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


def export_pdf(svg: str, epoch: int) -> bytes:
    """Return the diagram as a one-page vector PDF, dated ``epoch`` (seconds since 1970)."""
    data: bytes = PDFSurface.convert(svg.encode(), url_fetcher=_refuse)
    return _fix_date(data, epoch)


_WORDS = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)


def wordless(svg: str) -> str:
    """Return a diagram without its title and description: what is drawn, the same in every
    language (the images made from it carry no words)."""
    return _WORDS.sub("", svg)


def diagram_files(drawings: Iterable[Drawn], epoch: int) -> dict[str, bytes]:
    """Return the PNG and PDF copies of diagrams, by path below the site folder."""
    files: dict[str, bytes] = {}
    for drawn in drawings:
        stem = drawn.path.removesuffix(".svg")
        files[f"{stem}.png"] = export_png(drawn.svg)
        files[f"{stem}.pdf"] = export_pdf(drawn.svg, epoch)
    return files


def _fix_date(pdf: bytes, epoch: int) -> bytes:
    """Replace cairo's clock time by the build date (cairo before 1.17.8 has no other way).

    The replacement has the same length, so the cross-reference offsets stay right.
    """
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    stamp = moment.strftime("%Y%m%d%H%M%S").encode()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp + b"Z)", pdf)
