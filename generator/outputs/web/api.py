"""The machine-readable list of published exercises: ``site/api/exercises.json``.

Pure functions from the catalogue to bytes. Only ``catalogue.published`` is
read, so a draft cannot reach the file; links to other exercises are left out
for the same reason. Keys are sorted and nothing depends on the clock, so the
same sources give the same bytes. Texts are data, not markup: ``<``, ``>`` and
``&`` stand in the file as ``\\u`` escapes (``embeds.json_file``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.outputs import paths
from generator.outputs.embeds import json_file
from generator.outputs.view import ExerciseView
from generator.sources.catalogue import Catalogue, Resolved

API_PATH = paths.API
"""Where the list goes below the site folder."""
FORMAT = 1
"""Version of the file's layout; raise it when a field changes meaning or goes away."""


def message_record(resolved: Resolved) -> dict[str, Any]:
    """Return one message with every field, empty ones as ``null`` or ``[]``."""
    message = resolved.message
    return {
        "ref": resolved.ref,
        "role": resolved.role.value,
        "signal": message.signal.value if message.signal else None,
        "title": message.title,
        "hazard": message.hazard,
        "items": list(message.items),
        "avoid": list(message.avoid),
        "consequence": message.consequence,
        "text": list(message.text),
    }


def exercise_record(view: ExerciseView, page_path: str) -> dict[str, Any]:
    """Return what the list says about one published exercise."""
    exercise = view.exercise
    return {
        "id": exercise.id,
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
        "url": page_path,
        "preview": paths.preview(exercise.id),
        "embed": {"page": paths.embed(exercise.id), "oembed": paths.oembed(exercise.id)},
        "safety": [message_record(r) for r in view.safety],
        "phases": [
            {
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
                    {"text": step.text, "safety": [message_record(r) for r in step.safety]}
                    for step in phase.steps
                ],
                "mistakes": list(phase.phase.mistakes),
            }
            for phase in view.phases
        ],
    }


def exercises_json(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], page_paths: Mapping[str, str]
) -> bytes:
    """Return the list of published exercises in catalogue order, as UTF-8 JSON.

    ``page_paths`` gives each exercise's page URL relative to the site root
    (e.g. ``exercises/stomach-crunch/``), as mkdocs places it.
    """
    document = {
        "format": FORMAT,
        "exercises": [exercise_record(views[e.id], page_paths[e.id]) for e in catalogue.published],
    }
    return json_file(document).encode("utf-8")
