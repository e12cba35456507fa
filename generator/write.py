"""The only module that touches the output folder.

A build writes into a fresh folder beside the target and swaps it in only
when everything has succeeded, so a failed build leaves the previous
``site/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replace_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder that replaces ``target`` on success, or is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    stage.chmod(0o755)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _swap(stage, target)


def _swap(stage: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.rename(target, old)
    os.rename(stage, target)
    if old.exists():
        shutil.rmtree(old)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write each file below ``folder`` (paths use ``/``), creating folders as needed."""
    for name, data in sorted(files.items()):
        path = folder.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
