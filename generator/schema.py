"""The JSON Schemas for authors' editors, generated from the model."""

from __future__ import annotations

import json
from pathlib import Path

from .model import exercise_schema, shared_schema

SCHEMA_DIR = "schema"


def schema_texts() -> dict[str, str]:
    """Return each schema file's name and text, as written to ``schema/``."""
    return {
        "exercise.schema.json": json.dumps(exercise_schema(), indent=2, sort_keys=True) + "\n",
        "shared.schema.json": json.dumps(shared_schema(), indent=2, sort_keys=True) + "\n",
    }


def write_schemas(root: Path) -> list[Path]:
    """Write the schemas into ``root/schema``; return the paths written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
