"""The files published as they are (``templates/static``) must be regular files of the project.

mkdocs copies everything below its ``docs_dir`` into the site, following
symbolic links: a link to ``/etc/passwd`` or to a folder elsewhere would be
published, and packed into the offline copy. The mkdocs hook refuses to build
while this module finds any link, or anything else that is not a plain file
or folder (a pipe, a socket, a device), below the folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import Problem, relative

STATIC_DIR = Path("templates") / "static"
"""The folder published as it is, relative to the project root (``docs_dir`` in mkdocs.yml)."""
PUBLISHED_AS_THEY_ARE = (STATIC_DIR, Path("templates") / "theme")
"""The folders mkdocs copies into the site: ``docs_dir`` and the theme's ``custom_dir``."""


def static_problems(root: Path, folder: Path | None = None) -> list[Problem]:
    """Return a problem for every entry below ``folder`` that is not a regular file or folder.

    ``folder`` defaults to ``templates/static`` below ``root``; links are
    reported, never followed. Paths are given relative to ``root``.
    """
    top = root / (folder if folder is not None else STATIC_DIR)
    problems: list[Problem] = []
    if not top.exists() and not top.is_symlink():
        return problems
    if top.is_symlink() or not top.is_dir():
        return [_problem(root, top, _kind(top))]
    for current, folders, files in os.walk(top, followlinks=False):
        here = Path(current)
        for name in sorted([*folders, *files]):
            path = here / name
            kind = _kind(path)
            if kind:
                problems.append(_problem(root, path, kind))
        folders[:] = sorted(f for f in folders if not (here / f).is_symlink())
    return sorted(problems)


def _kind(path: Path) -> str:
    """Return what is wrong with ``path`` (a link, a device, ...), or ``""`` if nothing is."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return f"is a symbolic link (to {os.readlink(path)}), not a file"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    return "is not a regular file"


def _problem(root: Path, path: Path, what: str) -> Problem:
    return Problem(
        relative(path, root),
        1,
        1,
        "(file)",
        f"{what}: the files published as they are must be regular files inside the project",
    )
