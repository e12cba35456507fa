"""The safety gate on what was built: read the output back and check it.

The sources are gated in ``validate``; this module checks the rendered result,
so that a template change cannot drop a warning silently. For every published
exercise the web page must carry, as text, the doctor notice and every safety
message, each before the steps it concerns; no draft may have a page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from generator.checks.extract import PageText, page_text
from generator.checks.memo import CheckMemo, unmemoised
from generator.checks.scan import scan_site
from generator.model import Exercise
from generator.outputs import paths
from generator.outputs.contract import message_texts as message_texts
from generator.sources.catalogue import Catalogue, Resolved


def check_exercise_text(page: PageText, catalogue: Catalogue, exercise: Exercise) -> list[str]:
    """Return what is missing or misplaced in one exercise's extracted text."""
    failures: list[str] = []
    if not page.steps:
        return [f"{exercise.id}: no numbered steps found"]
    first_step = page.steps[0]
    for resolved in catalogue.resolve_all(exercise.safety):
        failures += _require_before(page.text, resolved, first_step, 0, exercise.id, "first step")
    number = 0
    for phase in exercise.phases:
        for step in phase.steps:
            start = page.steps[number] if number < len(page.steps) else len(page.text)
            earlier = page.steps[number - 1] if number else 0
            for resolved in catalogue.resolve_all(step.safety):
                failures += _require_before(
                    page.text, resolved, start, earlier, exercise.id, f"step {number + 1}"
                )
            number += 1
    if number != len(page.steps):
        failures.append(f"{exercise.id}: {len(page.steps)} steps shown, {number} in the source")
    return failures


def _require_before(
    text: str, resolved: Resolved, limit: int, after: int, exercise_id: str, where: str
) -> list[str]:
    failures = []
    for part in message_texts(resolved.message):
        found = text.find(part, after)
        if found < 0:
            failures.append(f"{exercise_id}: missing safety text {part!r}")
        elif found >= limit:
            failures.append(f"{exercise_id}: safety text {part!r} stands after the {where}")
    return failures


def verify_site(
    files: Mapping[str, bytes],
    catalogue: Catalogue,
    *,
    offline: bool = False,
    memo: CheckMemo | None = None,
) -> list[str]:
    """Return every safety failure in a built site's files (empty when it is sound).

    The offline copy has ``<page>.html`` files instead of folders, and only the
    SVG diagrams (its pages show those; the PNG and PDF copies are for designers).
    ``memo``: the checks passed before, skipped on the same files.
    """
    memo = memo or unmemoised()
    failures: list[str] = []
    for exercise in catalogue.published:
        page = paths.page_file(exercise.id, offline)
        if page not in files:
            failures.append(f"{exercise.id}: page {page} is missing")
            continue
        data = files[page]
        failures += memo.run(
            "page text" + (" offline" if offline else ""),
            exercise.id,
            [data],
            _page_failures,
            data,
            catalogue,
            exercise,
        )
        failures += _missing_diagrams(files, exercise, ("svg",) if offline else DIAGRAM_FORMATS)
    failures += scan_site(files, memo)
    for draft in catalogue.drafts:
        if any(_belongs_to(name, draft.id) for name in files):
            failures.append(f"{draft.id}: a draft was published")
    return failures


def _page_failures(data: bytes, catalogue: Catalogue, exercise: Exercise) -> list[str]:
    return check_exercise_text(page_text(data.decode("utf-8")), catalogue, exercise)


DIAGRAM_FORMATS = ("svg", "png", "pdf")


def _belongs_to(name: str, exercise_id: str) -> bool:
    """Return whether a site file is one of an exercise's pages or diagrams."""
    folders = (paths.page_file(exercise_id), paths.diagram(exercise_id, "-"))
    return name.startswith(tuple(posixpath.dirname(f) + "/" for f in folders)) or (
        name == paths.page_file(exercise_id, offline=True)
    )


def _missing_diagrams(
    files: Mapping[str, bytes], exercise: Exercise, formats: tuple[str, ...]
) -> list[str]:
    missing = []
    for phase in exercise.phases:
        for suffix in formats:
            path = paths.diagram(exercise.id, phase.id, suffix)
            if not files.get(path):
                missing.append(f"{exercise.id}: diagram {path} is missing")
    return missing
