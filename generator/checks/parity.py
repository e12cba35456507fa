"""One parity check across every output, read back from the built files, part by part.

For every published exercise and every full output (web page, card,
print-shop card, home-print sheets, booklet, embed, API record) the text is
extracted (HTML, PDF, JSON) and held to the completeness contract
(``generator.outputs.contract``): every text of every part is present, in the
contract's order, with every safety message and prerequisite before the
first step and each step's messages right before it. The quick-start panel,
which abridges, is held to the parts it declares it keeps. No draft may have
any output. A failure names the source file and field, the output, the
exercise and the part.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from itertools import product
from typing import Any

from generator.checks.extract import PdfTexts, html_text, page_text
from generator.checks.memo import CheckMemo, unmemoised
from generator.model import Exercise, Section
from generator.outputs import paths
from generator.outputs.contract import (
    ABRIDGED,
    BEFORE_STEPS,
    Part,
    Text,
    message_texts,
    reading,
    signal_less,
)
from generator.outputs.print.sheets import SHEETS
from generator.outputs.print.source import exercise_file, locate
from generator.outputs.print.source import squeeze as squeeze  # part of this module's interface too
from generator.outputs.view import ExerciseView
from generator.outputs.words import WORDS
from generator.sources.catalogue import Catalogue
from generator.sources.publications import Publication, publications

PAGE_BREAK = "\f"
"""What separates the pages of a PDF's extracted text."""


def check_reading(text: str, view: ExerciseView, output: str, catalogue: Catalogue) -> list[str]:
    """Return every part of the contract that ``text`` lacks or gives out of order."""
    hay = squeeze(text)
    texts = reading(view)
    steps = [t for t in texts if t.part is Part.STEPS]
    first_step = hay.find(squeeze(steps[0].text)) if steps else len(hay)
    first_step = len(hay) if first_step < 0 else first_step
    failures: list[str] = []

    def fail(t: Text, what: str) -> None:
        source = locate(catalogue, signal_less(t.text), view.exercise, t.ref)
        failures.append(f"{source}: {output} of {view.id}: {t.part}: {what} {t.text!r}")

    cursor, phase_start = 0, dict[int, int]()
    for t in texts:
        if t.part is Part.CAPTIONS:
            continue
        needle = squeeze(t.text)
        end = first_step if t.part in BEFORE_STEPS else len(hay)
        found = hay.find(needle, cursor, end)
        if found < 0:
            anywhere = hay.find(needle)
            if anywhere < 0:
                fail(t, "lacks")
            elif t.part in BEFORE_STEPS and anywhere >= first_step:
                fail(t, "stands after step 1:")
            elif t.step and t.part is Part.STEP_MESSAGES:
                fail(t, f"does not stand right before step {t.step}:")
            else:
                fail(t, "stands out of the contract's order:")
            continue
        if t.part is Part.STEPS:
            phase_start.setdefault(t.phase, found)
        cursor = found + len(needle)
    cursor = 0
    for t in (t for t in texts if t.part is Part.CAPTIONS):
        found = hay.find(squeeze(t.text), cursor)
        if found < 0:
            fail(t, "lacks" if hay.find(squeeze(t.text)) < 0 else "stands out of order:")
        elif found > phase_start.get(t.phase, len(hay)):
            fail(t, f"stands after the first step of phase {t.phase}:")
        else:
            cursor = found
    return failures


def json_reading(record: Mapping[str, Any], order: list[str]) -> str:
    """Return the texts of one API record in the reading order its file declares, one per
    line.

    Numbers read as the pages print them (``3 months``, ``30 seconds``); ids,
    URLs and other data that no reader meets are left out.
    """
    return "\n".join(_walk_record(record, order))


def _walk_message(message: Mapping[str, Any]) -> Iterator[str]:
    for key in ("signal_word", "title", "hazard", "text", "items", "avoid", "consequence"):
        value = message.get(key)
        yield from (value if isinstance(value, list) else [value] if value else [])


