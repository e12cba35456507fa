"""Bind a loaded document to the model: pydantic errors become positioned problems.

A field that is missing, misspelt or of the wrong kind is reported at the line and
column where it was written (or where it belongs), with a "did you mean" where one helps.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.errors import Problem
from generator.sources.load import Document, FieldPath, load_document

M = TypeVar("M", bound=BaseModel)


def load_model(
    path: Path, root: Path, model: type[M], problems: list[Problem]
) -> tuple[Document | None, M | None]:
    if not path.is_file() and not path.is_symlink():  # a broken link is the loader's to report
        name = path.relative_to(root).as_posix()
        problems.append(Problem(name, 1, 1, "(document)", "file is missing"))
        return None, None
    document, found = load_document(path, root)
    problems.extend(found)
    if document is None:
        return None, None
    try:
        valid = model.model_validate(document.data)
    except ValidationError as exc:
        problems.extend(_translate(document, model, exc))
        return document, None
    return (document, None) if found else (document, valid)


def _translate(
    document: Document, model: type[BaseModel], exc: ValidationError
) -> Iterator[Problem]:
    """Turn pydantic's errors into located problems with plain messages."""
    for error in exc.errors(include_url=False):
        loc: FieldPath = tuple(error["loc"])
        if any(flag and loc[: len(flag)] == flag for flag in document.flagged):
            continue  # the loader has already reported this value
        message = _message(model, loc, error)
        if error["type"] == "extra_forbidden":
            yield document.problem(loc, message)
        elif error["type"] == "missing":
            yield document.problem(loc[:-1], message)
        else:
            yield document.problem(loc, message)


def _message(model: type[BaseModel], loc: FieldPath, error: Any) -> str:
    kind, value = error["type"], error.get("input")
    shown = repr(value) if isinstance(value, str) else None
    name = str(loc[-1]) if loc else "document"
    if kind == "missing":
        return f"required field '{name}' is missing"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
        return f"unknown field '{name}'{hint}"
    if value is None and kind in (
        "string_type",
        "int_type",
        "float_type",
        "date_type",
        "enum",
        "list_type",
        "model_type",
        "dict_type",
    ):
        return "has no value"
    if kind in ("int_parsing", "int_from_float"):
        return f"must be a whole number, not {shown}"
    if kind == "float_parsing":
        return f"must be a number, not {shown}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        reason = error.get("ctx", {}).get("error", "")
        detail = f" ({reason})" if reason else ""
        return f"must be a real date written YYYY-MM-DD, not {shown}{detail}"
    if kind == "string_pattern_mismatch":
        return f"must be lowercase words joined by hyphens (e.g. 'stomach-crunch'), not {shown}"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"must be one of {expected}, not {shown}"
    if kind == "bool_parsing":
        return f"must be true or false, not {shown}"
    if kind in ("list_type",):
        return "must be a list (lines starting with '- ')"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a mapping of fields (key: value)"
    if kind == "string_type":
        return "must be text"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """Return the field names of the model that sits at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
