"""The website and its offline copy: mkdocs (strict) builds them into a temporary folder.

Each is a renderer like the others: the catalogue, the views and the settings
in, the files (path → bytes) out. The pages are rendered here and handed to
the mkdocs hook, which adds them, the diagrams, the fonts and the API file.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

from generator.engine.timing import stage
from generator.errors import RenderError
from generator.outputs.view import ExerciseView
from generator.outputs.web.handoff import SiteInput, handing_over
from generator.outputs.web.pages import render_pages
from generator.outputs.words import speech
from generator.settings import MKDOCS_CONFIG, Settings
from generator.sources.catalogue import Catalogue

ZIP_FOLDER = "backrack-exercises"
"""The folder the offline zip unpacks into; open ``index.html`` in it."""
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render_website(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    settings: Settings,
    offline: bool = False,
    sizes: Mapping[str, int] | None = None,
) -> dict[str, bytes]:
    """Return every file of the website (or of its offline copy), by path below the site folder.

    ``sizes``: the size of each printed file the build made, for the downloads page."""
    with stage("pages"):
        pages = render_pages(catalogue, views, settings, offline, sizes)
    with tempfile.TemporaryDirectory(prefix="backrack-site-") as folder:
        with handing_over(SiteInput(catalogue, views, settings, pages, offline, speech())):
            run_mkdocs(settings.root, Path(folder), settings.site_url)
        return read_tree(Path(folder))


def run_mkdocs(root: Path, site_dir: Path, site_url: str) -> None:
    """Run mkdocs (strict) on the project's configuration, at ``site_url``, into ``site_dir``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(
            str(root / MKDOCS_CONFIG), site_dir=str(site_dir), site_url=site_url, strict=True
        )
        mkdocs_build(config)
    except MkDocsException as exc:
        raise RenderError(f"mkdocs: {exc}") from None


def read_tree(folder: Path) -> dict[str, bytes]:
    """Return every file below ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def zip_files(files: Mapping[str, bytes], epoch: int) -> bytes:
    """Return a reproducible zip of ``files``: sorted entries, one fixed time, fixed modes."""
    moment = max(EARLIEST_ZIP_TIME, time.gmtime(epoch)[:6])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=moment)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()
