"""The JSON Schemas for authors' editors, generated from the model."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator.diagrams.model import Body, Pose, Scene
from generator.model import exercise_schema, shared_schema
from generator.sources.print_config import PrintConfig
from generator.sources.products import Products

SCHEMA_DIR = "schema"


def _schema(model: type[BaseModel], name: str) -> dict[str, object]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = name
    return schema


def schema_texts() -> dict[str, str]:
    """Return each schema file's name and text, as written to ``schema/``."""
    schemas = {
        "exercise.schema.json": exercise_schema(),
        "shared.schema.json": shared_schema(),
        "body.schema.json": _schema(Body, "body.schema.json"),
        "scene.schema.json": _schema(Scene, "scene.schema.json"),
        "pose.schema.json": _schema(Pose, "pose.schema.json"),
        "print.schema.json": _schema(PrintConfig, "print.schema.json"),
        "products.schema.json": _schema(Products, "products.schema.json"),
    }
    return {name: json.dumps(s, indent=2, sort_keys=True) + "\n" for name, s in schemas.items()}


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
