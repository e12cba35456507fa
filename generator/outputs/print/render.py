"""WeasyPrint, fenced in: HTML in, PDF bytes out, and nothing fetched from outside.

Everything a document uses (fonts, diagrams, the QR code) is handed over in
memory under the ``resource:`` scheme; any other URL stops the render.

WeasyPrint writes the fonts of ``@font-face`` rules to a temporary folder and
removes it only when its font configuration is garbage-collected, which a
worker process that exits, or the interpreter at its end, never does: each
laid-out document owns its font configuration here, and closing the document
(``with layout(...) as rendered:``) removes the folder.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from weasyprint import HTML, Document
from weasyprint.css.properties import Dimension
from weasyprint.document import Page
from weasyprint.formatting_structure.boxes import MarginBox, ParentBox, TextBox
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.pdf import metadata as pdf_metadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from generator.errors import RenderError

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


class Fonts(FontConfiguration):  # type: ignore[misc]
    """WeasyPrint's font configuration, whose temporary folder can be removed at once."""

    _folder: Path | None
    """WeasyPrint's folder of the fonts it wrote (made on the first ``@font-face``)."""

    def close(self) -> None:
        """Remove the folder of the fonts written for the document (it may be used no more)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


@dataclass(frozen=True)
class Rendered:
    """A laid-out document, ready to measure or to write; close it when done with it."""

    document: Document
    fetcher: ProjectFetcher
    fonts: Fonts

    def close(self) -> None:
        """Remove the temporary files of the layout (the fonts); the document is unusable."""
        self.fonts.close()

    def __enter__(self) -> Rendered:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def layout(html: str, resources: Mapping[str, bytes]) -> Rendered:
    """Lay out an HTML document whose resources are all in ``resources``.

    The result holds temporary files until it is closed: use it in a ``with``.
    """
    fetcher = ProjectFetcher(resources)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fonts = Fonts()
    try:
        document = HTML(string=html, base_url=SCHEME, url_fetcher=fetcher).render(font_config=fonts)
    except FatalURLFetchingError as exc:
        fonts.close()
        raise RenderError(str(exc)) from None
    except BaseException:
        fonts.close()
        raise
    return Rendered(document, fetcher, fonts)


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
    return Rendered(rendered.document.copy(pages), rendered.fetcher, rendered.fonts)


@dataclass(frozen=True)
class Outside:
    """A line of text that runs out of the area it must stay in."""

    page: int
    """1-based page number."""
    text: str
    """The line's text."""
    by: float
    """How far it runs out, in mm."""


PX_PER_MM = 96 / 25.4
TOLERANCE = 0.5
"""Text may touch its area's edge by this much (px) without counting as outside: glyph
advances are rounded."""


def text_outside(rendered: Rendered) -> list[Outside]:
    """Return every line of text that runs out of the area it must stay in, sideways.

    The area is the page's content box (inside its margins), a running
    header's or footer's page, or, on a home-print sheet, the card slot (an
    element of class ``slot``, which clips what leaves it) it is in. A word
    wider than its column would be clipped at the page's edge or by the slot;
    the stylesheets break long words, and this check makes sure nothing is
    left over. Height is the page breaks' business: a card face longer than
    its page makes a third page, and the check of the cards reports it (a
    slot is as large as a card's page).
    """
    found: list[Outside] = []
    for number, page in enumerate(rendered.document.pages, 1):
        box = page._page_box
        content = (box.content_box_x(), box.content_box_x() + box.width)
        whole = (box.position_x, box.position_x + box.margin_width())
        for child in box.children:
            area = whole if isinstance(child, MarginBox) else content
            found += _outside(child, area, number)
    return found


def _outside(box: Any, area: tuple[float, float], page: int) -> Iterator[Outside]:
    if isinstance(box, AbsolutePlaceholder):  # where a positioned box (a card slot) was
        box = box._box
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if "slot" in classes and box.element_tag == "div":
        area = (box.content_box_x(), box.content_box_x() + box.width)
    if isinstance(box, TextBox):
        left = box.position_x
        by = max(area[0] - left, left + box.width - area[1])
        if by > TOLERANCE:
            yield Outside(page, box.text, by / PX_PER_MM)
    elif isinstance(box, ParentBox):
        for child in box.children:
            yield from _outside(child, area, page)


def write_pdf(rendered: Rendered, identifier: bytes) -> bytes:
    """Return the document as a tagged PDF with a fixed identifier (for reproducible bytes).

    It claims no standard. WeasyPrint's PDF/UA-1 and PDF/X-4 variants would claim what
    these files do not meet (its safety-alert triangles are tagged as figures without alt
    text; there is no output intent and the colours are RGB), and a file claims only what
    it meets. Any identifier WeasyPrint would draw from ``uuid4()`` is derived from
    ``identifier`` instead, so the same sources give the same bytes.
    """
    fixed = uuid.UUID(bytes=hashlib.md5(identifier, usedforsecurity=False).digest())
    original = pdf_metadata.uuid4
    pdf_metadata.uuid4 = lambda: fixed
    try:
        data: bytes = rendered.document.write_pdf(
            pdf_tags=True,
            pdf_identifier=identifier,
            pdf_variant=None,
            uncompressed_pdf=False,
        )
    finally:
        pdf_metadata.uuid4 = original
    return data


def checked(rendered: Rendered, find: Callable[[Rendered], list[str]]) -> Rendered:
    """Return ``rendered`` if ``find`` reports no problem in it; else close it and raise them."""
    try:
        problems = find(rendered)
    except BaseException:
        rendered.close()
        raise
    if problems:
        rendered.close()
        raise RenderError("\n".join(problems))
    return rendered
