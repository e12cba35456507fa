"""The whole build, top to bottom: load, validate, render, verify, write.

The work is cut into *units* (one exercise's images, cards and embeds; the
booklet; each home-print sheet; the panel; the offline copy; the website).
Each unit has a key, the hash of everything it is made from (see
``cache.py``); a unit whose key is in the cache is copied, not rendered. The
units that are missing are rendered by a pool of worker processes, one per
core, while this process runs mkdocs for the website; results are put
together by path, so the output does not depend on which worker finished
first. When nothing at all changed since the last build of the same output
folder, the build stops after comparing hashes and renders nothing.
"""

from __future__ import annotations

import ctypes
import datetime
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.checks.parity import check_parity, pdf_bytes_text, use_text_cache
from generator.checks.verify import verify_site
from generator.diagrams.export import export_pdf, export_png
from generator.diagrams.render import Drawn, draw_exercise
from generator.engine import timing
from generator.engine.cache import CACHE_DIR, Cache, canonical, digest, fingerprint, tree_digest
from generator.engine.manifest import (
    BuildResult,
    derived_date,
    input_key,
    unchanged,
    write_manifest,
)
from generator.engine.timing import stage
from generator.engine.write import (
    guard_output,
    locked,
    marked,
    replace_folder,
    scratch_folder,
    write_files,
)
from generator.errors import ContentError, Problem, RenderError
from generator.model import Exercise, Section
from generator.outputs.embeds import embed_path, oembed_path, render_embed, render_oembed
from generator.outputs.previews import card_png, card_svg, preview_path
from generator.outputs.print.booklet import impose, render_booklets
from generator.outputs.print.cards import render_cards
from generator.outputs.print.panel import panel_files
from generator.outputs.print.sheets import SHEETS, render_sheets
from generator.outputs.web.handoff import SiteInput, handing_over
from generator.outputs.web.offline import ZIP_PATH, build_offline_folder, zip_folder
from generator.outputs.web.pages import render_pages
from generator.settings import build_date
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue

MKDOCS_CONFIG = "mkdocs.yml"

#: The order in which stage times are printed.
STAGES = (
    "load",
    "validate",
    "diagrams",
    "pages",
    "mkdocs",
    "cards",
    "booklet",
    "sheets",
    "previews",
    "embeds",
    "panel",
    "offline",
    "verify",
    "write",
)


@dataclass(frozen=True)
class Unit:
    """A group of outputs made together, and the key of everything they are made from."""

    name: str
    key: str


@dataclass(frozen=True)
class _Job:
    """What the worker processes need, handed over by ``fork`` (never pickled)."""

    root: Path
    catalogue: Catalogue
    url: str


_job: list[_Job] = []