def _walk_record(record: Mapping[str, Any], order: list[str]) -> Iterator[str]:
    for key in order:
        value = record.get(key)
        if value is None:
            continue
        if key in ("title", "purpose"):
            yield value
        elif key in ("safety", "warm_up", "general_safety", "expect"):
            for message in value:
                yield from _walk_message(message)
        elif key in ("suitable_for", "not_suitable_for", "tips"):
            yield from value
        elif key == "prerequisites":
            yield from (link["title"] for link in value["exercises"])
            if value["months_of_use"]:
                yield WORDS["months_value"].format(months=value["months_of_use"])
            if value["note"]:
                yield value["note"]
        elif key == "phases":
            for phase in value:
                yield from (phase[k] for k in ("title", "caption", "breathing") if phase[k])
                for step in phase["steps"]:
                    for message in step["safety"]:
                        yield from _walk_message(message)
                    yield step["text"]
                yield from phase["mistakes"]
        elif key == "dose":
            hold = value["hold_seconds"]
            texts = (
                value["repetitions"],
                WORDS["seconds_value"].format(seconds=hold) if hold else None,
            )
            yield from (t for t in (*texts, value["frequency"], value["note"]) if t)
        elif key == "links":
            yield from (value[k]["title"] for k in ("next", "balances") if value[k])


def _pdf(files: Mapping[str, bytes], where: str, pdf_text: PdfTexts) -> str | None:
    data = files.get(where)
    return None if data is None else pdf_text(data)


def _reading_failures(
    data: bytes,
    text: Callable[[bytes], str],
    view: ExerciseView,
    output: str,
    catalogue: Catalogue,
) -> list[str]:
    return check_reading(text(data), view, output, catalogue)


def output_texts(
    files: Mapping[str, bytes], exercise: Exercise, pdf_text: PdfTexts
) -> dict[str, str | None]:
    """Return the extracted text of each output of one exercise (``None``: missing).

    The booklet and the home-print sheets hold many exercises; ``check_parity``
    reads them apart.
    """
    return {
        output: None if data is None else text(data)
        for output, (data, text) in output_sources(files, exercise, pdf_text).items()
    }


def output_sources(
    files: Mapping[str, bytes],
    exercise: Exercise,
    pdf_text: PdfTexts,
    api: Mapping[str, Any] | None = None,
) -> dict[str, tuple[bytes | None, Callable[[bytes], str]]]:
    """Return each output of one exercise: the bytes it is read from (``None``: missing) and
    how its text is read. ``api``: the API file, parsed (read from ``files`` if not given)."""
    if api is None and paths.API in files:
        api = json.loads(files[paths.API])
    record = None
    if api is not None:
        found = [r for r in api["exercises"] if r["id"] == exercise.id]
        order = api.get("reading_order", [])
        if found:
            record = json.dumps([found[0], order], sort_keys=True, ensure_ascii=False).encode()

    def from_record(data: bytes) -> str:
        chosen, order = json.loads(data)
        return json_reading(chosen, order)

    return {
        "web page": (files.get(paths.page_file(exercise.id)), _web_text),
        "card": (files.get(paths.card(exercise.id)), pdf_text),
        "print-shop card": (files.get(paths.print_card(exercise.id)), pdf_text),
        "embed": (files.get(paths.embed(exercise.id)), _embed_text),
        "API record": (record, from_record),
    }


def _web_text(data: bytes) -> str:
    return page_text(data.decode("utf-8")).text


def _embed_text(data: bytes) -> str:
    return html_text(data.decode("utf-8"))


def booklet_sections(text: str, catalogue: Catalogue) -> dict[str, str | None]:
    """Return each published exercise's section of the booklet text (``None``: not found).

    A section starts at the exercise's title followed by its purpose (the
    contents list the title alone) and ends where the next one starts.
    """
    text = squeeze(text)
    starts = {}
    for exercise in catalogue.published:
        found = text.find(squeeze(f"{exercise.title} {exercise.purpose}"))
        starts[exercise.id] = found if found >= 0 else None
    ordered = sorted((v, k) for k, v in starts.items() if v is not None)
    sections: dict[str, str | None] = dict.fromkeys(starts)
    for (start, key), following in zip(ordered, [*ordered[1:], (len(text), "")], strict=True):
        sections[key] = text[start : following[0]]
    return sections


def sheet_cards(text: str, catalogue: Catalogue) -> dict[str, str | None]:
    """Return the text of each exercise's card on a home-print sheet file (``None``: missing).

    Side 1 of every card on a sheet is on one page, side 2 on the next, each
    card's text whole in the order the cards are placed; a card's text is its
    side 1 and its side 2 (each begins with its "Side 1 of 2." or "Side 2 of 2."),
    found by its title and purpose.
    """
    pages = text.split(PAGE_BREAK)
    pairs = []
    for number, page in enumerate(pages[:-1]):
        if WORDS["side_1"] not in page:
            continue  # the instructions, their back, or a page of sides 2
        fronts = _split_at(page, WORDS["side_1"])
        backs = _split_at(pages[number + 1], WORDS["side_2"])
        pairs += [f"{front} {back}" for front, back in zip(fronts, backs, strict=False)]
    cards: dict[str, str | None] = {}
    for exercise in catalogue.published:
        opening = squeeze(f"{exercise.title} {exercise.purpose}")
        cards[exercise.id] = next((p for p in pairs if opening in squeeze(p)), None)
    return cards


