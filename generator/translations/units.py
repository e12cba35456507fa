"""The translatable units of the sources: one per text a reader sees, each with a stable id.

The id is the text's place, not its words (``exercise:stomach-crunch:phases.0.steps.1``,
``shared:messages.consult-doctor.text.0``, ``pose:lie-back:description``,
``words:fit``), so editing one sentence touches one entry of each translation file.
A unit is *safety* text when the gate must find it translated, current and
approved before the exercise is published in a language: every part of a
safety message or notice an exercise carries (the doctor notice, its own
messages, the contraindications, the cautions, the stop rule, its step
messages), and its prerequisites.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from generator.model import Exercise, Role
from generator.outputs.words import ENGLISH, ENGLISH_LEGEND
from generator.sources.catalogue import Catalogue
from generator.sources.rules import reader_texts, shared_texts

SAFETY_ROLES = frozenset({Role.DOCTOR_NOTICE, Role.CONTRAINDICATIONS, Role.CAUTION, Role.STOP_RULE})
"""The shared messages' roles whose texts are safety text wherever they are used."""
SAFETY_WORDS = ("at_ease", "months")
"""The outputs' own words that state a prerequisite."""


@dataclass(frozen=True)
class Unit:
    """One translatable text."""

    id: str
    """Its stable id (the PO entry's context)."""
    text: str
    """The English source text (the PO entry's msgid)."""
    safety: bool
    """Whether the safety-translation gate holds it."""
    path: tuple[str | int, ...] = field(default=(), compare=False)
    """Where the text stands in its model (the exercise, ``shared``, the kit, the products, or
    the words): the place a translation takes."""

    @property
    def digest(self) -> str:
        """Return the hash of the source text (12 hex digits), which a translation records."""
        return source_hash(self.text)


def source_hash(text: str) -> str:
    """Return the hash a translation records of the source text it translates."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path)


def exercise_units(exercise: Exercise) -> list[Unit]:
    """Return the units of one exercise, in the order of its source."""
    units = []
    for path, text in reader_texts(exercise):
        safety = path[0] == "safety" or "safety" in path[2:] or path == ("prerequisites", "note")
        units.append(Unit(f"exercise:{exercise.id}:{_dotted(path)}", text, safety, path))
    return units


def shared_units(catalogue: Catalogue) -> list[Unit]:
    """Return the units of the shared texts."""
    messages = catalogue.shared.messages
    units = []
    for path, text in shared_texts(catalogue.shared):
        message = messages.get(str(path[1])) if path[0] == "messages" else None
        safety = message is not None and (
            message.role in SAFETY_ROLES or message.signal is not None
        )
        units.append(Unit(f"shared:{_dotted(path)}", text, safety, path))
    return units


def catalogue_units(catalogue: Catalogue) -> list[Unit]:
    """Return every unit: the shared texts, every exercise (drafts too: a translator may work
    ahead), the pose descriptions, the outputs' own words and the key to the pictures."""
    units = shared_units(catalogue)
    for exercise in catalogue.exercises:
        units += exercise_units(exercise)
    units += product_units(catalogue)
    for name, pose in sorted(catalogue.kit.poses.items()):
        where = ("poses", name, "description")
        units.append(Unit(f"pose:{name}:description", pose.description, False, where))
    units += [
        Unit(f"words:{key}", text, key in SAFETY_WORDS, (key,)) for key, text in ENGLISH.items()
    ]
    units += [Unit(f"legend:{key}", text, False, (key,)) for key, text in ENGLISH_LEGEND.items()]
    return units


def product_units(catalogue: Catalogue) -> list[Unit]:
    """Return the units of the products' texts (what it is, what it is for, the sizes)."""
    units = []
    for index, product in enumerate(catalogue.products.products):
        texts: list[tuple[tuple[str | int, ...], str]] = [
            (("description",), product.description),
            (("intended_use",), product.intended_use),
        ]
        for s, size in enumerate(product.sizes):
            texts += [(("sizes", s, "name"), size.name)]
            texts += [(("sizes", s, "height_imperial"), size.height_imperial)]
        units += [
            Unit(f"product:{product.id}:{_dotted(path)}", text, False, ("products", index, *path))
            for path, text in texts
            if text
        ]
    return units


def exercise_safety_ids(catalogue: Catalogue, exercise: Exercise) -> set[str]:
    """Return the ids of the safety units an exercise shows: its own safety text and every
    part of the shared safety messages it carries (general texts and step messages too)."""
    ids = {u.id for u in exercise_units(exercise) if u.safety}
    refs = {r.ref for r in catalogue.safety(exercise) if r.ref is not None}
    for phase in exercise.phases:
        for step in phase.steps:
            refs |= {r.ref for r in catalogue.resolve_all(step.safety) if r.ref is not None}
    refs |= {
        ref for ref, message in catalogue.shared.messages.items() if message.role in SAFETY_ROLES
    }
    for unit in shared_units(catalogue):
        parts = unit.id.split(":", 1)[1].split(".")
        if parts[0] == "messages" and parts[1] in refs and unit.safety:
            ids.add(unit.id)
    if exercise.prerequisites.exercises:
        ids.add("words:at_ease")
    if exercise.prerequisites.months_of_use:
        ids.add("words:months")
    return ids
