"""The checks a build has passed, so that a rebuild checks only what changed.

A check is a function of the files it reads and of what they are checked
against (an exercise's view, the catalogue, the generator's code). Each check
that passes is recorded under the hash of all of that; a later build that
meets the same hash knows the check would pass again and skips it. Only
passes are recorded: a check that fails runs, and fails, every time.

What a check is checked against is given by its *salt*: the key of the
exercise's own outputs (``engine/units.py``: the exercise, what it links to,
the shared texts, the words, the code) or, for a check of the whole
catalogue (the booklet, the sheets), the key of every published exercise.
Without a cache folder the memo remembers nothing and every check runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.engine.cache import digest, write_atomically

Check = Callable[..., list[str]]


def content_hash(data: bytes | None) -> str:
    """Return the hash of a file's bytes (``-`` for a file that is not there)."""
    return "-" if data is None else hashlib.sha256(data).hexdigest()


class CheckMemo:
    """The passed checks, by key; read from and saved to ``file`` (if given)."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._known: set[str] = set()
        if file is not None and file.is_file():
            self._known = set(file.read_text(encoding="ascii").split())
        self._passed: set[str] = set()
        self.skipped = 0
        self.ran = 0
        self.salts: Mapping[str, str] = {}
        """What each check is checked against, by name (``engine/units.py``, ``salts``)."""

    def with_salts(self, salts: Mapping[str, str]) -> CheckMemo:
        """Return this memo, checking against ``salts`` (one language's) from now on."""
        self.salts = salts
        return self

    def run(
        self, what: str, of: str, read: Sequence[bytes | None], check: Check, *args: Any
    ) -> list[str]:
        """Return the failures of ``check(*args)`` (named ``what``, checked against the salt
        ``of``: an exercise's id, a publication's, ...) on the files ``read``; skip it if it
        passed before on the same files, against the same salt."""
        salt = self.salts.get(of)
        if salt is None:  # nothing known to check it against: always run
            self.ran += 1
            return check(*args)
        key = digest(what, salt, *(content_hash(data) for data in read))
        if key in self._known or key in self._passed:
            self._passed.add(key)
            self.skipped += 1
            return []
        self.ran += 1
        failures = check(*args)
        if not failures:
            self._passed.add(key)
        return failures

    def save(self) -> None:
        """Keep the checks passed in this build (and only those: older ones are dropped)."""
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.file, "\n".join(sorted(self._passed)).encode("ascii"))


def unmemoised() -> CheckMemo:
    """Return a memo that runs every check."""
    return CheckMemo()