def _split_at(page: str, marker: str) -> list[str]:
    """Return the parts of ``page`` that begin with ``marker`` (what comes before the first is
    not a card's)."""
    return [marker + part for part in page.split(marker)[1:]]


def _named(output: str, publication: Publication, catalogue: Catalogue) -> str:
    """Return an output's name in messages: with its publication when there are several."""
    return output if len(publications(catalogue)) == 1 else f"{output} {publication.id}"


def check_booklet(
    files: Mapping[str, bytes],
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    pdf_text: PdfTexts,
    memo: CheckMemo | None = None,
) -> list[str]:
    """Return what each publication's booklet lacks: its important information before the
    first exercise, every part of every exercise it includes in its section, in order; and
    any draft, or any exercise it does not include, in it."""
    memo = memo or unmemoised()
    failures = []
    for publication in publications(catalogue):
        read = [publication.id.encode(), files.get(paths.booklet(publication.id))]
        failures += memo.run(
            "booklet",
            f"publication:{publication.id}",
            read,
            _check_booklet,
            files,
            catalogue,
            publication,
            views,
            pdf_text,
        )
    return failures


def _check_booklet(
    files: Mapping[str, bytes],
    whole: Catalogue,
    publication: Publication,
    views: Mapping[str, ExerciseView],
    pdf_text: PdfTexts,
) -> list[str]:
    catalogue = publication.catalogue(whole)
    output = _named("booklet", publication, whole)
    booklet = _pdf(files, paths.booklet(publication.id), pdf_text)
    if booklet is None:
        return [f"{output}: missing"]
    text = squeeze(booklet)
    failures = []
    first_section = min(
        (text.find(squeeze(f"{e.title} {e.purpose}")) for e in catalogue.published),
        default=len(text),
    )
    front_matter = text[:first_section]
    for resolved in catalogue.important():
        if resolved.role.value == "contraindications":
            for t in message_texts(resolved.message):
                if squeeze(t) not in front_matter:
                    source = locate(catalogue, t, ref=resolved.ref)
                    failures.append(f"{source}: {output} important information: lacks {t!r}")
    for exercise_id, section in booklet_sections(text, catalogue).items():
        view = views[exercise_id]
        if section is None:
            where = f"{exercise_file(view.exercise)}: title, purpose"
            failures.append(f"{where}: {output} section of {exercise_id}: missing")
            continue
        failures += check_reading(section, view, output, catalogue)
    for draft in catalogue.drafts:
        if squeeze(f"{draft.title} {draft.purpose}") in text:
            failures.append(f"{output}: the draft {draft.id} was published")
    for other in whole.published:
        if not publication.includes(other.id) and squeeze(f"{other.title} {other.purpose}") in text:
            failures.append(f"{output}: {other.id} is not in this publication")
    return failures


def check_sheets(
    files: Mapping[str, bytes],
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    pdf_text: PdfTexts,
    memo: CheckMemo | None = None,
) -> list[str]:
    """Return what each publication's home-print sheet files lack of each exercise's card."""
    memo = memo or unmemoised()
    failures = []
    for publication, sheet, light in product(publications(catalogue), SHEETS, (False, True)):
        name = f"home-print sheet ({sheet}{', light ink' if light else ''})"
        output = _named(name, publication, catalogue)
        data = files.get(paths.sheets(publication.id, sheet, light))
        if data is None:
            failures.append(f"{output}: missing")
            continue
        read = [publication.id.encode(), data]
        failures += memo.run(
            f"sheets {output}",
            f"publication:{publication.id}",
            read,
            _check_sheet,
            pdf_text,
            data,
            publication.catalogue(catalogue),
            views,
            output,
            catalogue,
        )
    return failures


def _check_sheet(
    pdf_text: PdfTexts,
    data: bytes,
    own: Catalogue,
    views: Mapping[str, ExerciseView],
    output: str,
    catalogue: Catalogue,
) -> list[str]:
    failures = []
    for exercise_id, card in sheet_cards(pdf_text(data), own).items():
        if card is None:
            failures.append(f"{output}: the card of {exercise_id} is missing")
        else:
            failures += check_reading(card, views[exercise_id], output, catalogue)
    return failures


