"""Where a printed text was written: the source file and field, for messages an author can act on.

The printed outputs and the parity check see texts, not sources; when one of
them fails on a text, it names the file (``content/exercises/<id>.yaml`` or
``content/shared.yaml``) and the field (``phases.0.steps.1``,
``messages.consult-doctor.text.0``) the text was written in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.model import Exercise
from generator.sources.catalogue import Catalogue

SHARED_FILE = "content/shared.yaml"


def exercise_file(exercise: Exercise) -> str:
    """Return the source file of an exercise, relative to the project root."""
    return f"content/exercises/{exercise.id}.yaml"


_REPEATED_HYPHEN = re.compile(r"(?<=\w)([-\ufffe\x02])\s+-(?=\w)")
"""A hyphen at the end of a line and the one Typst repeats at the start of the next (the line
break read back as white space)."""


def squeeze(text: str) -> str:
    """Return ``text`` without white space, and a hyphen that ended a line as a hyphen.

    Texts read back from a PDF are compared this way: a word broken across
    lines gets a line break inside it, and PDFium reads a hyphen at the end of
    a line as U+FFFE (older versions: U+0002). In Czech, Croatian, Polish,
    Portuguese and Slovak, Typst repeats a hyphen that ends a line at the start
    of the next ("half-" / "-way"): read back, the two are one.
    """
    text = _REPEATED_HYPHEN.sub(r"\1", text)
    joined = "".join(text.split()).replace("\u200b", "")
    return joined.replace("\ufffe", "-").replace("\x02", "-")


def _strings(data: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, str(index)))


def _exercise_fields(exercise: Exercise) -> Iterator[tuple[str, str]]:
    data = exercise.model_dump(mode="json", exclude_defaults=True)
    for phase in data.get("phases", []):
        for index, step in enumerate(phase.get("steps", [])):
            if set(step) == {"text"}:  # written as a plain text
                phase["steps"][index] = step["text"]
    for path, text in _strings(data, ()):
        yield ".".join(path), text


def _shared_fields(catalogue: Catalogue, ref: str | None) -> Iterator[tuple[str, str]]:
    data = catalogue.shared.model_dump(mode="json", exclude_defaults=True)
    start: tuple[str, ...] = ()
    if ref is not None:
        data, start = data["messages"][ref], ("messages", ref)
    for path, text in _strings(data, start):
        yield ".".join(path), text


def locate(
    catalogue: Catalogue, text: str, exercise: Exercise | None = None, ref: str | None = None
) -> str:
    """Return ``file: field`` of the source text ``text`` was printed from (white space aside).

    With ``ref``, only the shared message of that id is searched; otherwise the
    exercise's own fields first (or every published exercise's, without
    ``exercise``), then the shared texts. A field equal to ``text`` wins over
    one that contains it. Not found: the exercise's file alone (or the shared
    file).
    """
    wanted = squeeze(text)
    places: list[tuple[str, Iterator[tuple[str, str]]]] = []
    if ref is None:
        for candidate in [exercise] if exercise is not None else list(catalogue.published):
            places.append((exercise_file(candidate), _exercise_fields(candidate)))
    places.append((SHARED_FILE, _shared_fields(catalogue, ref)))
    contained = None
    for name, fields in places:
        for field, value in fields:
            if squeeze(value) == wanted:
                return f"{name}: {field}"
            if wanted and contained is None and wanted in squeeze(value):
                contained = f"{name}: {field}"
    if contained is not None:
        return contained
    return exercise_file(exercise) if exercise is not None and ref is None else SHARED_FILE