def build(
    root: Path,
    *,
    strict: bool = False,
    site_dir: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> BuildResult:
    """Build everything from ``root``'s sources into ``site_dir`` (default ``root/site``).

    ``jobs`` is the number of worker processes (default: one per available
    core; 1 renders everything in this process). ``use_cache=False`` renders
    everything and leaves the cache alone. A second build into the same folder
    waits for the first (``on_wait`` is called if it has to).
    """
    started = time.perf_counter()
    timing.take()
    build_date()  # a SOURCE_DATE_EPOCH no output can carry stops the build here
    target = guard_output(root, site_dir)
    cache = Cache(root / CACHE_DIR)
    if use_cache:
        cache.prepare(root)
    with locked(target, on_wait):
        if use_cache:
            previous = unchanged(root, target, input_key(root, strict))
            if previous is not None:  # another build finished it while this one waited
                return previous
        inputs = input_key(root, strict)
        with stage("validate"):
            catalogue, problems = load_catalogue(root)
        errors = [p for p in problems if p.severity == "error" or strict]
        if catalogue is None or errors:
            raise ContentError(errors or problems)
        if "SOURCE_DATE_EPOCH" not in os.environ:
            os.environ["SOURCE_DATE_EPOCH"] = derived_date(str(source_date_epoch(catalogue)))
        url = site_url(root)
        use_text_cache(cache.folder / "texts" if use_cache else None)
        try:
            with scratch_folder(target):
                return _build(
                    root, target, catalogue, problems, url, cache, inputs, jobs, use_cache, started
                )
        finally:
            use_text_cache(None)


def _build(
    root: Path,
    target: Path,
    catalogue: Catalogue,
    problems: list[Problem],
    url: str,
    cache: Cache,
    inputs: str,
    jobs: int | None,
    use_cache: bool,
    started: float,
) -> BuildResult:
    keys = _Keys(root, catalogue)
    units = _units(catalogue, keys)
    found = {u.name: cache.get(u.key) for u in units} if use_cache else {}
    missing = [u for u in units if found.get(u.name) is None]
    site_unit = Unit("site", keys.of("site"))
    site_files = cache.get(site_unit.key) if use_cache else None
    site_rendered = site_files is None
    with replace_folder(target) as stage_dir:
        with stage("diagrams"):
            drawn = {e.id: draw_exercise(catalogue.kit, e) for e in catalogue.published}
        with stage("pages"):
            pages = render_pages(catalogue, root)
        diagrams = {d.path: d.svg for e in catalogue.published for d in drawn[e.id]}
        site_input = SiteInput(root.resolve(), catalogue, pages, diagrams)
        job = _Job(root, catalogue, url)
        workers = _workers(jobs, len(missing))
        with handing_over(site_input):
            rendered = _render(missing, job, workers, stage_dir if site_rendered else None)
        if site_files is None:
            site_files = _read_tree(stage_dir)
            if use_cache:
                cache.put(site_unit.key, site_files)
        outputs = dict(site_files)
        misfits: list[str] = []  # cards that do not fit, from the exercise parts
        offline_failures: list[str] = []  # the offline copy's own safety check
        for unit in units:
            if unit.name in rendered:
                files, unit_errors = rendered[unit.name]
                found_in = offline_failures if unit.name == "offline" else misfits
                found_in += [e for e in unit_errors if e not in found_in]
                if use_cache and not unit_errors:
                    cache.put(unit.key, files)
            else:
                files = found[unit.name] or {}
            outputs |= files
        if misfits:
            raise RenderError("cards do not fit:\n" + "\n".join(misfits))
        outputs = marked(outputs)
        with stage("write"):
            write_files(stage_dir, outputs if not site_rendered else _without(outputs, site_files))
        with stage("verify"):
            failures = verify_site(stage_dir, catalogue) + check_parity(stage_dir, catalogue)
        report = []
        if failures:
            report.append("the built site fails the safety check:\n" + "\n".join(failures))
        if offline_failures:
            report.append(
                "the offline copy fails the safety check:\n" + "\n".join(offline_failures)
            )
        if report:
            raise RenderError("\n".join(report))
    made = tuple(u.name for u in missing) + (("site",) if site_rendered else ())
    reused = tuple(u.name for u in units if u not in missing) + (() if site_rendered else ("site",))
    summary = (
        f"{len(catalogue.published)} exercise page(s), {len(diagrams)} diagram(s), "
        f"drafts left out; {len(made)} of {len(made) + len(reused)} part(s) rendered, "
        f"{len(reused)} from the cache"
    )
    result = BuildResult(
        target, problems, summary, rendered=made, reused=reused, timings=_timings(started)
    )
    if use_cache:
        write_manifest(root, target, inputs, outputs, problems, summary)
    return result


def _without(files: dict[str, bytes], written: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path not in written}


def _timings(started: float) -> dict[str, float]:
    times = timing.take()
    if "load" in times and "validate" in times:
        times["validate"] -= times["load"]  # loading is timed inside validation
    times["total"] = time.perf_counter() - started
    return times


# --- what a build is made of --------------------------------------------------------------------


class _Keys:
    """The keys of the units, from the fingerprint and the catalogue."""

    def __init__(self, root: Path, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.code = fingerprint(root)
        self.kit = tree_digest(root, ["diagrams"])
        self.shared = canonical(catalogue.shared.model_dump(mode="json"))
        self.printing = canonical(catalogue.printing.model_dump(mode="json"))
        everything = [self._exercise(e) for e in catalogue.published]
        self.published = digest(*everything)

    def _exercise(self, exercise: Exercise) -> str:
        return canonical(exercise.model_dump(mode="json"))

    def of(self, name: str, *more: str) -> str:
        """Return the key of a unit that depends on every published exercise."""
        return digest(self.code, name, self.kit, self.shared, self.printing, self.published, *more)

    def exercise(self, exercise: Exercise) -> str:
        """Return the key of one exercise's own outputs: the exercise and what it links to."""
        catalogue = self.catalogue
        before, after = catalogue.neighbours(exercise)
        around = [
            *(catalogue.published_link(ref) for ref in exercise.prerequisites.exercises),
            catalogue.published_link(exercise.links.next),
            catalogue.published_link(exercise.links.balances),
            before,
            after,
        ]
        return digest(
            self.code,
            "exercise",
            self.kit,
            self.shared,
            self.printing,
            self._exercise(exercise),
            canonical([(e.id, e.title, e.section) if e else None for e in around]),
        )

    def panel(self) -> str:
        """Return the key of the quick-start panel: the shared texts and the getting-on exercise."""
        first = _getting_on(self.catalogue)
        return digest(
            self.code, "panel", self.kit, self.shared, self._exercise(first) if first else ""
        )


def _getting_on(catalogue: Catalogue) -> Exercise | None:
    return next((e for e in catalogue.published if e.section is Section.GETTING_ON), None)


def _units(catalogue: Catalogue, keys: _Keys) -> list[Unit]:
    """Return every unit except the website, heaviest first (so that workers finish together)."""
    units = [
        Unit("booklet", keys.of("booklet")),
        Unit("offline", keys.of("offline")),
        *(Unit(f"sheets:{sheet}", keys.of("sheets", sheet)) for sheet in SHEETS),
        Unit("panel", keys.panel()),
    ]
    units += [Unit(f"exercise:{e.id}", keys.exercise(e)) for e in catalogue.published]
    return units


def _workers(jobs: int | None, tasks: int) -> int:
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(jobs, tasks))


# --- rendering ----------------------------------------------------------------------------------

_Rendered = tuple[dict[str, bytes], list[str]]


def _render(
    units: list[Unit], job: _Job, workers: int, site_dir: Path | None
) -> dict[str, _Rendered]:
    """Render ``units`` (in workers when ``workers`` > 1) and, meanwhile, the website.

    The website is built into ``site_dir`` unless that is ``None`` (it came from the cache).
    """
    results: dict[str, _Rendered] = {}
    if workers <= 1 or not units:
        _job[:] = [job]
        try:
            if site_dir is not None:
                build_website(job.root, site_dir)
            for unit in units:
                files, errors, _ = _render_unit(unit.name)
                results[unit.name] = (files, errors)
        finally:
            _job.clear()
        return results
    _job[:] = [job]  # the workers are forked below and inherit it
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_end_with_parent)
    try:
        futures: dict[str, Future[tuple[dict[str, bytes], list[str], dict[str, float]]]]
        futures = {unit.name: pool.submit(_render_unit, unit.name) for unit in units}
        if site_dir is not None:
            build_website(job.root, site_dir)
        for name, future in futures.items():
            files, errors, times = future.result()
            results[name] = (files, errors)
            timing.merge(timing._totals, times)
    except BaseException:
        _stop_workers(pool)  # a failure or an interruption: the workers' work is not wanted
        raise
    else:
        pool.shutdown()
    finally:
        _job.clear()
    return results


