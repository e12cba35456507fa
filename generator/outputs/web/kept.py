"""Where the website's renderers keep what they make between builds: subset faces, compiled
templates. A language's website is made again on any change of that language; these seldom
change with it. The folder is the build cache's (``keep_in``, set by the engine); without
a cache (``--no-cache``), nothing is kept.
"""

from __future__ import annotations

from pathlib import Path

_folder: list[Path] = []


def keep_in(folder: Path | None) -> None:
    """Keep what the website's renderers make in ``folder``, or nowhere (``None``)."""
    _folder[:] = [] if folder is None else [folder]


def kept(name: str) -> Path | None:
    """Return the folder where ``name`` (``fonts``, ``templates``) is kept, made if needed;
    ``None`` when nothing is kept."""
    if not _folder:
        return None
    folder = _folder[0] / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
