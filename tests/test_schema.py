"""The committed JSON Schemas match the model; refresh them with ``python -m generator schema``."""

from __future__ import annotations

import pytest
from conftest import REPO

from generator.sources.schema import SCHEMA_DIR, schema_texts

REFRESH = "schema is out of date; run: python -m generator schema"


def test_the_schema_folder_holds_exactly_the_generated_schemas() -> None:
    committed = sorted(p.name for p in (REPO / SCHEMA_DIR).glob("*.json"))
    assert committed == sorted(schema_texts())


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_committed_schema_equals_the_generated_one(name: str) -> None:
    committed = (REPO / SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema_texts()[name], REFRESH
