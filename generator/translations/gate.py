"""The safety-translation gate: is an entry translated, current and (safety text) approved,
with the same numbers and trade mark as the English? (``unit_problems``)

Which exercises an entry holds back is ``apply.translation``'s: an exercise that fails in a
language is not published in it (a release build refuses it, a preview marks it), and the
build, ``status`` and ``translations check`` name each gap's language, exercise and entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from babel.messages.catalog import Message

from generator.translations import files
from generator.translations.units import Unit

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
