"""The whole build, top to bottom: load, validate, render, verify, write."""

from __future__ import annotations

import datetime
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .diagrams.export import export_pdf, export_png
from .embeds import embed_files
from .errors import ContentError, Problem, RenderError
from .offline import ZIP_PATH, offline_zip
from .parity import check_parity
from .printed.booklet import impose, render_booklet
from .printed.cards import CardSettings, render_card
from .printed.panel import panel_files
from .printed.sheets import SHEETS, render_sheets
from .site import site_diagrams
from .validate import load_catalogue
from .verify import verify_site
from .write import replace_folder, write_files

MKDOCS_CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced."""

    site_dir: Path
    """The output folder."""
    warnings: list[Problem]
    """Warnings about the sources (none when built with ``strict``)."""
    summary: str
    """One line for the terminal."""


def build(root: Path, *, strict: bool = False, site_dir: Path | None = None) -> BuildResult:
    """Build everything from ``root``'s sources into ``site_dir`` (default ``root/site``)."""
    catalogue, problems = load_catalogue(root)
    errors = [p for p in problems if p.severity == "error" or strict]
    if catalogue is None or errors:
        raise ContentError(errors or problems)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(catalogue)))
    target = (site_dir or root / "site").resolve()
    with replace_folder(target) as stage:
        build_website(root, stage)
        write_files(stage, diagram_exports(catalogue))
        url = site_url(root)
        write_files(stage, card_files(catalogue, root, url))
        write_files(stage, sheet_files(catalogue, root, url))
        write_files(stage, embed_files(catalogue, root, url))
        write_files(stage, booklet_files(catalogue, root))
        panel = catalogue.printing.panel
        write_files(stage, panel_files(catalogue, url, panel.width, panel.height))
        failures = verify_site(stage, catalogue) + check_parity(stage, catalogue)
        if failures:
            raise RenderError("the built site fails the safety check:\n" + "\n".join(failures))
        write_files(stage, {ZIP_PATH: offline_copy(root, catalogue)})
    published = len(catalogue.published)
    diagrams = len(site_diagrams(catalogue))
    summary = f"{published} exercise page(s), {diagrams} diagram(s), drafts left out"
    return BuildResult(target, problems, summary)


def site_url(root: Path) -> str:
    """Return the website's address from ``mkdocs.yml`` (for QR codes on print)."""
    from mkdocs.config import load_config

    return str(load_config(str(root / MKDOCS_CONFIG)).site_url or "")


def card_files(catalogue: Catalogue, root: Path, url: str) -> dict[str, bytes]:
    """Return every card, plain and print-shop variant, by path; report every misfit at once."""
    size = catalogue.printing.cards.size.value
    files: dict[str, bytes] = {}
    errors: list[str] = []
    for exercise in catalogue.published:
        for bleed, folder in ((False, "cards"), (True, "cards/print")):
            try:
                pdf = render_card(catalogue, exercise, root, url, CardSettings(size, bleed))
            except RenderError as exc:
                errors += [line for line in str(exc).splitlines() if line not in errors]
                continue
            files[f"{folder}/{exercise.id}.pdf"] = pdf
    if errors:
        raise RenderError("cards do not fit:\n" + "\n".join(errors))
    return files


def sheet_files(catalogue: Catalogue, root: Path, url: str) -> dict[str, bytes]:
    """Return the home-print sheets of all cards, on A4 and on US Letter."""
    return {
        f"print/cards-{sheet}.pdf": render_sheets(catalogue, root, url, sheet) for sheet in SHEETS
    }


def booklet_files(catalogue: Catalogue, root: Path) -> dict[str, bytes]:
    """Return the booklet, its printer's spreads for saddle stitching, and the bleed variant."""
    booklet = render_booklet(catalogue, root)
    return {
        "print/booklet.pdf": booklet,
        "print/booklet-imposed.pdf": impose(booklet),
        "print/booklet-print.pdf": render_booklet(catalogue, root, bleed=True),
    }


def offline_copy(root: Path, catalogue: Catalogue) -> bytes:
    """Return the offline copy of the website, zipped, after checking it like the site."""
    zipped, folder = offline_zip(root)
    try:
        failures = verify_site(folder, catalogue, offline=True)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    if failures:
        raise RenderError("the offline copy fails the safety check:\n" + "\n".join(failures))
    return zipped


def diagram_exports(catalogue: Catalogue) -> dict[str, bytes]:
    """Return the PNG and PDF copy of every diagram, by path below the site folder.

    The SVGs themselves reach the site through mkdocs (the hook adds them).
    """
    files: dict[str, bytes] = {}
    for drawn in site_diagrams(catalogue):
        stem = drawn.path.removesuffix(".svg")
        files[f"{stem}.png"] = export_png(drawn.svg)
        files[f"{stem}.pdf"] = export_pdf(drawn.svg)
    return files


def source_date_epoch(catalogue: Catalogue) -> int:
    """Return the build date used when SOURCE_DATE_EPOCH is unset: the latest review date."""
    latest = max(e.reviewed for e in catalogue.exercises)
    moment = datetime.datetime.combine(latest, datetime.time(), tzinfo=datetime.UTC)
    return int(moment.timestamp())


def build_website(root: Path, site_dir: Path) -> None:
    """Run mkdocs (strict) on the project's configuration, writing into ``site_dir``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(root / MKDOCS_CONFIG), site_dir=str(site_dir), strict=True)
        mkdocs_build(config)
    except MkDocsException as exc:
        raise RenderError(f"mkdocs: {exc}") from None
