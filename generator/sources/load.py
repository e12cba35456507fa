"""Strict YAML loading: untrusted author text in, plain data with positions out.

The loader walks PyYAML's event stream itself instead of using a constructor,
so that:

- every scalar stays a string (``no`` is never ``False``, ``0755`` never 493);
  only the model converts values;
- tags, anchors and aliases are refused before anything is built;
- nesting depth is counted while parsing, so a deep file is an error rather
  than a recursion crash (libyaml's C composer segfaults on such input, and
  PyYAML's composer recurses: neither is used; only parser events are read);
- the events come from libyaml's parser when PyYAML has it (the same events
  with the same positions, many times faster), and a file it finds a YAML error
  in is parsed again by PyYAML's own, whose messages authors see;
- duplicate keys are found, also when they differ only by Unicode
  normalisation or an invisible character;
- every value and every key keeps its line and column, so that an error found
  later by the model can still name its place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.engine.timing import stage
from generator.errors import Problem, relative

MAX_BYTES = 256 * 1024
"""Largest source file accepted; a real exercise is a few kilobytes."""
MAX_DEPTH = 24
"""Deepest nesting of mappings and sequences accepted."""

FieldPath = tuple[str | int, ...]

_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SUSPECT = re.compile(r"[^\n\x20-\x7e]")
"""Any character but printable ASCII and the line feed: the ones that may be forbidden."""
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff\u180e")


class Mark(NamedTuple):
    """A 1-based line and column in a source file (a tuple: quick to keep and read back)."""

    line: int
    column: int


@dataclass
class Document:
    """One parsed source file: its data and where every part of it stands."""

    path: Path
    """The file on disk."""
    name: str
    """The path as printed in messages (relative to the project root)."""
    data: Any
    """Plain data: dicts, lists, strings and ``None`` for an empty value."""
    value_marks: dict[FieldPath, Mark] = field(default_factory=dict)
    """Where each value starts, by field path."""
    key_marks: dict[FieldPath, Mark] = field(default_factory=dict)
    """Where the key of each mapping entry starts, by field path."""
    flagged: set[FieldPath] = field(default_factory=set)
    """Paths the loader already reported; the model's errors at or below them are repeats."""

    def mark(self, path: FieldPath) -> Mark:
        """Return the best known position for ``path``: its own, else its nearest parent's."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.key_marks and end == len(path):
                return self.key_marks[prefix]
            if prefix in self.value_marks:
                return self.value_marks[prefix]
        return Mark(1, 1)

    def problem(self, path: FieldPath, message: str, severity: str = "error") -> Problem:
        """Return a problem located at ``path`` (at its key, when it has one)."""
        mark = self.mark(path)
        return Problem(self.name, mark.line, mark.column, dotted(path), message, severity)

    def value_problem(self, path: FieldPath, message: str, severity: str = "error") -> Problem:
        """Return a problem about the value at ``path``, located at the value itself.

        A path the author did not write out (the item of a list given as a single
        value, the text of a step given as plain text) is located at its parent's value.
        """
        mark = self.value_marks.get(path) or self.mark(path)
        return Problem(self.name, mark.line, mark.column, dotted(path), message, severity)


def dotted(path: FieldPath) -> str:
    """Return a field path in the dotted form used in messages."""
    return ".".join(str(part) for part in path) if path else "(document)"


def describe_character(char: str) -> str | None:
    """Return why ``char`` is not allowed in a source, or ``None`` if it is fine."""
    if char == "\t":
        return "tab character; indent and separate with spaces"
    if char == "\r":
        return "carriage return on its own (not part of a line end)"
    if char in _BIDI:
        return f"bidirectional control character U+{ord(char):04X} ({_char_name(char)})"
    if char in _ZERO_WIDTH:
        return f"invisible zero-width character U+{ord(char):04X} ({_char_name(char)})"
    category = unicodedata.category(char)
    if char not in "\n\r" and category == "Cc":
        return f"control character U+{ord(char):04X}"
    if category in ("Cf", "Cs", "Co", "Cn") or char in "\ufffe\uffff":
        return f"invisible or unassigned character U+{ord(char):04X} ({_char_name(char)})"
    return None


def _char_name(char: str) -> str:
    return unicodedata.name(char, "unnamed").lower()


def normalise_key(key: str) -> str:
    """Return the form of a key used to find duplicates."""
    visible = "".join(c for c in key if unicodedata.category(c) not in ("Cf", "Cc"))
    return unicodedata.normalize("NFKC", visible).strip()


def load_document(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Read one YAML source strictly; return it with every problem found in it (timed)."""
    with stage("load"):
        return _load_document(path, root)