def _end_with_parent() -> None:
    """Have the kernel stop this worker when the build process ends, however it ends (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the build ended before this worker had asked
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes and wait for them, so that none runs on."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public way before 3.14
    for process in processes:
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _render_unit(name: str) -> tuple[dict[str, bytes], list[str], dict[str, float]]:
    """Render one unit (in a worker or here); return its files, its misfits and its times."""
    job = _job[0]
    outside = timing.take()
    kind, _, arg = name.partition(":")
    makers: dict[str, Callable[[], _Rendered]] = {
        "exercise": lambda: _exercise_files(job, arg),
        "booklet": lambda: _booklet_files(job),
        "sheets": lambda: _sheet_files(job, arg),
        "panel": lambda: _panel_files(job),
        "offline": lambda: _offline_files(job),
    }
    files, errors = makers[kind]()
    times = timing.take()
    timing.merge(timing._totals, outside)
    return files, errors, times


def _exercise_files(job: _Job, exercise_id: str) -> _Rendered:
    """Return one exercise's diagram exports, preview card, printed cards and embeds."""
    catalogue, root, url = job.catalogue, job.root, job.url
    exercise = catalogue.get(exercise_id)
    assert exercise is not None, exercise_id
    files: dict[str, bytes] = {}
    errors: list[str] = []
    with stage("diagrams"):
        drawings: list[Drawn] = draw_exercise(catalogue.kit, exercise)
        for drawn in drawings:
            stem = drawn.path.removesuffix(".svg")
            files[f"{stem}.png"] = export_png(drawn.svg)
            files[f"{stem}.pdf"] = export_pdf(drawn.svg)
    with stage("previews"):
        files[preview_path(exercise)] = card_png(card_svg(catalogue, exercise, root))
    with stage("cards"):
        try:
            plain, shop = render_cards(
                catalogue, exercise, root, url, catalogue.printing.cards.size.value
            )
        except RenderError as exc:
            errors += str(exc).splitlines()
        else:
            files[f"cards/{exercise.id}.pdf"] = plain
            files[f"cards/print/{exercise.id}.pdf"] = shop
    with stage("verify"):
        for name, data in files.items():
            if name.startswith("cards/"):
                pdf_bytes_text(data)  # read back here, in parallel; the check finds it kept
    with stage("embeds"):
        files[embed_path(exercise)] = render_embed(catalogue, exercise, root, url).encode()
        files[oembed_path(exercise)] = render_oembed(catalogue, exercise, url).encode()
    return files, errors


