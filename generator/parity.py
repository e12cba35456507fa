"""One safety-parity check across every output, read back from the built files.

For every published exercise, the doctor notice, each of its safety messages
(the contraindications and the stop rule among them) must be present, as
extracted text, in its web page, its card and its embed; no draft may have
any of these outputs. A template that loses a notice fails the build, naming
the output and the exercise.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

from .catalogue import Catalogue
from .model import Exercise
from .verify import message_texts, page_text


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


def html_text(path: Path) -> str:
    """Return the visible text of an HTML file, white space collapsed."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return " ".join(" ".join(parser.chunks).split())


def pdf_text(path: Path) -> str:
    """Return the text of every page of a PDF, white space collapsed."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _web_page(site_dir: Path, exercise: Exercise) -> str:
    return page_text((site_dir / "exercises" / exercise.id / "index.html").read_text("utf-8")).text


OUTPUTS: dict[str, tuple[Callable[[Path, Exercise], Path], Callable[[Path], str]]] = {
    "card": (lambda site, e: site / "cards" / f"{e.id}.pdf", pdf_text),
    "print-shop card": (lambda site, e: site / "cards" / "print" / f"{e.id}.pdf", pdf_text),
    "embed": (lambda site, e: site / "embed" / f"{e.id}.html", html_text),
}
"""Each output other than the web page: where it is, and how its text is read."""


def output_texts(site_dir: Path, exercise: Exercise) -> dict[str, str | None]:
    """Return the extracted text of every output of one exercise (``None``: missing)."""
    texts: dict[str, str | None] = {"web page": _web_page(site_dir, exercise)}
    for name, (where, read) in OUTPUTS.items():
        path = where(site_dir, exercise)
        texts[name] = read(path) if path.is_file() else None
    return texts


def check_parity(site_dir: Path, catalogue: Catalogue) -> list[str]:
    """Return every output that lacks a safety text of its exercise, or shows a draft."""
    failures = []
    for exercise in catalogue.published:
        required = [part for r in catalogue.safety(exercise) for part in message_texts(r.message)]
        for output, text in output_texts(site_dir, exercise).items():
            if text is None:
                failures.append(f"{output} of {exercise.id}: missing")
                continue
            for part in required:
                if part not in text:
                    failures.append(f"{output} of {exercise.id}: lacks {part!r}")
    for draft in catalogue.drafts:
        for output, (where, _) in OUTPUTS.items():
            if where(site_dir, draft).exists():
                failures.append(f"{output} of {draft.id}: a draft was published")
    return failures