def _load_document(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    """Read one YAML source strictly; return it with every problem found in it.

    The document is ``None`` only when no tree could be built; it may come with
    problems, and is then to be used for finding more problems, never for output.
    """
    name = relative(path, root)
    problems: list[Problem] = []

    def fail(message: str, line: int = 1, column: int = 1) -> tuple[None, list[Problem]]:
        problems.append(Problem(name, line, column, "(document)", message))
        return None, problems

    if path.is_symlink() and not _inside(path.resolve(), root.resolve()):
        return fail("symbolic link that points outside the project; it is not followed")
    if not path.exists():
        return fail("symbolic link to a file that does not exist")
    size = path.stat().st_size
    if size > MAX_BYTES:
        return fail(f"file is {size} bytes; the limit is {MAX_BYTES} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        return fail("file is not valid UTF-8 text", line, column)
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # an editor's byte-order mark: harmless, and keeps columns
    text, bad_chars = _sanitise(text)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return fail("file is empty; an exercise needs at least an id and a title")

    builder = _fast_tree(name, text) or _TreeBuilder(name)
    try:
        if builder.parsed is None:  # no fast parse, or it found a YAML error
            builder.run(yaml.SafeLoader(text))
    except yaml.MarkedYAMLError as exc:
        builder.aborted = True
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Problem(name, line, column, "(document)", _yaml_message(exc)))
    except yaml.YAMLError as exc:
        builder.aborted = True
        problems.append(Problem(name, 1, 1, "(document)", f"not valid YAML: {exc}"))
    problems.extend(builder.problems)

    for offset, message in bad_chars:
        line, column = _position(text, offset)
        where = builder.field_at(offset)
        builder.flagged.add(where)
        problems.append(Problem(name, line, column, dotted(where), message))

    if builder.aborted:
        return None, problems
    # Other problems (a tag, a duplicate key, a bad character) leave a usable tree:
    # return it too, so that the model can report the file's other mistakes in the same run.
    document = Document(
        path, name, builder.root, builder.value_marks, builder.key_marks, builder.flagged
    )
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a single value"
        return fail("the top level must be a mapping of fields (key: value), not " + kind)
    return document, problems


FAST_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else None
"""libyaml's parser (same events, same marks, many times faster), when PyYAML has it."""


def _fast_tree(name: str, text: str) -> _TreeBuilder | None:
    """Return the tree built from libyaml's events, or ``None`` if it found a YAML error.

    Only the event stream is taken from libyaml (its lines, columns and character
    offsets are PyYAML's; a plain scalar's style is ``''`` where PyYAML's is ``None``),
    except for an empty key or value in a flow collection (``{a: , b: c}``): libyaml places it
    at what follows, PyYAML right after the colon, so such a file is parsed by PyYAML too.
    A file with a YAML error is parsed again by PyYAML's own scanner, whose messages
    are the ones authors see; such files are rare.
    """
    if FAST_LOADER is None:
        return None
    builder = _TreeBuilder(name, fast=True)
    try:
        builder.run(FAST_LOADER(text))
    except (yaml.YAMLError, _Unsure):
        return None
    builder.parsed = "libyaml"
    return builder


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return line, column


def _sanitise(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Replace forbidden characters by spaces (columns stay put) and list them."""
    found: list[tuple[int, str]] = []
    for match in _SUSPECT.finditer(text):  # printable ASCII and line feeds are always fine
        offset, char = match.start(), match.group()
        if char == "\r" and text.startswith("\n", offset + 1):
            continue
        message = describe_character(char)
        if message:
            found.append((offset, message))
    if not found:
        return text, found
    chars = list(text)
    for offset, _ in found:
        chars[offset] = " "
    return "".join(chars), found


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "; ".join(parts) or "not valid YAML"
    if "found character '\\t'" in message:
        message = "tab character; indent with spaces"
    return "YAML syntax: " + message


def _next(loader: Any) -> Event:
    """Return the next parser event (PyYAML's method is untyped)."""
    event: Event = loader.get_event()
    return event


def _start(event: Event) -> Mark:
    """Return where an event starts, 1-based."""
    mark = event.start_mark
    return Mark(mark.line + 1, mark.column + 1) if mark is not None else Mark(1, 1)


def _span(event: Event) -> tuple[int, int]:
    """Return the character offsets an event covers."""
    start, end = event.start_mark, event.end_mark
    return (start.index if start else 0, end.index if end else 0)


class _Unsure(Exception):
    """libyaml's events may place something elsewhere than PyYAML's: parse with PyYAML."""


class _TreeBuilder:
    """Turn an event stream into plain data, positions and problems."""

    def __init__(self, name: str, fast: bool = False) -> None:
        self.name = name
        self.fast = fast
        """Whether the events are libyaml's."""
        self._flow = 0
        """How many flow collections (``[…]``, ``{…}``) the current event is inside."""
        self.root: Any = None
        self.value_marks: dict[FieldPath, Mark] = {}
        self.key_marks: dict[FieldPath, Mark] = {}
        self.problems: list[Problem] = []
        self.aborted = False
        self.flagged: set[FieldPath] = set()
        self._spans: list[tuple[int, int, FieldPath]] = []
        self._documents = 0
        self.parsed: str | None = None
        """Which parser built the tree without a YAML error (``None``: not yet, or PyYAML's)."""

    def field_at(self, offset: int) -> FieldPath:
        """Return the path of the innermost value whose text covers ``offset``."""
        best: FieldPath = ()
        best_size = -1
        for start, end, path in self._spans:
            if start <= offset <= end and len(path) >= best_size:
                best, best_size = path, len(path)
        return best

    def _problem(self, event: Event, path: FieldPath, message: str) -> None:
        self.flagged.add(path)
        mark = _start(event)
        self.problems.append(Problem(self.name, mark.line, mark.column, dotted(path), message))

    def run(self, loader: Any) -> None:
        try:
            while not loader.check_event(StreamEndEvent):
                event = _next(loader)
                if isinstance(event, DocumentStartEvent):
                    self._documents += 1
                    if self._documents > 1:
                        self._problem(event, (), "only one YAML document per file (a second '---')")
                        self.aborted = True
                        return
                    continue
                if isinstance(event, NodeEvent):
                    self.root = self._node(loader, event, (), 1)
                    if self.aborted:
                        return
        finally:
            loader.dispose()

    def _check_text(self, event: ScalarEvent, path: FieldPath) -> None:
        """Report forbidden characters that an escape (``"\\t"``, ``"\\u202e"``) put in a value."""
        if event.style not in ('"',):
            return  # unescaped text was already scanned character by character
        for char in dict.fromkeys(event.value):
            message = describe_character(char) if char != "\n" else None
            if message:
                self._problem(event, path, message + " (written as an escape)")

    def _check_node(self, event: Event, path: FieldPath) -> bool:
        ok = True
        if isinstance(event, AliasEvent):
            self._problem(
                event, path, f"aliases (*{event.anchor}) are not allowed; write the value out"
            )
            return False
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._problem(event, path, f"anchors (&{anchor}) are not allowed; write the value out")
            ok = False
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._problem(event, path, f"tags ({shown}) are not allowed; remove the tag")
            ok = False
        return ok

    def _node(self, loader: Any, event: Event, path: FieldPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._problem(event, path, f"nested more than {MAX_DEPTH} levels deep")
            self.aborted = True
            return None
        self._check_node(event, path)
        self.value_marks[path] = _start(event)
        if isinstance(event, ScalarEvent):
            self._spans.append((*_span(event), path))
            self._check_text(event, path)
            if event.value == "" and not event.style:  # plain: None (PyYAML), '' (libyaml)
                if self.fast and self._flow:
                    raise _Unsure  # libyaml marks it at what follows, PyYAML after the colon
                return None
            return event.value
        if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            flow = 1 if event.flow_style else 0
            self._flow += flow
            if isinstance(event, SequenceStartEvent):
                collection: Any = self._sequence(loader, path, depth)
            else:
                collection = self._mapping(loader, path, depth)
            self._flow -= flow
            return collection
        return None  # an alias, already reported

    def _sequence(self, loader: Any, path: FieldPath, depth: int) -> list[Any]:
        items: list[Any] = []
        while not loader.check_event(SequenceEndEvent):
            child = _next(loader)
            items.append(self._node(loader, child, (*path, len(items)), depth + 1))
            if self.aborted:
                return items
        _next(loader)
        return items

    def _mapping(self, loader: Any, path: FieldPath, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        seen: dict[str, tuple[str, Mark]] = {}
        while not loader.check_event(MappingEndEvent):
            key_event = _next(loader)
            key = self._key(loader, key_event, path, depth)
            if self.aborted:
                return mapping
            value_event = _next(loader)
            key_mark = _start(key_event)
            child_path = (*path, key) if key is not None else (*path, "?")
            value = self._node(loader, value_event, child_path, depth + 1)
            if self.aborted:
                return mapping
            if key is None:
                continue
            normal = normalise_key(key)
            if normal in seen:
                first, first_mark = seen[normal]
                same = "" if first == key else f" (as '{first}', which looks the same)"
                self._problem(
                    key_event,
                    child_path,
                    f"duplicate key '{key}'; already given at line {first_mark.line}{same}",
                )
                continue
            seen[normal] = (key, key_mark)
            mapping[key] = value
            self.key_marks[child_path] = key_mark
        _next(loader)
        return mapping

    def _key(self, loader: Any, event: Event, path: FieldPath, depth: int) -> str | None:
        if isinstance(event, ScalarEvent):
            if self.fast and self._flow and event.value == "" and not event.style:
                raise _Unsure  # an empty key in a flow mapping ({? : x}): placed differently
            self._check_node(event, path)
            key_path = (*path, event.value)
            self._spans.append((*_span(event), key_path))
            self._check_text(event, key_path)
            return event.value
        self._problem(event, path, "a key must be plain text, not a list or mapping")
        self._node(loader, event, (*path, "?"), depth + 1)
        return None
