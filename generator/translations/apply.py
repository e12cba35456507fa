"""A catalogue in another language: every text the translation file gives, in its place.

``translation(root, catalogue, language)`` returns the catalogue with each
translated text put where its English stands (the exercises, the shared texts,
the products, the pose descriptions), the outputs' own words in that language
(``Speech``), and what keeps each exercise from being published in it (``Gap``).

A text is taken only when it is translated, not fuzzy, and translates the
present English (its recorded source hash is the English's). Otherwise the
English stands in its place: in a preview, where the page says that its
translation is not yet reviewed; never in a release, which refuses a language
with a gap (``generator.build``).

Which exercise a gap holds back: its own texts and the safety texts it shows
(``units.exercise_safety_ids``) hold that exercise; a text every page shows
(the site's title, the sections, the words, the key, the products) holds the
whole language and is reported for every exercise, named ``(every page)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.outputs.words import ENGLISH, ENGLISH_LEGEND, ENGLISH_SPEECH, Speech
from generator.sources.catalogue import Catalogue
from generator.translations import files
from generator.translations.gate import EVERY_PAGE, TEXT, Gap, unit_problems
from generator.translations.languages import SOURCE_LANGUAGE, SUPPORTED
from generator.translations.units import (
    Unit,
    catalogue_units,
    exercise_safety_ids,
    exercise_units,
)


@dataclass(frozen=True)
class Translation:
    """The catalogue in one language, its words, and what holds its exercises back."""

    language: str
    catalogue: Catalogue
    speech: Speech
    gaps: Mapping[str, tuple[Gap, ...]]
    """Per published exercise: what keeps it from being published in this language."""

    @property
    def name(self) -> str:
        """Return the language's own name (Deutsch)."""
        return SUPPORTED.get(self.language, self.language)

    @property
    def complete(self) -> bool:
        """Return whether every published exercise may be published in this language."""
        return not any(self.gaps.values())

    def all_gaps(self) -> list[Gap]:
        """Return every gap, each once, in a stable order."""
        found: dict[tuple[str, str, str], Gap] = {}
        for gaps in self.gaps.values():
            for gap in gaps:
                found.setdefault((gap.exercise, gap.entry, gap.why), gap)
        return sorted(found.values(), key=lambda g: (g.entry, g.exercise))


def source_translation(catalogue: Catalogue) -> Translation:
    """Return the catalogue in its own language: nothing to translate, nothing held back."""
    return Translation(SOURCE_LANGUAGE, catalogue, ENGLISH_SPEECH, {})


def translation(
    root: Path, catalogue: Catalogue, language: str, cache: Path | None = None
) -> Translation:
    """Return ``catalogue`` in ``language``, from ``content/translations/<language>.po``
    (``cache``: where its parse is kept by the file's hash; ``None``: parsed afresh)."""
    if language == SOURCE_LANGUAGE:
        return source_translation(catalogue)
    units = catalogue_units(catalogue)
    entries = files.entries(root, language, cache)
    problems = {u.id: unit_problems(u, entries.get(u.id)) for u in units}
    usable = {
        u.id: str(entries[u.id].string)
        for u in units
        if not any(blocks == TEXT for _, blocks in problems[u.id])
    }

    def text(unit: Unit) -> str:
        return usable.get(unit.id, unit.text)

    by_kind: dict[str, list[Unit]] = {}
    for unit in units:
        by_kind.setdefault(unit.id.split(":", 1)[0], []).append(unit)
    shared = catalogue.shared
    for unit in by_kind.get("shared", []):
        shared = _replace(shared, unit.path, text(unit))
    products = catalogue.products
    for unit in by_kind.get("product", []):
        products = _replace(products, unit.path, text(unit))
    kit = catalogue.kit
    for unit in by_kind.get("pose", []):
        kit = _replace(kit, unit.path, text(unit))
    exercises = []
    for exercise in catalogue.exercises:
        translated = exercise.model_copy(update={"language": language})
        for unit in exercise_units(exercise):
            translated = _replace(translated, unit.path, text(unit))
        exercises.append(translated)
    words = {key: text(u) for key, u in _keyed(by_kind.get("words", []), ENGLISH).items()}
    legend = {key: text(u) for key, u in _keyed(by_kind.get("legend", []), ENGLISH_LEGEND).items()}
    translated_catalogue = dataclasses.replace(
        catalogue,
        shared=shared,
        products=products,
        kit=kit,
        exercises=tuple(exercises),
        language=language,
        _by_id={},
    )
    gaps = _gaps(catalogue, units, problems, language)
    speech = Speech(language, words, legend, reviewed=not any(gaps.values()))
    return Translation(language, translated_catalogue, speech, gaps)


def _keyed(units: list[Unit], english: Mapping[str, str]) -> dict[str, Unit]:
    found = {str(u.path[0]): u for u in units}
    return {key: found[key] for key in english}


def _gaps(
    catalogue: Catalogue,
    units: list[Unit],
    problems: Mapping[str, list[tuple[str, str]]],
    language: str,
) -> dict[str, tuple[Gap, ...]]:
    """Return per published exercise the problems of the entries that hold it back."""
    every_page = [
        u.id
        for u in units
        if not u.id.startswith("exercise:") and not u.safety  # safety text: its exercises
    ]
    wide = [Gap(language, EVERY_PAGE, e, why) for e in every_page for why, _ in problems[e]]
    found: dict[str, tuple[Gap, ...]] = {}
    for exercise in catalogue.published:
        own = [u.id for u in exercise_units(exercise)]
        held = sorted(set(own) | exercise_safety_ids(catalogue, exercise))
        gaps = [Gap(language, exercise.id, e, why) for e in held for why, _ in problems[e]]
        found[exercise.id] = (*gaps, *wide)
    return found


def _replace(obj: Any, path: tuple[str | int, ...], value: str) -> Any:
    """Return ``obj`` with the text at ``path`` replaced (models copied, never changed)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(obj)
        items[head] = _replace(items[head], rest, value)
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return {**obj, head: _replace(obj[head], rest, value)}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{head: _replace(getattr(obj, head), rest, value)})
    return obj.model_copy(update={head: _replace(getattr(obj, head), rest, value)})
