"""The rules a valid catalogue keeps, each adding ``Problem`` records and none stopping.

Identity and references, cycles of prerequisites, the safety gate (a published
exercise without its warnings, the doctor notice, the contraindications or the stop
rule is an error), plain language, glyphs the font lacks, poses and arrows, and what
a publication needs as a whole.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.diagrams.check import check_claims
from generator.diagrams.kit import Kit
from generator.diagrams.model import Pose
from generator.errors import Problem, relative
from generator.model import Entry, Exercise, MessageFields, Role, Section, Shared
from generator.sources import readability
from generator.sources.fonts import FAMILY, missing_characters
from generator.sources.load import Document, FieldPath

MAX_GRADE = 8.0
"""Highest reading grade accepted without a warning (Flesch-Kincaid and SMOG)."""
MAX_SENTENCE_WORDS = 20
"""Longest sentence accepted without a warning."""

REQUIRED_ROLES = {
    Role.DOCTOR_NOTICE: "the consult-your-doctor notice",
    Role.CONTRAINDICATIONS: "the contraindications",
    Role.CAUTION: "the cautions",
    Role.STOP_RULE: "the stop rule",
}
BRAND_MISSPELLING = re.compile(r"\bback[\s-]*r?ack(?!™)\w*|\bbackack\w*", re.IGNORECASE)


def check_folder(root: Path, folder: Path, files: list[Path]) -> Iterator[Problem]:
    """Refuse a catalogue without any exercise file: there would be nothing to build."""
    name = relative(folder, root)
    if not folder.is_dir():
        yield Problem(
            name, 1, 1, "(folder)", "folder is missing; the catalogue needs an exercise file here"
        )
    elif not files:
        yield Problem(
            name,
            1,
            1,
            "(folder)",
            "no exercise file (<id>.yaml) here; the catalogue needs at least one",
        )


def check_publication(
    root: Path, folder: Path, exercises: dict[str, tuple[Document, Exercise]]
) -> Iterator[Problem]:
    """Refuse a catalogue that would publish nothing, or nothing on getting onto the rack.

    Every output is of the published exercises (the booklet, the cards, the quick-start
    panel with the getting-on sequence); a catalogue of drafts only would be an empty
    publication, most likely by mistake, so it is refused rather than built.
    """
    name = relative(folder, root)
    published = [e for _, e in exercises.values() if e.published]
    if not published:
        yield Problem(
            name,
            1,
            1,
            "(folder)",
            "no published exercise; set 'status: published' on at least one exercise "
            "(drafts are never published, so there would be nothing to publish)",
        )
    elif not any(e.section is Section.GETTING_ON for e in published):
        yield Problem(
            name,
            1,
            1,
            "(folder)",
            f"no published exercise in the section '{Section.GETTING_ON}'; "
            "every publication shows how to get onto the rack (the quick-start panel needs it)",
        )


def check_glyphs(document: Document) -> Iterator[Problem]:
    """Report characters the printed outputs' font cannot draw, at the text they are in."""
    for path, text in _strings(document.data, ()):
        for char in missing_characters(text):
            name = unicodedata.name(char, "unnamed")
            yield document.value_problem(
                path,
                f"character U+{ord(char):04X} ({name.lower()}) is not in the font "
                f"{FAMILY}; it would print as an empty box",
            )