def check_panel(
    files: Mapping[str, bytes],
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    site_url: str,
    pdf_text: PdfTexts,
    memo: CheckMemo | None = None,
) -> list[str]:
    """Return what each publication's quick-start panel lacks of the parts it declares it
    keeps."""
    memo = memo or unmemoised()
    failures = []
    for publication in publications(catalogue):
        data = files.get(paths.panel(publication.id))
        if data is None:
            continue  # not made without a real site address
        own = publication.catalogue(catalogue)
        read = [publication.id.encode(), site_url.encode(), data]
        failures += memo.run(
            "panel",
            f"panel:{publication.id}",
            read,
            _check_panel,
            pdf_text,
            data,
            own,
            views,
            site_url,
        )
    return failures


def _check_panel(
    pdf_text: PdfTexts,
    data: bytes,
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    site_url: str,
) -> list[str]:
    return check_panel_text(pdf_text(data), catalogue, views, site_url)


def check_panel_text(
    text: str, catalogue: Catalogue, views: Mapping[str, ExerciseView], site_url: str
) -> list[str]:
    """Return what the quick-start panel's text (as read back) lacks of the parts it declares
    it keeps (``ABRIDGED``), and whether it gives the address of the whole instructions."""
    output = "quick-start panel"
    text = squeeze(text)
    failures = []
    if squeeze(site_url) not in text:
        failures.append(f"{output}: lacks the address of the whole instructions {site_url!r}")
    for exercise in catalogue.published:
        if exercise.section is not Section.GETTING_ON:
            continue
        for t in reading(views[exercise.id]):
            if t.part not in ABRIDGED[output] and squeeze(t.text) not in text:
                source = locate(catalogue, signal_less(t.text), exercise, t.ref)
                failures.append(f"{source}: {output} of {exercise.id}: {t.part}: lacks {t.text!r}")
    return failures


def check_offline(
    site: Mapping[str, bytes], catalogue: Catalogue, views: Mapping[str, ExerciseView]
) -> list[str]:
    """Return what the offline copy's pages lack of the contract (its pages are the web
    pages' twins: ``<page>.html`` files, no search)."""
    failures = []
    for exercise in catalogue.published:
        page = site.get(paths.page_file(exercise.id, True))
        if page is None:
            failures.append(f"offline page of {exercise.id}: missing")
            continue
        text = page_text(page.decode("utf-8")).text
        failures += check_reading(text, views[exercise.id], "offline page", catalogue)
    return failures


OUTPUT_FILES: dict[str, Callable[[str], str]] = {
    "card": paths.card,
    "print-shop card": paths.print_card,
    "embed": paths.embed,
    "web page": paths.page_file,
}
"""The files each exercise has, by output (a draft must have none of them)."""


def check_parity(
    files: Mapping[str, bytes],
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    pdf_text: PdfTexts | None = None,
    print_shop: bool = True,
    site_url: str = "",
    memo: CheckMemo | None = None,
) -> list[str]:
    """Return every part of every exercise that an output lacks or misplaces, and any draft.

    ``print_shop=False``: the print-shop files were not made (no real site address).
    ``memo``: the checks passed before, skipped on the same files.
    """
    pdf_text = pdf_text or PdfTexts()
    memo = memo or unmemoised()
    failures = check_booklet(files, catalogue, views, pdf_text, memo)
    failures += check_sheets(files, catalogue, views, pdf_text, memo)
    failures += check_panel(files, catalogue, views, site_url, pdf_text, memo)
    api = json.loads(files[paths.API]) if paths.API in files else None
    for exercise in catalogue.published:
        view = views[exercise.id]
        for output, (data, text) in output_sources(files, exercise, pdf_text, api).items():
            if data is None and output == "print-shop card" and not print_shop:
                continue
            if data is None:
                failures.append(f"{output} of {exercise.id}: missing")
                continue
            failures += memo.run(
                f"parity {output}",
                exercise.id,
                [data],
                _reading_failures,
                data,
                text,
                view,
                output,
                catalogue,
            )
    for draft in catalogue.drafts:
        for output, where in OUTPUT_FILES.items():
            if where(draft.id) in files:
                failures.append(f"{output} of {draft.id}: a draft was published")
    return failures
