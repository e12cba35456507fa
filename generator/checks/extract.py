"""Read outputs back: the visible text of HTML pages and the text of PDFs, from their bytes.

The checks compare what a reader gets with the sources; they read the bytes a
build has in hand, not files on disk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.engine.cache import write_atomically


@dataclass
class PageText:
    """The visible text of a page's main content, and where its steps start."""

    text: str = ""
    """All text, white space collapsed, in document order."""
    steps: list[int] = field(default_factory=list)
    """Offset in ``text`` where each numbered step starts."""


class _Extractor(HTMLParser):
    """Collect the text inside ``<article>`` and the start of each ``ol.step-list > li``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self._chunks: list[str] = []
        self._article = 0
        self._in_steps = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article":
            self._article += 1
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "ol" and "step-list" in classes:
            self._in_steps += 1
        if tag == "li" and self._in_steps and self._article:
            self.page.steps.append(len(self._joined()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if tag in ("script", "style", "template"):
            self._hidden -= 1
        if tag == "ol" and self._in_steps:
            self._in_steps -= 1

    def handle_data(self, data: str) -> None:
        if self._article and not self._hidden:
            self._chunks.append(data)

    def _joined(self) -> str:
        joined = " ".join(" ".join(self._chunks).split())
        return joined + " " if joined else ""

    def close(self) -> None:
        super().close()
        self.page.text = self._joined()


def page_text(html: str) -> PageText:
    """Return the main text of an HTML page and the offsets of its steps."""
    extractor = _Extractor()
    extractor.feed(html)
    extractor.close()
    return extractor.page


class _Text(HTMLParser):
    """Visible text of a page: no script, style, title, or the diagrams' own text."""

    SKIP = frozenset({"script", "style", "title", "svg", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.chunks.append(data)


def html_text(html: str) -> str:
    """Return the visible text of an HTML page, white space collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.chunks).split())


def pdf_text(data: bytes) -> str:
    """Return the text of every page of a PDF, white space collapsed, pages apart by a form
    feed (nothing kept)."""
    return _extract(data)


class PdfTexts:
    """The text of PDFs, kept by the hash of each PDF's bytes in ``folder`` (if given).

    The text is a function of the bytes alone, and a large catalogue has many
    PDFs to read back on every build; a worker that reads a PDF it made keeps
    its text here, and the checks find it.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def __call__(self, data: bytes) -> str:
        """Return the text of every page of a PDF, white space collapsed."""
        if self.folder is None:
            return _extract(data)
        name = hashlib.sha256(data).hexdigest()
        stored = self.folder / name[:2] / f"{name}.pages.txt"
        if stored.is_file():
            return stored.read_text(encoding="utf-8")
        text = _extract(data)
        stored.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(stored, text.encode("utf-8"))
        return text


ZWSP = "\u200b"
"""The zero-width space the print templates put between the letters of a word too long for a
line, so that it may break there: not part of the text."""


def _extract(data: bytes) -> str:
    """Return the text of every page, in content order, white space collapsed, each page
    after a form feed (PDFium)."""
    import pypdfium2  # imported here: only builds that read PDFs back need it

    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace(ZWSP, "")  # a long word's break points
            pages.append(" ".join(text.split()))
            textpage.close()
            page.close()
    finally:
        document.close()
    return "\f".join(pages)
