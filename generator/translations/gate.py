"""The safety-translation gate: per language and exercise, is every safety text translated,
current and approved, with the same numbers and trade mark as the English?

An exercise that fails in a language is not published in that language: a release
build refuses it, a preview marks it, and the status report names the entries
(each problem names the language, the exercise and the entry's id).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message

from generator.model import Exercise
from generator.sources.catalogue import Catalogue
from generator.translations import files
from generator.translations.units import Unit, catalogue_units, exercise_safety_ids

TRADE_MARK = "backrack™"
EVERY_PAGE = "(every page)"
"""The exercise a gap names when the entry is on every page (a word, a section, the key)."""
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Gap:
    """A safety text an exercise may not be published without, in a language."""

    language: str
    exercise: str
    entry: str
    """The entry's stable id (its msgctxt)."""
    why: str

    def __str__(self) -> str:
        return (
            f"{files.FOLDER}/{self.language}.po: {self.entry}: {self.language} {self.exercise}: "
            f"{self.why}"
        )


def grouped(gaps: list[Gap]) -> list[str]:
    """Return the gaps one line per entry and problem, naming the exercises it holds back."""
    held: dict[tuple[str, str, str], list[str]] = {}
    for gap in gaps:
        held.setdefault((gap.language, gap.entry, gap.why), []).append(gap.exercise)
    return [
        f"{files.FOLDER}/{language}.po: {entry}: {language}: {why} "
        f"(holds back: {', '.join(dict.fromkeys(exercises))})"
        for (language, entry, why), exercises in held.items()
    ]


def _numbers(text: str) -> Counter[str]:
    return Counter(n.replace(",", ".") for n in NUMBER.findall(text))


TEXT = "text"
"""A problem that keeps the translation out of every output (the English stands in a preview)."""
RELEASE = "release"
"""A problem that keeps a correct translation out of a release only (it is not yet approved)."""


def unit_problems(unit: Unit, message: Message | None) -> list[tuple[str, str]]:
    """Return what is wrong with a unit's translation: (why, ``TEXT`` or ``RELEASE``) each.

    Every text must be translated, not fuzzy and current, with the English's numbers and
    trade mark; a safety text must also be approved by a reviewer in its present form.
    """
    if message is None or not message.string:
        return [("not translated", TEXT)]
    if "fuzzy" in message.flags:
        return [("marked fuzzy: a guess or an outdated translation, to be checked", TEXT)]
    if message.id != unit.text or files.recorded_source(message) != unit.digest:
        return [("outdated: the English changed since it was translated", TEXT)]
    problems = []
    text = str(message.string)
    if _numbers(text) != _numbers(unit.text):
        problems.append((f"the numbers differ from the English ({unit.text!r})", TEXT))
    if text.count(TRADE_MARK) != unit.text.count(TRADE_MARK):
        problems.append((f"'{TRADE_MARK}' must stand as in the English", TEXT))
    if unit.safety and not any(h == unit.digest for h, _, _ in files.approvals(message)):
        problems.append(("not approved by a reviewer", RELEASE))
    return problems


def exercise_gaps(root: Path, catalogue: Catalogue, exercise: Exercise, language: str) -> list[Gap]:
    """Return what keeps an exercise's safety text from being published in ``language``."""
    units = {u.id: u for u in catalogue_units(catalogue)}
    translated = {str(m.context): m for m in files.read(root, language) if m.id and m.context}
    return [
        Gap(language, exercise.id, entry, why)
        for entry in sorted(exercise_safety_ids(catalogue, exercise))
        for why, _ in unit_problems(units[entry], translated.get(entry))
    ]


def language_gaps(root: Path, catalogue: Catalogue, language: str) -> dict[str, list[Gap]]:
    """Return, per published exercise, what keeps it from being published in ``language``."""
    return {e.id: exercise_gaps(root, catalogue, e, language) for e in catalogue.published}
