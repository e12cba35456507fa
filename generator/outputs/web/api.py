"""The machine-readable list of published exercises: ``site/api/exercises.json``.

Every address in it is absolute, below the site of the file's own language (a
translation's site is below ``<language>/``), and the file names its JSON Schema in
``$schema`` (``api_schema.py``, published beside it as ``api/exercises.schema.json``).

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
from generator.outputs.embed_scripts import RESIZER_SCRIPT
from generator.outputs.embeds import json_file
from generator.outputs.identity import identity
from generator.outputs.view import DoseView, ExerciseView
from generator.outputs.web.api_schema import api_schema
from generator.outputs.words import signal_word, speech
from generator.sources.catalogue import Catalogue, Resolved

API_PATH = paths.API
"""Where the list goes below the site folder."""
FORMAT = 6
"""Version of the file's layout. The policy: raise it by one whenever a program reading the
file could notice, that is when a field is added, goes away, is renamed, changes type or
meaning, or a closed list (``section``, ``areas``, ``role``, ``signal``) gains or loses a
value; the schema changes with it. New exercises, new texts or a new translation do not
change the layout: the identity block's ``document.version`` counts those.

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
``signal``, the code (``WARNING`` in every language).
6: every address is absolute (``url``, ``preview``, ``embed``, a diagram's ``svg``, the
links to other exercises), below the site of the file's language; ``$schema``, the
address of the file's JSON Schema; ``licence``, the terms of reuse (``null`` until the
maker sets them, ``content/products.yaml``)."""

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


def exercise_link(exercise: Exercise, page_urls: Mapping[str, str]) -> dict[str, Any]:
    """Return the id, title and page address of another published exercise."""
    return {"id": exercise.id, "title": exercise.title, "url": page_urls[exercise.id]}


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
    view: ExerciseView, page_urls: Mapping[str, str], block: Mapping[str, Any], site_url: str
) -> dict[str, Any]:
    """Return what the list says about one published exercise.

    ``page_urls`` gives the page address of every published exercise, this one's and
    those it links to; ``block`` is the identity block the record carries; ``site_url``
    the address of the site in the record's language.
    """
    exercise = view.exercise
    needs = exercise.prerequisites

    def at(path: str) -> str:
        return paths.site_file_url(site_url, path)

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
        "url": page_urls[exercise.id],
        "preview": at(paths.preview(exercise.id)),
        "embed": {"page": at(paths.embed(exercise.id)), "oembed": at(paths.oembed(exercise.id))},
        "safety": [message_record(r) for r in view.notice + view.own],
        "general_safety": [message_record(r) for r in view.general],
        "prerequisites": {
            "exercises": [exercise_link(e, page_urls) for e in view.prerequisites],
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
                    "svg": at(phase.diagram.path),
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
            "next": exercise_link(view.next, page_urls) if view.next else None,
            "balances": exercise_link(view.balances, page_urls) if view.balances else None,
        },
    }


def exercises_json(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    page_paths: Mapping[str, str],
    site_url: str,
) -> bytes:
    """Return the list of published exercises in catalogue order, as UTF-8 JSON.

    ``page_paths`` gives each exercise's page URL relative to the site root
    (e.g. ``exercises/stomach-crunch/``), as mkdocs places it; ``site_url`` is the
    address of the site in the catalogue's language, below which every address stands.
    """
    block = identity(catalogue)
    urls = {key: paths.site_file_url(site_url, path) for key, path in page_paths.items()}
    records = [exercise_record(views[e.id], urls, block, site_url) for e in catalogue.published]
    document = {
        "$schema": paths.site_file_url(site_url, paths.API_SCHEMA),
        "format": FORMAT,
        "language": catalogue.language,
        "reviewed": speech().reviewed,
        "identity": block,
        "licence": catalogue.products.licence,
        "reading_order": list(READING_ORDER),
        "exercises": records,
    }
    return json_file(document).encode("utf-8")


def schema_json(site_url: str) -> bytes:
    """Return the API file's JSON Schema, published at ``api/exercises.schema.json``."""
    return json_file(api_schema(paths.site_file_url(site_url, paths.API_SCHEMA))).encode("utf-8")


def partner_api_files(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    page_paths: Mapping[str, str],
    site_url: str,
) -> dict[str, bytes]:
    """Return the API file, its schema and the embeds' resizer script, by path below the site
    folder, every address below ``site_url`` (the site in the catalogue's language)."""
    return {
        paths.API: exercises_json(catalogue, views, page_paths, site_url),
        paths.API_SCHEMA: schema_json(site_url),
        paths.EMBED_RESIZER: RESIZER_SCRIPT.encode("utf-8"),
    }