def _booklet_files(job: _Job) -> _Rendered:
    """Return the booklet, its printer's spreads and its print-shop variant (one layout)."""
    with stage("booklet"):
        booklet, shop = render_booklets(job.catalogue, job.root)
        files = {
            "print/booklet.pdf": booklet,
            "print/booklet-imposed.pdf": impose(booklet),
            "print/booklet-print.pdf": shop,
        }
    with stage("verify"):
        pdf_bytes_text(booklet)  # read back here, in parallel; the check finds it kept
    return files, []


def _sheet_files(job: _Job, sheet: str) -> _Rendered:
    """Return the home-print sheets of all cards on one paper size."""
    with stage("sheets"):
        pdf = render_sheets(job.catalogue, job.root, job.url, sheet)
        return {f"print/cards-{sheet}.pdf": pdf}, []


def _panel_files(job: _Job) -> _Rendered:
    """Return the quick-start panel for the box."""
    with stage("panel"):
        panel = job.catalogue.printing.panel
        return panel_files(job.catalogue, job.url, panel.width, panel.height), []


def _offline_files(job: _Job) -> _Rendered:
    """Return the offline copy of the website, zipped, and what its safety check found."""
    with stage("offline"):
        folder = Path(tempfile.mkdtemp(prefix="backrack-offline-"))
        try:
            build_offline_folder(job.root, folder / "site")
            failures = verify_site(folder / "site", job.catalogue, offline=True)
            zipped = zip_folder(folder / "site")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return {ZIP_PATH: zipped}, failures


def _read_tree(folder: Path) -> dict[str, bytes]:
    """Return every file below ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- helpers shared with other modules ----------------------------------------------------------


def site_url(root: Path) -> str:
    """Return the website's address from ``mkdocs.yml`` (for QR codes on print)."""
    from mkdocs.config import load_config

    return str(load_config(str(root / MKDOCS_CONFIG)).site_url or "")


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
    with stage("mkdocs"):
        try:
            config = load_config(str(root / MKDOCS_CONFIG), site_dir=str(site_dir), strict=True)
            mkdocs_build(config)
        except MkDocsException as exc:
            raise RenderError(f"mkdocs: {exc}") from None
