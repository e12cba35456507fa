"""The project's exceptions and the one error record every stage reports.

A ``ContentError`` is an author's mistake: it names the file, line, column and
field, and is printed without a traceback. A ``RenderError`` is a problem met
while producing an output (a page that fails to build). Anything else that
escapes is a bug in the program.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the sources, with the place it was found."""

    path: str
    """The source file, relative to the project root."""
    line: int
    """1-based line number."""
    column: int
    """1-based column number."""
    field: str
    """Dotted field path, e.g. ``phases.0.steps.2.text``; ``(document)`` for the whole file."""
    message: str
    """What is wrong, in words an author can act on."""
    severity: str = "error"
    """``error`` or ``warning``; warnings become errors with ``--strict``."""

    def __str__(self) -> str:
        label = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {label}{self.message}"

    def counted(self, strict: bool) -> Problem:
        """Return the problem as it counts: with ``strict``, a warning is an error, and says so."""
        return replace(self, severity="error") if strict else self


class BuildError(Exception):
    """Base of the errors that mean 'the build stopped' rather than 'the program broke'."""


class ContentError(BuildError):
    """The sources are invalid; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(BuildError):
    """An output could not be produced from valid sources."""


def relative(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` in POSIX form when it lies below it."""
    try:  # resolve the folders but not the file itself: a link is named as the link
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
