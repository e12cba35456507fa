"""WeasyPrint, fenced in: HTML in, PDF bytes out, and nothing fetched from outside.

Everything a document uses (fonts, diagrams, the QR code) is handed over in
memory under the ``resource:`` scheme; any other URL stops the render.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from weasyprint import HTML, Document
from weasyprint.css.properties import Dimension
from weasyprint.document import Page
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.pdf import metadata as pdf_metadata
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..errors import RenderError

SCHEME = "resource:"
MEDIA_TYPES = {".svg": "image/svg+xml", ".ttf": "font/ttf", ".css": "text/css"}


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Serve the given resources; refuse every other URL, stopping the render."""

    def __init__(self, resources: Mapping[str, bytes]) -> None:
        super().__init__(allowed_protocols=["resource"])
        self.resources = resources

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        name = url.removeprefix(SCHEME)
        if not url.startswith(SCHEME) or name not in self.resources:
            raise FatalURLFetchingError(f"the renderer may not fetch {url!r}")
        media = next((t for s, t in MEDIA_TYPES.items() if name.endswith(s)), "text/plain")
        return URLFetcherResponse(url, self.resources[name], {"Content-Type": media})


@dataclass(frozen=True)
class Rendered:
    """A laid-out document, ready to measure or to write."""

    document: Document
    fetcher: ProjectFetcher


def layout(html: str, resources: Mapping[str, bytes]) -> Rendered:
    """Lay out an HTML document whose resources are all in ``resources``."""
    fetcher = ProjectFetcher(resources)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        document = HTML(string=html, base_url=SCHEME, url_fetcher=fetcher).render()
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from None
    return Rendered(document, fetcher)


def without_bleed(rendered: Rendered) -> Rendered:
    """Return the same laid-out pages without their bleed and crop marks.

    Bleed and marks lie outside the page box and do not change the layout, so
    a print-shop document and its plain twin can share one layout (about half
    of a render's time). Each page box is copied with zero bleed and no
    marks, and its background (painted over the bleed area) is placed again.
    This uses WeasyPrint's page boxes, pinned in the lock file; a test checks
    that the result is byte-identical to a plain document laid out on its own.
    """
    pages = []
    for page in rendered.document.pages:
        box = copy.copy(page._page_box)
        style = box.style.copy()
        for side in ("top", "right", "bottom", "left"):
            style[f"bleed_{side}"] = Dimension(0, "px")
        style["marks"] = ()
        if any(kind != "none" for kind, _ in style["background_image"]):
            raise RenderError("a page with a background image cannot drop its bleed")
        box.style = style
        layout_box_backgrounds(box, box, None, layout_children=False)
        pages.append(Page(box))
    return Rendered(rendered.document.copy(pages), rendered.fetcher)


def write_pdf(rendered: Rendered, identifier: bytes, variant: str | None = None) -> bytes:
    """Return the document as a tagged PDF with a fixed identifier (for reproducible bytes).

    PDF/X-4 metadata carries an XMP DocumentID that WeasyPrint draws from
    ``uuid4()``; it is derived from ``identifier`` instead, so the same sources
    give the same bytes.
    """
    fixed = uuid.UUID(bytes=hashlib.md5(identifier, usedforsecurity=False).digest())
    original = pdf_metadata.uuid4
    pdf_metadata.uuid4 = lambda: fixed
    try:
        data: bytes = rendered.document.write_pdf(
            pdf_tags=True,
            pdf_identifier=identifier,
            pdf_variant=variant,
            uncompressed_pdf=False,
        )
    finally:
        pdf_metadata.uuid4 = original
    return data