def _strings(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def check_pose_identity(document: Document, pose: Pose, seen: dict[str, Pose]) -> Iterator[Problem]:
    if pose.id != document.path.stem:
        yield document.problem(
            ("id",), f"id '{pose.id}' does not match the file name '{document.path.name}'"
        )
    if pose.id in seen:
        yield document.problem(("id",), f"duplicate pose id '{pose.id}'")


MIN_ARROW_MOVE = 15.0
"""Shortest movement (cm) worth an arrow; a shorter one would be lost in the figure."""


def check_phases(
    document: Document, exercise: Exercise, kit: Kit | None, broken: set[str]
) -> Iterator[Problem]:
    """Report repeated phase ids, unknown poses and arrows with nowhere to go."""
    seen: set[str] = set()
    for index, phase in enumerate(exercise.phases):
        where = ("phases", index)
        if phase.id in seen:
            yield document.problem((*where, "id"), f"duplicate phase id '{phase.id}'")
        seen.add(phase.id)
        if kit is None or phase.pose in broken:
            continue
        if phase.pose not in kit.poses:
            yield document.value_problem((*where, "pose"), _unknown("pose", phase.pose, kit.poses))
            continue
        yield from check_arrow(document, exercise, index, kit)
        yield from check_claims(document, exercise, index, kit)


def check_arrow(document: Document, exercise: Exercise, index: int, kit: Kit) -> Iterator[Problem]:
    phase = exercise.phases[index]
    marker = phase.overlay.arrow
    if marker is None:
        return
    where = ("phases", index, "overlay", "arrow")
    if index + 1 == len(exercise.phases):
        yield document.value_problem(
            where, "the last phase has no next phase for the arrow to point to"
        )
        return
    following = exercise.phases[index + 1].pose
    if following not in kit.poses:
        return
    start = kit.figure(phase.pose).marker(marker)
    end = kit.figure(following).marker(marker)
    if math.dist(start, end) < MIN_ARROW_MOVE:
        yield document.value_problem(
            where, f"the {marker} hardly moves between this phase and the next; drop the arrow"
        )


def check_identity(
    document: Document, exercise: Exercise, seen: dict[str, tuple[Document, Exercise]]
) -> Iterator[Problem]:
    stem = document.path.stem
    if exercise.id != stem:
        yield document.problem(
            ("id",), f"id '{exercise.id}' does not match the file name '{document.path.name}'"
        )
    if exercise.id in seen:
        first = seen[exercise.id][0]
        yield document.problem(("id",), f"duplicate id '{exercise.id}'; also used in {first.name}")


def check_shared(document: Document, shared: Shared) -> Iterator[Problem]:
    for role, what in REQUIRED_ROLES.items():
        if not any(m.role is role for m in shared.messages.values()):
            yield document.problem(("messages",), f"no message has role '{role}' ({what})")
    for index, ref in enumerate(shared.important):
        if ref not in shared.messages:
            yield document.problem(("important", index), _unknown("message", ref, shared.messages))


def _unknown(kind: str, ref: str, known: Any) -> str:
    close = difflib.get_close_matches(ref, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {kind} '{ref}'{hint}"


def _entries(exercise: Exercise) -> Iterator[tuple[FieldPath, Entry]]:
    """Yield every message entry of an exercise with its field path."""
    for name in ("safety", "expect"):
        for index, entry in enumerate(getattr(exercise, name)):
            yield (name, index), entry
    for p, phase in enumerate(exercise.phases):
        for s, step in enumerate(phase.steps):
            for m, entry in enumerate(step.safety):
                yield ("phases", p, "steps", s, "safety", m), entry


def check_references(
    document: Document,
    exercise: Exercise,
    shared: Shared,
    exercises: dict[str, tuple[Document, Exercise]],
    invalid: set[str],
) -> Iterator[Problem]:
    """Report references to unknown messages and exercises (not to ones that failed to load)."""
    for path, entry in _entries(exercise):
        if entry.ref is not None and entry.ref not in shared.messages:
            yield document.problem(
                (*path, "ref"), _unknown("shared message", entry.ref, shared.messages)
            )
    targets: list[tuple[FieldPath, str]] = [
        (("prerequisites", "exercises", i), ref)
        for i, ref in enumerate(exercise.prerequisites.exercises)
    ]
    targets += [(("links", k), v) for k, v in exercise.links.model_dump().items() if v]
    for path, ref in targets:
        target = exercises.get(ref)
        if target is None and ref in invalid:
            continue  # that file has errors of its own; do not report it twice
        if target is None:
            yield document.problem(path, _unknown("exercise", ref, exercises))
        elif ref == exercise.id:
            yield document.problem(path, "an exercise cannot refer to itself")
        elif path[0] == "prerequisites" and exercise.published and not target[1].published:
            yield document.problem(
                path, f"prerequisite '{ref}' is a draft, so a published exercise cannot require it"
            )


def check_cycles(exercises: dict[str, tuple[Document, Exercise]]) -> Iterator[Problem]:
    """Report each cycle in prerequisites once, at the exercise where it is first met."""
    state: dict[str, str] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> Iterator[Problem]:
        state[node] = "open"
        for ref in exercises[node][1].prerequisites.exercises:
            if ref not in exercises:
                continue
            if state.get(ref) == "open":
                cycle = [*trail[trail.index(ref) :], ref]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    document, exercise = exercises[node]
                    index = exercise.prerequisites.exercises.index(ref)
                    yield document.problem(
                        ("prerequisites", "exercises", index),
                        "prerequisites form a cycle: " + " → ".join(cycle),
                    )
            elif ref not in state:
                yield from visit(ref, [*trail, ref])
        state[node] = "done"

    for node in sorted(exercises):
        if node not in state:
            yield from visit(node, [node])


def check_safety_gate(document: Document, exercise: Exercise, shared: Shared) -> Iterator[Problem]:
    """Refuse to publish an exercise that lacks any required safety text."""
    if exercise.purpose is None:
        yield document.problem(("purpose",), "a published exercise needs a one-line 'purpose'")
    if not exercise.phases:
        yield document.problem(
            ("phases",), "a published exercise needs at least one phase with steps"
        )
    roles = {shared.messages[e.ref].role for e in exercise.safety if e.ref in shared.messages}
    where: FieldPath = ("safety",) if exercise.safety else ("status",)
    for role, what in REQUIRED_ROLES.items():
        if role not in roles:
            ref = next((k for k, m in shared.messages.items() if m.role is role), role.value)
            yield document.problem(
                where,
                f"a published exercise must carry {what} before its steps; "
                f"add '- ref: {ref}' to 'safety'",
            )
    signals = [
        (shared.messages[e.ref].signal if e.ref in shared.messages else None) if e.ref else e.signal
        for _, e in _entries(exercise)
    ]
    if not any(signals):
        yield document.problem(
            where, "a published exercise needs at least one safety message with a signal word"
        )


Texts = list[tuple[FieldPath, str]]
"""Reader-facing texts, each with the field path it was written at."""


def reader_texts(exercise: Exercise) -> Texts:
    """Return every text a reader of the exercise sees, with its field path."""
    texts: Texts = [(("title",), exercise.title), (("purpose",), exercise.purpose or "")]
    texts += _each(("tips",), exercise.tips)
    texts += _each(("suitable_for",), exercise.suitable_for)
    texts += _each(("not_suitable_for",), exercise.not_suitable_for)
    texts += [(("prerequisites", "note"), exercise.prerequisites.note or "")]
    if exercise.dose is not None:
        texts += [(("dose", "frequency"), exercise.dose.frequency or "")]
        texts += [(("dose", "note"), exercise.dose.note or "")]
    for p, phase in enumerate(exercise.phases):
        where: FieldPath = ("phases", p)
        texts += [((*where, "title"), phase.title), ((*where, "caption"), phase.caption or "")]
        texts += [((*where, "breathing"), phase.breathing or "")]
        texts += _each((*where, "mistakes"), phase.mistakes)
        # A step written as plain text has no 'text' key; its position is the step's own.
        texts += [((*where, "steps", s, "text"), step.text) for s, step in enumerate(phase.steps)]
    for path, entry in _entries(exercise):
        if entry.ref is None:
            texts += _message_texts(path, entry.inline())
    return [(path, text) for path, text in texts if text]


def _message_texts(path: FieldPath, message: MessageFields) -> Texts:
    """Return the texts of a message (written in place or shared), with their field paths."""
    texts: Texts = [
        ((*path, name), value)
        for name in ("title", "hazard", "consequence", "heading")
        if isinstance(value := getattr(message, name, None), str)
    ]
    for name in ("avoid", "text", "items"):
        texts += _each((*path, name), getattr(message, name))
    return texts


def _each(path: FieldPath, values: list[str]) -> Texts:
    """Return the items of a list field with their paths (a single item may stand unlisted)."""
    return [((*path, index), value) for index, value in enumerate(values)]


def shared_texts(shared: Shared) -> Texts:
    """Return every text of ``shared.yaml`` a reader sees, with its field path."""
    texts: Texts = [(("site_title",), shared.site_title)]
    texts += _each(("intro",), shared.intro)
    texts += [(("storage",), shared.storage)]
    if shared.maintenance is not None:
        texts += [(("maintenance",), shared.maintenance)]
    for index, section in enumerate(shared.sections):
        texts += [(("sections", index, "title"), section.title)]
        texts += [(("sections", index, "intro"), section.intro)]
    for ref, message in shared.messages.items():
        texts += _message_texts(("messages", ref), message)
    return [(path, text) for path, text in texts if text]


def check_language(document: Document, texts: Texts) -> Iterator[Problem]:
    """Warn about text that breaks the plain-language rules, at the field that holds it.

    The reading grade is of the file's texts together; it is reported at the text
    that raises it most (without which it is lowest), the first one to make plainer.
    """
    texts = [(_written(document, path), text) for path, text in texts]
    for path, text in texts:
        for match in BRAND_MISSPELLING.finditer(text):
            yield document.value_problem(
                path, f"write the product name as 'backrack™', not '{match.group(0)}'", "warning"
            )
        for sentence in readability.sentences(text):
            count = len(readability.words(sentence))
            if count > MAX_SENTENCE_WORDS:
                yield document.value_problem(
                    path,
                    f"sentence of {count} words (aim for {MAX_SENTENCE_WORDS} or fewer): "
                    f"'{sentence[:60]}…'",
                    "warning",
                )
    grades = readability.measure([text for _, text in texts])
    if grades.flesch_kincaid > MAX_GRADE or grades.smog > MAX_GRADE:
        yield document.value_problem(
            _hardest(texts),
            f"reading grade too high: Flesch-Kincaid {grades.flesch_kincaid}, "
            f"SMOG {grades.smog} (aim for {MAX_GRADE:g} or lower); this text raises it most",
            "warning",
        )


def _hardest(texts: Texts) -> FieldPath:
    """Return the path of the text without which the file's reading grade is lowest."""

    def without(index: int) -> float:
        rest = readability.measure([text for i, (_, text) in enumerate(texts) if i != index])
        return max(rest.flesch_kincaid, rest.smog)

    return texts[min(range(len(texts)), key=without)][0]


def _written(document: Document, path: FieldPath) -> FieldPath:
    """Return ``path`` as the author wrote it: a step or list item given as plain text
    stands at its parent's path (``steps.1``, not ``steps.1.text``; ``tips``, not ``tips.0``)."""
    while path and path not in document.value_marks:
        path = path[:-1]
    return path
