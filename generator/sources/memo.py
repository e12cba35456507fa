"""Per-file validation, kept by the hash of the file: a rebuild re-validates only what changed.

What can be found in one source file alone (its strict YAML load, its binding to
the model, and the checks of its own text) is stored under a key made of

- the file's bytes and its path relative to the project (messages name it),
- the bytes of anything else the result depends on (a pose's body and scene),
- a fingerprint of the code that validates it (every file of the ``generator``
  package that runs, and the versions of the libraries that decide: pydantic,
  PyYAML, the font whose characters are checked).

An entry gives back exactly what a fresh validation gives: the document with its
marks and the problems found in it, in order. Checks across files (ids, links,
orders, cycles, poses named by phases) are not stored: they run every time.

Entries are pickles, read only from the project's own cache folder
(``.cache/build/sources/``, which ``build --no-cache`` neither reads nor writes);
an entry that cannot be read counts as missing, and one that cannot be written
is skipped. A symbolic link, a missing file or an oversized one is never stored:
what the loader says of it depends on more than its bytes.
"""

from __future__ import annotations

import pickle
import platform
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from generator.engine.cache import digest, tree_digest, versions, write_atomically
from generator.errors import Problem
from generator.sources.load import MAX_BYTES, Document

SOURCES = "sources"
"""The folder of the validation cache, below the build cache (``.cache/build``)."""

#: Version of the entries' layout; bump to drop old entries.
MEMO_VERSION = "1"

#: Libraries whose version changes what validation finds.
VALIDATORS = ("pydantic", "pydantic-core", "pyyaml", "fonttools", "fontpkg-atkinson-hyperlegible")


@dataclass
class Checked:
    """What one source file gives when validated alone."""

    document: Document | None
    """The parsed file with its marks (``None`` if no tree could be built)."""
    value: Any
    """The model bound from it (``None`` if it is invalid)."""
    problems: list[Problem]
    """The problems of loading and binding, in the order found."""
    extra: dict[str, list[Problem]] = field(default_factory=dict)
    """The problems of each of the file's own checks (by the check's name), in order."""


@cache
def code_fingerprint() -> str:
    """Return the hash of the validating code as it runs, and of the libraries that decide."""
    package = Path(__file__).resolve().parent.parent
    return digest(
        MEMO_VERSION,
        platform.python_version(),
        *versions(VALIDATORS),
        tree_digest(package.parent, [package.name]),
    )


class Memo:
    """Validation results of single files below ``folder``; ``folder=None``: none kept."""

    def __init__(self, root: Path, folder: Path | None) -> None:
        self.root = root
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._resolved_root: Path | None = None
        self._parents: dict[Path, Path] = {}

    def checked(
        self,
        path: Path,
        kind: str,
        make: Callable[[], Checked],
        depends: tuple[Path, ...] = (),
    ) -> Checked:
        """Return ``make()``'s result for ``path``, from the cache when its inputs are known.

        ``kind`` names what the file is validated as; ``depends`` are other files the
        result depends on (their bytes join the key).
        """
        key = self._key(path, kind, depends)
        if key is None or self.folder is None:
            return make()
        entry = self.folder / key[:2] / f"{key}.pickle"
        try:  # only ever the project's own cache folder: the pickles are ours
            found = pickle.loads(entry.read_bytes())
        except Exception:  # missing, half-written by an older version, unreadable: make it
            found = None
        if isinstance(found, Checked):
            self.hits += 1
            if found.document is not None:  # the project may have moved since
                found.document = replace(found.document, path=path)
            return found
        self.misses += 1
        made = make()
        stored = made
        if made.document is not None:
            stored = replace(made, document=replace(made.document, path=Path(path.name)))
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(entry, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a cache that cannot be written only costs time
        return made

    def _key(self, path: Path, kind: str, depends: tuple[Path, ...]) -> str | None:
        """Return the key of ``path``'s result, or ``None`` if it is not to be kept."""
        if self.folder is None:
            return None
        parts: list[bytes | str] = [code_fingerprint(), kind]
        for file in (path, *depends):
            try:
                status = file.lstat()  # a link is not followed: its target may change
                if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
                    return None
                parts += [self._name(file), file.read_bytes()]
            except OSError:
                return None
        return digest(*parts)

    def _name(self, path: Path) -> str:
        """Return ``relative(path, root)``, the name messages give (folders resolved once)."""
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        parent = self._parents.get(path.parent)
        if parent is None:
            parent = self._parents[path.parent] = path.parent.resolve()
        try:
            return (parent / path.name).relative_to(self._resolved_root).as_posix()
        except ValueError:
            return path.as_posix()


def existing_cache(root: Path) -> Path | None:
    """Return the validation cache of a project whose build cache exists (a build made it),
    for the commands that only read the sources; ``None`` if there is none or it is not usable.
    """
    from generator.engine.cache import CACHE_DIR, TAG, Cache
    from generator.engine.write import FolderError

    if not (root / CACHE_DIR / TAG).is_file():
        return None  # checking the sources makes no cache folder of its own
    try:
        return Cache(root / CACHE_DIR).prepared(root).folder / SOURCES
    except FolderError:
        return None
