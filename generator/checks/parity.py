"""One safety-parity check across every output, read back from the built files.

For every published exercise, the doctor notice, each of its safety messages
(the contraindications and the stop rule among them) must be present, as
extracted text, in its web page, its card and its embed; no draft may have
any of these outputs. A template that loses a notice fails the build, naming
the output, the exercise, and the source file and field of the missing text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from generator.checks.extract import PdfTexts, html_text, page_text
from generator.checks.verify import message_texts
from generator.model import Exercise
from generator.outputs import paths
from generator.outputs.print.source import exercise_file, locate
from generator.outputs.print.source import squeeze as squeeze  # part of this module's interface too
from generator.sources.catalogue import Catalogue


def _web_page(files: Mapping[str, bytes], exercise: Exercise) -> str | None:
    page = files.get(paths.page_file(exercise.id))
    return None if page is None else page_text(page.decode("utf-8")).text


OUTPUTS: dict[str, tuple[Callable[[str], str], str]] = {
    "card": (paths.card, "pdf"),
    "print-shop card": (paths.print_card, "pdf"),
    "embed": (paths.embed, "html"),
}
"""Each output other than the web page: where it is, and what kind of file."""


def output_texts(
    files: Mapping[str, bytes], exercise: Exercise, pdf_text: PdfTexts
) -> dict[str, str | None]:
    """Return the extracted text of every output of one exercise (``None``: missing)."""
    texts: dict[str, str | None] = {"web page": _web_page(files, exercise)}
    for name, (where, kind) in OUTPUTS.items():
        data = files.get(where(exercise.id))
        if data is None:
            texts[name] = None
        else:
            texts[name] = pdf_text(data) if kind == "pdf" else html_text(data.decode("utf-8"))
    return texts


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


def check_booklet(
    files: Mapping[str, bytes], catalogue: Catalogue, pdf_text: PdfTexts
) -> list[str]:
    """Return what the booklet lacks: an exercise's safety texts in its section, or the
    contraindications in its important-information pages; and any draft in it."""
    booklet = files.get(paths.BOOKLET)
    if booklet is None:
        return ["booklet: missing"]
    text = squeeze(pdf_text(booklet))
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


def check_parity(
    files: Mapping[str, bytes],
    catalogue: Catalogue,
    pdf_text: PdfTexts | None = None,
    print_shop: bool = True,
) -> list[str]:
    """Return every output that lacks a safety text of its exercise, or shows a draft.

    ``print_shop=False``: the print-shop files were not made (no real site address).
    """
    pdf_text = pdf_text or PdfTexts()
    failures = check_booklet(files, catalogue, pdf_text)
    for exercise in catalogue.published:
        required = [
            (part, r.ref) for r in catalogue.safety(exercise) for part in message_texts(r.message)
        ]
        for output, text in output_texts(files, exercise, pdf_text).items():
            if text is None and output == "print-shop card" and not print_shop:
                continue
            if text is None:
                failures.append(f"{output} of {exercise.id}: missing")
                continue
            for part, ref in required:
                if squeeze(part) not in squeeze(text):
                    source = locate(catalogue, part, exercise, ref)
                    failures.append(f"{source}: {output} of {exercise.id}: lacks {part!r}")
    for draft in catalogue.drafts:
        for output, (where, _) in OUTPUTS.items():
            if where(draft.id) in files:
                failures.append(f"{output} of {draft.id}: a draft was published")
    return failures
