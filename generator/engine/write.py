"""The only module that touches the output folder.

A build owns its output folder and nothing else:

- ``guard_output`` refuses, before anything is built, a folder that is, holds
  or lies inside the project's sources (after following links), a path that is
  a file, and a folder that holds files no build wrote (a build marks its
  output with ``MARKER``);
- ``locked`` lets one build at a time write a given folder (a second one waits);
- ``replace_folder`` builds into a fresh staging folder beside the target and
  swaps it in only when everything has succeeded, in one atomic exchange where
  the file system can (``renameat2``), so a failed or killed build leaves the
  previous folder exactly as it was and never no folder at all. Staging and
  scratch folders left by a killed build are removed by the next one.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BuildError

MARKER = ".backrack-build"
"""The file that marks a folder as written by a build (and so replaceable by the next)."""
MARKER_TEXT = (
    b"This folder is written by 'python -m generator build'.\n"
    b"The next build replaces it whole: keep nothing else in it.\n"
)

PROTECTED = (
    "content",
    "diagrams",
    "templates",
    "generator",
    "tests",
    "schema",
    ".git",
    ".cache",
    ".venv",
    "node_modules",
)
"""The project's own folders, which no output folder may be, hold or lie inside."""


class FolderError(BuildError):
    """An output or cache folder that a build must not write, or cannot."""


def _shown(path: Path, root: Path) -> str:
    """Return ``path`` as the person typed it would read: relative to the project if inside."""
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()


def overlap(root: Path, target: Path, allowed: str = "") -> str | None:
    """Return why ``target`` (resolved) overlaps the project's own folders, or ``None``.

    ``allowed`` names a folder of ``PROTECTED`` that ``target`` may lie inside.
    """
    root = root.resolve()
    if target == root:
        return "is the project folder itself"
    if root.is_relative_to(target):
        return "holds the project folder"
    for name in PROTECTED:
        part = (root / name).resolve()
        if name == allowed and target.is_relative_to(root / name) and target != part:
            continue
        if target == part:
            return f"is the project's folder {name}/"
        if target.is_relative_to(part):
            return f"lies inside the project's folder {name}/"
        if part.is_relative_to(target):
            return f"holds the project's folder {name}/"
    return None


def guard_output(root: Path, given: Path | None) -> Path:
    """Return the resolved output folder, or raise ``FolderError`` if a build must not replace it.

    ``given`` is the folder as named on the command line (``None``: the default,
    ``root/site``); a message quotes it as given and says where a link points.
    """
    label = f"--site-dir {_shown(given, root)}" if given else "site (the default output folder)"
    given = given or root / "site"
    target = given.resolve()
    if target != Path(os.path.abspath(given)):
        label += f" (a link to {target.as_posix()})"
    reason = overlap(root, target)
    if reason is not None:
        raise FolderError(
            f"{label}: the output folder {reason}. A build replaces its output folder whole, "
            "so it must hold no sources: choose another folder, e.g. the default 'site'"
        )
    for above in [target, *target.parents]:
        if above.exists() and not above.is_dir():
            where = "is a file" if above == target else f"cannot be made: {above} is a file"
            raise FolderError(f"{label}: the output folder {where}; choose another folder")
        if above.exists():
            break
    if target.is_dir() and not owned(target):
        raise FolderError(
            f"{label}: the folder holds files that no build wrote (it has no {MARKER} file), "
            "and a build replaces its output folder whole. Choose an empty or new folder, "
            "or empty or remove this one yourself if nothing in it is needed"
        )
    return target


def marked(files: dict[str, bytes]) -> dict[str, bytes]:
    """Return a build's output files with the marker that lets the next build replace them."""
    return files | {MARKER: MARKER_TEXT}


def owned(folder: Path) -> bool:
    """Return whether ``folder`` is empty or marked as written by a build."""
    return (folder / MARKER).is_file() or not any(folder.iterdir())


def _sibling(target: Path, kind: str) -> str:
    return f".{target.name}.{kind}"


@contextmanager
def locked(target: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of ``target`` (a file beside it): one build at a time writes a folder.

    A second build waits until the first has finished (``on_wait`` is called
    once if it has to). The lock goes with the process, however it ends.
    """
    lock = target.parent / _sibling(target, "lock")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise FolderError(
            f"{lock.as_posix()}: cannot make the lock beside the output folder "
            f"({(exc.strerror or str(exc)).lower()}); make {target.parent.as_posix()} writable, "
            "or choose another --site-dir"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        _recover(target)
        yield
    finally:
        os.close(handle)


def _recover(target: Path) -> None:
    """Undo what a killed build left beside ``target`` (called with the lock held)."""
    old = target.parent / _sibling(target, "old")
    if not target.exists() and old.is_dir() and not old.is_symlink():
        os.rename(old, target)  # killed between the two renames of the fallback swap
    for kind in ("new-", "tmp-", "old"):
        for path in target.parent.glob(_sibling(target, kind) + ("*" if kind != "old" else "")):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)


def _make_beside(target: Path, kind: str) -> Path:
    """Make a working folder beside ``target``; say which folder must be writable if it fails."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=_sibling(target, kind), dir=target.parent))
    except OSError as exc:
        raise FolderError(
            f"{target.parent.as_posix()}: cannot make the build's working folder beside the "
            f"output folder ({(exc.strerror or str(exc)).lower()}); make this folder writable, "
            "or choose another --site-dir"
        ) from None


@contextmanager
def scratch_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``target`` for the build's own temporary files.

    Every temporary file or folder the build and its renderers make goes here
    (``tempfile.tempdir`` points at it meanwhile), so that nothing is left in
    the system's temporary folder and a killed build's leftovers are found and
    removed by the next build.
    """
    folder = _make_beside(target, "tmp-")
    before = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)


class Staging:
    """The new site, being written into a staging folder beside the target."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: dict[str, str] = {}
        """The SHA-256 of every file written, by path (the marker included)."""

    def write(self, files: dict[str, bytes]) -> None:
        """Write ``files`` (paths use ``/``) and the marker that lets a build replace them; may
        be called again with more (the build writes one group of languages at a time)."""
        files = marked(files)
        write_files(self.folder, files)
        self.written |= {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


@contextmanager
def replace_folder(target: Path) -> Iterator[Staging]:
    """Yield a staging folder that replaces ``target`` when the block ends well, or is removed."""
    stage = _make_beside(target, "new-")
    stage.chmod(0o755)
    try:
        yield Staging(stage)
        if not (stage / MARKER).is_file():
            raise FolderError(f"internal: the build did not mark {stage.name} with {MARKER}")
        _swap(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); return False where that cannot be done."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap(stage: Path, target: Path) -> None:
    """Put ``stage`` in the place of ``target``; at every moment one of the two is there."""
    if not target.exists():
        os.rename(stage, target)
        return
    if _exchange(stage, target):
        shutil.rmtree(stage)  # now the previous folder
        return
    old = target.parent / _sibling(target, "old")
    os.rename(target, old)
    os.rename(stage, target)  # a build killed before this line: the next one renames old back
    shutil.rmtree(old)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file below ``folder`` (paths use ``/``), creating folders as needed."""
    for name, data in sorted(files.items()):
        path = folder.joinpath(*name.split("/"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:  # a write that fails half-way (disk full) names no file
            raise OSError(exc.errno, exc.strerror, exc.filename or str(path)) from None
