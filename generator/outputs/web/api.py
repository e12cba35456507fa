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

from generator.diagrams.render import draw_exercise
from generator.model import Exercise
from generator.outputs.embeds import embed_path, json_file, oembed_path
from generator.outputs.previews import preview_path
from generator.sources.catalogue import Catalogue, Resolved

API_PATH = "api/exercises.json"
"""Where the list goes below the site folder."""
FORMAT = 1
"""Version of the file's layout; raise it when a field changes meaning or goes away."""


def exercise_safety(catalogue: Catalogue, exercise: Exercise) -> list[Resolved]:
    """Return the exercise's own safety messages in page order: the doctor notice first."""
    return catalogue.safety(exercise)


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


def exercise_record(catalogue: Catalogue, exercise: Exercise, page_path: str) -> dict[str, Any]:
    """Return what the list says about one published exercise."""
    diagrams = draw_exercise(catalogue.kit, exercise)
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
        "preview": preview_path(exercise),
        "embed": {"page": embed_path(exercise), "oembed": oembed_path(exercise)},
        "safety": [message_record(r) for r in exercise_safety(catalogue, exercise)],
        "phases": [
            {
                "id": phase.id,
                "title": phase.title,
                "caption": phase.caption,
                "breathing": phase.breathing,
                "diagram": {
                    "svg": drawn.path,
                    "alt": drawn.alt,
                    "width": drawn.width,
                    "height": drawn.height,
                },
                "steps": [
                    {
                        "text": step.text,
                        "safety": [message_record(r) for r in catalogue.resolve_all(step.safety)],
                    }
                    for step in phase.steps
                ],
                "mistakes": list(phase.mistakes),
            }
            for phase, drawn in zip(exercise.phases, diagrams, strict=True)
        ],
    }


def exercises_json(catalogue: Catalogue, page_paths: Mapping[str, str]) -> bytes:
    """Return the list of published exercises in catalogue order, as UTF-8 JSON.

    ``page_paths`` gives each exercise's page URL relative to the site root
    (e.g. ``exercises/stomach-crunch/``), as mkdocs places it.
    """
    document = {
        "format": FORMAT,
        "exercises": [exercise_record(catalogue, e, page_paths[e.id]) for e in catalogue.published],
    }
    return json_file(document).encode("utf-8")
