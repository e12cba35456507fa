"""A synthetic catalogue of any size, derived from the real one, for the benchmark.

Each published exercise is copied as often as needed. A copy gets its own id,
title and order, a purpose with one sentence added from a small pool, and its
links point at copies of the same round, so every copy is valid and its text
differs from the others. Drafts are kept once, as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

#: What a copy needs besides its content.
PROJECT_PARTS = (
    "mkdocs.yml",
    "print.yaml",
    "content",
    "diagrams",
    "generator",
    "templates",
    "schema",
)

#: Plain sentences, one of which is added to each copy's purpose.
EXTRA = (
    "Take your time with each step.",
    "Go slowly and breathe calmly.",
    "Rest on the rack between rounds.",
    "Stop if anything hurts.",
    "Keep your movements small and easy.",
    "Do this on a firm, flat floor.",
    "Wear loose, light clothes.",
)


def copy_project(root: Path, target: Path) -> Path:
    """Copy what a build needs from the project at ``root`` into ``target``; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def synthetic_project(root: Path, count: int, target: Path) -> Path:
    """Copy the project at ``root`` into ``target`` with ``count`` published exercises."""
    copy_project(root, target)
    folder = target / "content" / "exercises"
    sources = sorted(folder.glob("*.yaml"))
    published: list[dict[str, Any]] = []
    for path in sources:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status") == "published":
            published.append(data)
    if not published:
        raise ValueError("the real catalogue has no published exercise to copy")
    if count < len(published):
        raise ValueError(f"count must be at least {len(published)}, the real catalogue")
    wanted = [
        (published[index % len(published)], index // len(published) + 2)
        for index in range(count - len(published))
    ]
    made = {f"{original['id']}-{round_}" for original, round_ in wanted}
    for original, round_ in wanted:
        copy = _variant(original, round_, made)
        text = yaml.safe_dump(copy, sort_keys=False, allow_unicode=True, width=1000)
        (folder / f"{copy['id']}.yaml").write_text(text, encoding="utf-8")
    return target


def _variant(original: dict[str, Any], round_: int, made: set[str]) -> dict[str, Any]:
    """Return copy number ``round_`` of an exercise, linked to the same round's copies
    where they exist (``made``) and to the originals otherwise."""
    copy: dict[str, Any] = yaml.safe_load(yaml.safe_dump(original))

    def rename(exercise_id: str) -> str:
        renamed = f"{exercise_id}-{round_}"
        return renamed if renamed in made else exercise_id

    copy["id"] = rename(original["id"])
    copy["title"] = f"{original['title']} {round_}"
    copy["order"] = original["order"] + 5 * round_
    copy["purpose"] = f"{original['purpose']} {EXTRA[round_ % len(EXTRA)]}"
    prerequisites = copy.get("prerequisites") or {}
    if "exercises" in prerequisites:
        prerequisites["exercises"] = [rename(e) for e in prerequisites["exercises"]]
    links = copy.get("links") or {}
    for key, value in list(links.items()):
        links[key] = rename(value) if isinstance(value, str) else [rename(v) for v in value]
    return copy
