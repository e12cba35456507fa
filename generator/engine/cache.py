"""The build cache: outputs stored under the hash of everything they were made from.

A *unit* is a group of output files made together (one exercise's card, one
exercise's diagrams, the booklet, the website…). Its *key* is a SHA-256 over
the generator's fingerprint (its code, templates, configuration and the
versions of the libraries that render) and the unit's own inputs. A unit
whose key is in the cache is copied, not rendered again.

The cache lives in ``.cache/build/`` in the project (ignored by git) and may be
deleted at any time: the next build renders everything again. Entries are
written to a temporary file and renamed into place, so a build stopped half way
never leaves a broken entry; an entry that cannot be read counts as missing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CACHE_DIR = ".cache/build"

#: Version of the cache's layout and of the rules that make keys; bump to drop old entries.
CACHE_VERSION = "1"

#: Files and folders whose bytes decide how everything is rendered.
CODE_PARTS = ("generator", "templates", "schema", "mkdocs.yml", "print.yaml")

#: Libraries whose version changes the bytes of an output.
RENDERERS = (
    "typst",
    "cairosvg",
    "pypdf",
    "segno",
    "jinja2",
    "markdown",
    "pymdown-extensions",
    "mkdocs",
    "mkdocs-material",
    "fontpkg-atkinson-hyperlegible",
    "fonttools",
    "brotli",  # the WOFF2 fonts and the .br siblings
    "pillow",
)


def digest(*parts: bytes | str) -> str:
    """Return the SHA-256 (hex) of the parts, each length-prefixed so that joins are unambiguous."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def canonical(value: Any) -> str:
    """Return a stable JSON text of plain data (dates and other objects as text)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def tree_files(root: Path, parts: Iterable[str]) -> list[Path]:
    """Return every file of the given files and folders below ``root``, sorted, caches skipped."""
    found: list[Path] = []
    for part in parts:
        path = root / part
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [
                p
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
            ]
    return sorted(found)


def tree_digest(root: Path, parts: Iterable[str]) -> str:
    """Return the hash of the names and bytes of every file below the given parts."""
    items: list[bytes | str] = []
    for path in tree_files(root, parts):
        items += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*items)


def versions(names: Iterable[str]) -> list[str]:
    """Return ``name==version`` of each installed distribution (``name missing`` if not)."""
    found = []
    for name in names:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return found


def fingerprint(root: Path, date: str) -> str:
    """Return the hash of everything that decides how outputs are rendered, sources aside.

    ``date`` is the build date as given (``SOURCE_DATE_EPOCH``; empty when the
    sources date the build).
    """
    return digest(
        CACHE_VERSION,
        platform.python_version(),
        *versions(RENDERERS),
        date,
        tree_digest(root, CODE_PARTS),
    )


TAG = "CACHEDIR.TAG"
"""The standard cache-folder tag (bford.info/cachedir): backup tools skip the folder."""
TAG_TEXT = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# The backrack build cache (python -m generator build); safe to delete.\n"
)
_OWN_NAMES = re.compile(
    r"[0-9a-f]{2}|texts|checks|sources|web|last-[0-9a-f]{16}\.json(\.new)?|\.new-.*|" + TAG
)
"""The names a cache folder made by this program holds at its top (older ones had no tag)."""


class Cache:
    """Outputs by key, one stored zip per unit, below ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def prepared(self, root: Path) -> Cache:
        """Make the cache folder and tag it, and return the cache; refuse a folder that is not
        the cache's to write, or that cannot be written."""
        from generator.engine.write import FolderError, overlap

        shown = self.folder.relative_to(root).as_posix() if self.folder.is_relative_to(root) else ""
        shown = shown or self.folder.as_posix()
        where = self.folder.resolve()
        reason = overlap(root, where, allowed=".cache")
        if reason is not None:
            raise FolderError(
                f"{shown} (the build cache, {where.as_posix()}): the folder {reason}; the cache "
                "must hold no sources: remove the link, or build with --no-cache"
            )
        if where.is_dir() and not (where / TAG).is_file():
            strangers = [p.name for p in where.iterdir() if not _OWN_NAMES.fullmatch(p.name)]
            if strangers:
                raise FolderError(
                    f"{shown}: the folder holds files that are not the build cache's "
                    f"({', '.join(sorted(strangers)[:3])}); move them away, "
                    "or build with --no-cache"
                )
        try:  # writable? asked before anything is rendered
            where.mkdir(parents=True, exist_ok=True)
            if not (where / TAG).is_file():
                write_atomically(where / TAG, TAG_TEXT)
            handle, probe = tempfile.mkstemp(dir=where, prefix=".new-")
            os.close(handle)
            os.unlink(probe)
        except OSError as exc:
            raise FolderError(
                f"{shown}: cannot write the build cache ({(exc.strerror or str(exc)).lower()}); "
                "make the folder writable, or build with --no-cache"
            ) from None
        return self

    @property
    def texts(self) -> Path:
        """Return where the texts read back from PDFs are kept, by the hash of each PDF."""
        return self.folder / "texts"

    @property
    def web(self) -> Path | None:
        """Return where the website's renderers keep their subset faces and compiled templates
        (``outputs/web/kept.py``)."""
        return self.folder / "web"

    @property
    def checks(self) -> Path:
        """Return where the checks passed by the last builds are kept (``checks.memo``)."""
        return self.folder / "checks"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.zip"

    def keeps(self, unit: str) -> bool:
        """Return whether the files of the unit named ``unit`` are kept (all are)."""
        return True

    def get(self, key: str) -> dict[str, bytes] | None:
        """Return the files stored under ``key``, or ``None`` if there are none (or unreadable)."""
        path = self._path(key)
        try:
            with zipfile.ZipFile(path) as archive:
                return {info.filename: archive.read(info) for info in archive.infolist()}
        except (OSError, zipfile.BadZipFile, KeyError):
            return None

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store ``files`` under ``key`` (atomically: written aside, then renamed)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                archive.writestr(info, files[name])
        write_atomically(path, buffer.getvalue())


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A reader sees the old file or the whole new one, never a part; a temporary
    file is removed if the write fails.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
