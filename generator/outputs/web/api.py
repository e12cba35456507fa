"""The machine-readable list of published exercises: ``site/api/exercises.json``.

Pure functions from the catalogue to bytes. The file and every record carry the identity
block (who makes the product, which product, which instructions). Only
``catalogue.published`` is read, so a draft cannot reach the file; links to other
exercises (prerequisites, next, balances) come from the view, which names only published
ones. Every part a reader meets on the web page is here, in the page's order within each
list: the safety messages, the prerequisites and warm-up, the phases and their numbered
steps, the dose, what to expect, the tips and what comes next. Keys are sorted and
nothing depends on the clock, so the same sources give the same bytes. Texts are data,
not markup: ``<``, ``>`` and ``&`` stand in the file as ``\\u`` escapes
(``embeds.json_file``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.model import Exercise
from generator.outputs import paths
from generator.outputs.embeds import json_file
from generator.outputs.identity import identity
from generator.outputs.view import DoseView, ExerciseView
from generator.outputs.words import signal_word, speech
from generator.sources.catalogue import Catalogue, Resolved

API_PATH = paths.API
"""Where the list goes below the site folder."""
FORMAT = 5
"""Version of the file's layout; raise it when a field is added, changes meaning or goes away.

2: ``warm_up``, ``prerequisites``, ``dose``, ``expect``, ``tips``, ``links``, and the
``number`` of each phase and step.
3: ``safety`` holds the doctor notice and the exercise's own messages;
``general_safety`` the texts every exercise carries alike (contraindications,
cautions, stop rule); ``reading_order`` says in which order to show the fields.
4: ``identity``, at the top and in every record: the maker, the EU responsible person, the
product and these instructions' id, version and date of issue (``outputs/identity.py``;
``null`` where a field is not yet confirmed).
5: ``language`` and ``reviewed`` at the top (a translation not yet reviewed is ``false``;
each language has its own file, ``<language>/api/exercises.json``); a message's
``signal_word``, the signal word as the reader sees it (``WARNING``, ``WARNUNG``), beside
``signal``, the code (``WARNING`` in every language)."""

READING_ORDER = (
    "title",
    "purpose",
    "safety",
    "suitable_for",
    "not_suitable_for",
    "prerequisites",
    "warm_up",
    "general_safety",
    "phases",
    "dose",
    "expect",
    "tips",
    "links",
)
"""The order in which a reader must meet the fields of a record (keys are sorted in the
file): everything before ``phases`` comes before the first step
(``generator/outputs/contract.py``). Within a phase: title, caption, breathing, then
each step's ``safety`` right before its ``text``, then the mistakes."""


def message_record(resolved: Resolved) -> dict[str, Any]:
    """Return one message with every field, empty ones as ``null`` or ``[]``."""
    message = resolved.message
    return {
        "ref": resolved.ref,
        "role": resolved.role.value,
        "signal": message.signal.value if message.signal else None,
        "signal_word": signal_word(message.signal) if message.signal else None,
        "title": message.title,
        "hazard": message.hazard,
        "items": list(message.items),
        "avoid": list(message.avoid),
        "consequence": message.consequence,
        "text": list(message.text),
    }


def exercise_link(exercise: Exercise, page_paths: Mapping[str, str]) -> dict[str, Any]:
    """Return the id, title and page URL of another published exercise."""
    return {"id": exercise.id, "title": exercise.title, "url": page_paths[exercise.id]}


def dose_record(dose: DoseView | None) -> dict[str, Any] | None:
    """Return how much and how often, as the page prints it (``null`` when not given)."""
    if dose is None:
        return None
    return {
        "repetitions": dose.repetitions,
        "hold_seconds": dose.hold_seconds,
        "frequency": dose.frequency,
        "note": dose.note,
    }


def exercise_record(
    view: ExerciseView, page_paths: Mapping[str, str], block: Mapping[str, Any]
) -> dict[str, Any]:
    """Return what the list says about one published exercise.

    ``page_paths`` gives the page URL of every published exercise, this one's and
    those it links to; ``block`` is the identity block the record carries.
    """
    exercise = view.exercise
    needs = exercise.prerequisites
    return {
        "id": exercise.id,
        "identity": block,
        "title": exercise.title,
        "purpose": exercise.purpose,
        "section": exercise.section.value,
        "order": exercise.order,
        "version": exercise.version,
        "reviewed": exercise.reviewed.isoformat(),
        "language": exercise.language,
        "areas": [area.value for area in exercise.areas],
        "suitable_for": list(exercise.suitable_for),
        "not_suitable_for": list(exercise.not_suitable_for),
        "url": page_paths[exercise.id],
        "preview": paths.preview(exercise.id),
        "embed": {"page": paths.embed(exercise.id), "oembed": paths.oembed(exercise.id)},
        "safety": [message_record(r) for r in view.notice + view.own],
        "general_safety": [message_record(r) for r in view.general],
        "prerequisites": {
            "exercises": [exercise_link(e, page_paths) for e in view.prerequisites],
            "months_of_use": needs.months_of_use,
            "note": needs.note,
        },
        "warm_up": [message_record(r) for r in view.warm_up],
        "phases": [
            {
                "number": phase.number,
                "id": phase.phase.id,
                "title": phase.phase.title,
                "caption": phase.phase.caption,
                "breathing": phase.phase.breathing,
                "diagram": {
                    "svg": phase.diagram.path,
                    "alt": phase.diagram.alt,
                    "width": phase.diagram.width,
                    "height": phase.diagram.height,
                },
                "steps": [
                    {
                        "number": step.number,
                        "text": step.text,
                        "safety": [message_record(r) for r in step.safety],
                    }
                    for step in phase.steps
                ],
                "mistakes": list(phase.phase.mistakes),
            }
            for phase in view.phases
        ],
        "dose": dose_record(view.dose),
        "expect": [message_record(r) for r in view.expect],
        "tips": list(exercise.tips),
        "links": {
            "next": exercise_link(view.next, page_paths) if view.next else None,
            "balances": exercise_link(view.balances, page_paths) if view.balances else None,
        },
    }


def exercises_json(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], page_paths: Mapping[str, str]
) -> bytes:
    """Return the list of published exercises in catalogue order, as UTF-8 JSON.

    ``page_paths`` gives each exercise's page URL relative to the site root
    (e.g. ``exercises/stomach-crunch/``), as mkdocs places it.
    """
    block = identity(catalogue)
    document = {
        "format": FORMAT,
        "language": catalogue.language,
        "reviewed": speech().reviewed,
        "identity": block,
        "reading_order": list(READING_ORDER),
        "exercises": [exercise_record(views[e.id], page_paths, block) for e in catalogue.published],
    }
    return json_file(document).encode("utf-8")
