"""The diagram review sheet: every phase of every exercise, drafts included, on A4 pages.

For clinicians, to approve the pictures in one sitting: each picture with its
exercise, phase, status, caption, generated description (the alt text, in the
words a screen reader says) and the contacts its pose states (what rests on or
lies along what, where the hands are, what moves from the phase before). It
holds drafts, so it is never part of the site: ``python -m generator review``
writes it where it is told.

Laid out by Typst (``templates/print/review.typ``): A4 landscape, three cells
to a row, a cell never split across pages, PDF/UA-1. The words are here, the
layout is the template's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.diagrams.kit import Kit
from generator.diagrams.render import Drawn, contact_sentences
from generator.model import Exercise
from generator.outputs.print.typeset import typeset
from generator.sources.catalogue import Catalogue
from generator.sources.palette import PROJECT

TEMPLATE = "review.typ"
WORDS = {
    "title": "Diagram review sheet",
    "header": "Diagram review sheet: every phase, drafts included. Not for publication.",
    "page": "Page",
    "of": "of",
    "caption": "Caption:",
    "description": "Description (alt text):",
    "contacts": "Contacts the pose states:",
}
"""The sheet's own words (it is for the clinicians who review, in English)."""
NONE = "(none)"


def review_data(
    catalogue: Catalogue, drawings: Sequence[tuple[Exercise, list[Drawn]]]
) -> dict[str, Any]:
    """Return what the review sheet is laid out from: a cell per phase, in catalogue order."""
    kit = catalogue.kit
    cells = []
    for exercise, drawn in drawings:
        status = "published" if exercise.published else "draft (never published)"
        for index, (phase, diagram) in enumerate(zip(exercise.phases, drawn, strict=True)):
            cells.append(
                {
                    "heading": f"{exercise.title}: {index + 1}. {phase.title}",
                    "published": exercise.published,
                    "status": status,
                    "ids": f"{exercise.id} · phase {phase.id} · pose {phase.pose}",
                    "svg": diagram.svg,
                    "alt": diagram.alt,
                    "caption": phase.caption or NONE,
                    "contacts": _contacts(kit, exercise, index) or [NONE],
                }
            )
    intro = (
        f"{len(drawings)} exercises, {len(cells)} phases, drafts included. For each picture:"
        " does it show what the caption, the description and the contacts say? Mark any that"
        " does not, with the exercise and phase."
    )
    return {"words": WORDS, "intro": intro, "cells": cells}


def _contacts(kit: Kit, exercise: Exercise, index: int) -> list[str]:
    pose = kit.poses[exercise.phases[index].pose]
    return list(contact_sentences(pose, after_a_phase=index > 0))


def render_review(
    catalogue: Catalogue,
    drawings: Sequence[tuple[Exercise, list[Drawn]]],
    epoch: int,
    root: Path = PROJECT,
) -> bytes:
    """Return the review sheet as PDF bytes, dated ``epoch`` (the same input, the same bytes).

    ``root`` is the project whose print templates lay it out (by default the one the
    generator belongs to).
    """
    return typeset(root, TEMPLATE, review_data(catalogue, drawings), epoch)
