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

from generator.model import Exercise
from generator.sources.catalogue import Catalogue
from generator.translations import files
from generator.translations.units import catalogue_units, exercise_safety_ids

TRADE_MARK = "backrack™"
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


def _numbers(text: str) -> Counter[str]:
    return Counter(n.replace(",", ".") for n in NUMBER.findall(text))


def exercise_gaps(root: Path, catalogue: Catalogue, exercise: Exercise, language: str) -> list[Gap]:
    """Return what keeps an exercise from being published in ``language``."""
    units = {u.id: u for u in catalogue_units(catalogue)}
    translated = {str(m.context): m for m in files.read(root, language) if m.id and m.context}
    gaps = []
    for entry in sorted(exercise_safety_ids(catalogue, exercise)):
        unit = units[entry]
        message = translated.get(entry)

        def gap(why: str, entry: str = entry) -> None:
            gaps.append(Gap(language, exercise.id, entry, why))

        if message is None or not message.string:
            gap("not translated")
            continue
        if "fuzzy" in message.flags:
            gap("marked fuzzy: a guess or an outdated translation, to be checked")
            continue
        if message.id != unit.text or files.recorded_source(message) != unit.digest:
            gap("outdated: the English changed since it was translated")
            continue
        if not any(h == unit.digest for h, _, _ in files.approvals(message)):
            gap("not approved by a reviewer")
        text = str(message.string)
        if _numbers(text) != _numbers(unit.text):
            gap(f"the numbers differ from the English ({unit.text!r})")
        if text.count(TRADE_MARK) != unit.text.count(TRADE_MARK):
            gap(f"'{TRADE_MARK}' must stand as in the English")
    return gaps


def language_gaps(root: Path, catalogue: Catalogue, language: str) -> dict[str, list[Gap]]:
    """Return, per published exercise, what keeps it from being published in ``language``."""
    return {e.id: exercise_gaps(root, catalogue, e, language) for e in catalogue.published}
