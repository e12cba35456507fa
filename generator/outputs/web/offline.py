"""The offline copy: the same website, built to open from a folder or a USB stick.

mkdocs-material's offline plugin (switched on by ``BACKRACK_OFFLINE=true``,
see ``mkdocs.yml``) turns directory URLs into ``.html`` files and inlines the
search index. It would also load a polyfill from a public CDN; this hook
points it at the copy shipped in ``templates/static`` instead, so the offline
site, like the hosted one, makes no request to another origin.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

OFFLINE_ENV = "BACKRACK_OFFLINE"
SHIM = "assets/javascripts/iframe-worker/shim.js"
ZIP_PATH = "downloads/backrack-exercises-offline.zip"
"""Where the offline copy goes below the hosted site."""
ZIP_FOLDER = "backrack-exercises"
"""The folder the zip unpacks into; open ``index.html`` in it."""
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def offline_enabled() -> bool:
    """Return whether this mkdocs run builds the offline copy."""
    return os.environ.get(OFFLINE_ENV, "").lower() == "true"


def on_config(config: Any) -> Any:
    """Use the shipped polyfill instead of the CDN one, in the offline build."""
    if offline_enabled():
        config.extra["polyfills"] = [SHIM]
    return config


@contextmanager
def _offline() -> Iterator[None]:
    before = os.environ.get(OFFLINE_ENV)
    os.environ[OFFLINE_ENV] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ[OFFLINE_ENV]
        else:
            os.environ[OFFLINE_ENV] = before


def build_offline_folder(root: Path, folder: Path) -> None:
    """Build the offline copy of the website into ``folder``."""
    from generator.build import build_website

    with _offline():
        build_website(root, folder)


def zip_folder(folder: Path) -> bytes:
    """Return a reproducible zip of ``folder``: sorted entries, one fixed time, fixed modes."""
    moment = EARLIEST_ZIP_TIME
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        import time

        moment = max(EARLIEST_ZIP_TIME, time.gmtime(int(epoch))[:6])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = f"{ZIP_FOLDER}/{path.relative_to(folder).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=moment)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def offline_zip(root: Path) -> tuple[bytes, Path]:
    """Build the offline copy; return it zipped and the temporary folder it was built in.

    The caller checks the folder (safety, scan) and removes it.
    """
    folder = Path(tempfile.mkdtemp(prefix="backrack-offline-"))
    build_offline_folder(root, folder / "site")
    return zip_folder(folder / "site"), folder / "site"
