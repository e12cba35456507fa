"""One safety-parity check across every output, read back from the built files.

For every published exercise, the doctor notice, each of its safety messages
(the contraindications and the stop rule among them) must be present, as
extracted text, in its web page, its card and its embed; no draft may have
any of these outputs. A template that loses a notice fails the build, naming
the output, the exercise, and the source file and field of the missing text.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from generator.checks.verify import message_texts, page_text
from generator.model import Exercise
from generator.outputs.print.source import exercise_file, locate
from generator.outputs.print.source import squeeze as squeeze  # part of this module's interface too
from generator.sources.catalogue import Catalogue


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
    return pdf_bytes_text(path.read_bytes())


_text_cache: list[Path] = []


def use_text_cache(folder: Path | None) -> None:
    """Keep extracted PDF texts in ``folder``, by the hash of the PDF (``None``: do not)."""
    _text_cache[:] = [folder] if folder is not None else []


def pdf_bytes_text(data: bytes) -> str:
    """Return the text of every page of a PDF given as bytes, white space collapsed.

    The text is a function of the bytes alone, and a large catalogue has many
    PDFs to read back on every build, so it is kept in the text cache when one
    is in use.
    """
    stored = None
    if _text_cache:
        name = hashlib.sha256(data).hexdigest()
        stored = _text_cache[0] / name[:2] / f"{name}.txt"
        if stored.is_file():
            return stored.read_text(encoding="utf-8")
    text = _extract(data)
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=stored.parent, prefix=".new-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, stored)
    return text


def _extract(data: bytes) -> str:
    """Return the text of every page, in content order, white space collapsed (PDFium)."""
    import pypdfium2  # imported here: only builds that read PDFs back need it

    document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(" ".join(textpage.get_text_range().split()))
            textpage.close()
            page.close()
    finally:
        document.close()
    return " ".join(pages)


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


BOOKLET = "print/booklet.pdf"


def booklet_sections(text: str, catalogue: Catalogue) -> dict[str, str | None]:
    """Return each published exercise's section of the booklet text (``None``: not found).

    A section starts at the exercise's title followed by its purpose (the
    contents list the title alone) and ends where the next one starts.
    """
    starts = {}
    for exercise in catalogue.published:
        found = text.find(squeeze(f"{exercise.title} {exercise.purpose}"))
        starts[exercise.id] = found if found >= 0 else None
    ordered = sorted((v, k) for k, v in starts.items() if v is not None)
    sections: dict[str, str | None] = dict.fromkeys(starts)
    for (start, key), following in zip(ordered, [*ordered[1:], (len(text), "")], strict=True):
        sections[key] = text[start : following[0]]
    return sections


def check_booklet(site_dir: Path, catalogue: Catalogue) -> list[str]:
    """Return what the booklet lacks: an exercise's safety texts in its section, or the
    contraindications in its important-information pages; and any draft in it."""
    path = site_dir / BOOKLET
    if not path.is_file():
        return ["booklet: missing"]
    text = squeeze(pdf_text(path))
    failures = []
    first_section = min(
        (text.find(squeeze(f"{e.title} {e.purpose}")) for e in catalogue.published),
        default=len(text),
    )
    front_matter = text[:first_section]
    for resolved in catalogue.important():
        if resolved.role.value == "contraindications":
            for part in message_texts(resolved.message):
                if squeeze(part) not in front_matter:
                    source = locate(catalogue, part, ref=resolved.ref)
                    failures.append(f"{source}: booklet important information: lacks {part!r}")
    for exercise_id, section in booklet_sections(text, catalogue).items():
        exercise = catalogue.get(exercise_id)
        if exercise is None or section is None:
            where = f"{exercise_file(exercise)}: title, purpose: " if exercise else ""
            failures.append(f"{where}booklet section of {exercise_id}: missing")
            continue
        first_step = section.find(squeeze(exercise.phases[0].steps[0].text))
        for resolved in catalogue.safety(exercise):
            for part in message_texts(resolved.message):
                found = section.find(squeeze(part))
                if found < 0 or (first_step >= 0 and found > first_step):
                    source = locate(catalogue, part, exercise, resolved.ref)
                    failures.append(f"{source}: booklet section of {exercise_id}: lacks {part!r}")
    for draft in catalogue.drafts:
        if squeeze(f"{draft.title} {draft.purpose}") in text:
            failures.append(f"booklet: the draft {draft.id} was published")
    return failures


def check_parity(site_dir: Path, catalogue: Catalogue) -> list[str]:
    """Return every output that lacks a safety text of its exercise, or shows a draft."""
    failures = check_booklet(site_dir, catalogue)
    for exercise in catalogue.published:
        required = [
            (part, r.ref) for r in catalogue.safety(exercise) for part in message_texts(r.message)
        ]
        for output, text in output_texts(site_dir, exercise).items():
            if text is None:
                failures.append(f"{output} of {exercise.id}: missing")
                continue
            for part, ref in required:
                if squeeze(part) not in squeeze(text):
                    source = locate(catalogue, part, exercise, ref)
                    failures.append(f"{source}: {output} of {exercise.id}: lacks {part!r}")
    for draft in catalogue.drafts:
        for output, (where, _) in OUTPUTS.items():
            if where(site_dir, draft).exists():
                failures.append(f"{output} of {draft.id}: a draft was published")
    return failures
