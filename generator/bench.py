"""The scale benchmark: figures printed, never asserted in tests.

``python -m generator.bench build`` (the default) builds catalogues the way a maker's grows:
L languages × P products × E exercises (``--sizes``, e.g. ``real,5x2x20,20x2x50``: the real
content, then synthetic catalogues from ``generator.dev.synthetic.synthetic_catalogue``). A
publication is a product in a language (L × P of them: a booklet, home-print sheets and a box
panel each); cards, diagrams, previews and embeds are per exercise and language; the website is
per language. For each size it prints

- a full build from nothing (no cache, no site): wall time, CPU time (user + system of the whole
  process tree), peak memory (the largest sum of PSS over the build and its workers, sampled
  every 20 ms), and the wall and CPU time of each stage;
- a no-op rebuild; one English exercise changed (one sentence); one translated entry changed
  (one approved translation, still approved); one shared safety text changed (a message every
  exercise carries: it touches everything). Each: wall, CPU, peak memory, units rendered and
  reused;
- the project's site stage (pages + mkdocs with the hooks, every language) beside a plain
  ``mkdocs build`` of the same pages without the hooks, and their ratio: from nothing, and in a
  rebuild (the subset faces and compiled templates kept, as the build cache keeps them);

then the issue's targets, each met or missed, with the stage that sets the floor of a missed one.

``python -m generator.bench cards``: the time to render each card of the real catalogue.

Every build runs in a fresh process as ``python -m generator build --strict --site-url ...``
does (the no-op check first), in a temporary copy of the project, so nothing in the project
changes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

# Only light modules here: a no-op rebuild is timed in a process that imports this one.

SITE_URL = "https://exercises.backrack.test/"
"""The site address the benchmark builds at: not a placeholder, so every output is made."""
DEFAULT_SIZES = "real,5x2x20,20x2x50"
CHEAP = 60.0
"""A size whose full build takes longer (seconds) is built once, whatever ``--runs`` says."""
SAMPLE = 0.02
"""Seconds between two samples of the memory."""


def bench_cards(root: Path, runs: int) -> int:
    """Print the median time per exercise of its two cards (plain and print-shop), and the total."""
    from generator.outputs.print.cards import render_cards
    from generator.outputs.view import exercise_views
    from generator.settings import read_settings
    from generator.sources.validate import load_catalogue

    catalogue, _ = load_catalogue(root)
    if catalogue is None:
        print("the sources have errors; run: python -m generator check", file=sys.stderr)
        return 1
    settings = read_settings(root).dated(catalogue.latest_review)
    views = exercise_views(catalogue)
    size = catalogue.printing.cards.size.value
    total = 0.0
    files = "card, light-ink card and PDF/X-4 print-shop card"
    print(f"cards ({size}: {files}), median of {runs} runs, seconds:")
    for exercise in catalogue.published:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            render_cards(catalogue, views[exercise.id], settings)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        total += median
        print(f"  {exercise.id:<20} {median:6.3f}")
    print(f"all cards, one after the other: {total:.2f} s")
    return 0


# --- the build benchmark -------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """Return ``pid`` and every process descended from it."""
    found, index = [pid], 0
    while index < len(found):
        for children in Path(f"/proc/{found[index]}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                found += [int(c) for c in children.read_text().split()]
        index += 1
    return found


def _pss(pids: list[int]) -> list[float]:
    """Return each process's proportional set size (PSS), in MB (0 for one that ended)."""
    found = []
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # ended meanwhile
            found.append(0.0)
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
        found.append(int(match.group(1)) / 1024 if match else 0.0)
    return found


def _child(argv: list[str]) -> dict[str, Any]:
    """Run ``python -m generator.bench <argv>`` in a fresh process; return what it printed
    (JSON, its last line) with the whole process tree's wall time (``wall``: start-up and
    imports included), CPU time (``cpu``: user + system of it and its workers) and peak memory
    (``peak_mb``: the largest sum of PSS over the tree, sampled every ``SAMPLE`` s; NaN where
    ``/proc`` is not there; ``peak_split``: at that peak, the build process's own PSS and the
    sum of its workers')."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.bench", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    peak, done = (
        [math.nan if not Path("/proc/self/smaps_rollup").exists() else 0.0, 0.0, 0.0],
        threading.Event(),
    )

    def sample() -> None:
        while not done.is_set():
            if not math.isnan(peak[0]):
                own, *workers = _pss(_tree(process.pid))
                if own + sum(workers) > peak[0]:
                    peak[:] = [own + sum(workers), own, sum(workers)]
            done.wait(SAMPLE)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(argv)}\n{out}{err}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["wall"] = wall
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["peak_mb"] = peak[0]
    result["peak_split"] = peak[1:]
    return result


def _once(project: Path, site_url: str, jobs: int | None) -> dict[str, Any]:
    """Build ``project`` once in this process, as ``python -m generator build --strict
    --site-url <site_url>`` does (the no-op check first, the renderers imported only when
    needed); return its units and stage times as JSON data."""
    from generator.engine.manifest import input_key, unchanged
    from generator.settings import build_date

    target = (project / "site").resolve()
    result = unchanged(project, target, input_key(project, True, build_date(), site_url))
    if result is None:
        from generator.build import build

        result = build(project, strict=True, jobs=jobs, site_url=site_url)
    return {
        "stages": result.timings if not result.unchanged else {},
        "rendered": list(result.rendered),
        "reused": list(result.reused),
        "unchanged": result.unchanged,
    }


def _languages(project: Path, site_url: str) -> Iterator[tuple[str, Any, Any, Any]]:
    """Yield each language the build makes as it makes it: its code, catalogue, views and
    settings (inside its words, ``speaking``)."""
    from dataclasses import replace

    from generator.build import languages_to_make
    from generator.outputs.view import exercise_views
    from generator.outputs.words import speaking
    from generator.settings import read_settings
    from generator.sources.validate import load_catalogue
    from generator.translations.languages import SOURCE_LANGUAGE

    catalogue, _ = load_catalogue(project)
    assert catalogue is not None
    settings = read_settings(project, True, address=site_url).dated(catalogue.latest_review)
    languages = languages_to_make(project, catalogue, settings)
    settings = replace(settings, languages=tuple((t.language, t.name) for t in languages))
    for language in languages:
        own = settings.in_language(language.language, SOURCE_LANGUAGE)
        with speaking(language.speech):
            yield language.language, language.catalogue, exercise_views(language.catalogue), own


def _baseline(project: Path, site_url: str) -> dict[str, Any]:
    """Time a plain ``mkdocs build`` of the project's generated pages, without its hooks (nor
    its templates, which need them: the theme's own), in every language the build makes
    (summed)."""
    import logging

    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.engine.write import write_files
    from generator.outputs.web.pages import navigation, render_pages
    from generator.sources.fonts import font_files

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    kept, skipping = [], False
    for line in lines:
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        if not line.strip().startswith("custom_dir:"):  # the project's templates need its hooks
            kept.append(line)
    seconds, pages = 0.0, 0
    for code, catalogue, views, settings in _languages(project, site_url):
        work = Path(tempfile.mkdtemp(prefix="backrack-baseline-"))
        try:
            docs = work / "docs"
            shutil.copytree(project / "templates" / "static", docs)
            generated = render_pages(catalogue, views, settings, offline=False)
            files = {p.src_uri: p.markdown.encode() for p in generated}
            files |= {d.path: d.svg.encode() for view in views.values() for d in view.diagrams}
            files |= {f"assets/fonts/{name}": data for name, data in font_files().items()}
            write_files(docs, files)
            nav = yaml.safe_dump(
                {"nav": navigation(catalogue)}, allow_unicode=True, sort_keys=False
            )
            config_file = work / "mkdocs.yml"
            config_file.write_text("\n".join([*kept, nav]), encoding="utf-8")
            # like the site stage: the configuration is read, then built
            start = time.perf_counter()
            config = load_config(
                str(config_file),
                docs_dir=str(docs),
                site_dir=str(work / "site"),
                site_url=settings.site_url,
                strict=False,
            )
            config.theme["language"] = code
            mkdocs_build(config)
            seconds += time.perf_counter() - start
            pages += sum(1 for _ in (work / "site").rglob("*.html"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return {"seconds": seconds, "pages": pages}


def _site(project: Path, site_url: str, kept: Path | None = None) -> dict[str, Any]:
    """Time the project's own site stage alone, in every language (summed): generate the pages,
    then mkdocs with the hooks (the build's "mkdocs" stage, which holds "pages"). The views
    (and diagrams) are made first and not counted. ``kept``: the folder the website's subset
    faces and compiled templates are kept in, as a build's cache keeps them (``None``: made
    from nothing)."""
    from mkdocs.commands.build import build  # imported before the clock, as in _baseline
    from mkdocs.config import load_config

    from generator.outputs.web.kept import keep_in
    from generator.outputs.web.website import render_website

    del build, load_config
    keep_in(kept)
    seconds = 0.0
    for _, catalogue, views, settings in _languages(project, site_url):
        start = time.perf_counter()
        render_website(catalogue, views, settings)
        seconds += time.perf_counter() - start
    return {"seconds": seconds}


# --- the edits ------------------------------------------------------------------------------------


def _edit_english(project: Path, run: int) -> str:
    """Change one sentence of one exercise (a different sentence each run); return what."""
    from generator.dev.synthetic import EXTRA

    folder = project / "content" / "exercises"
    published = sorted(
        p for p in folder.glob("*.yaml") if "status: published" in p.read_text(encoding="utf-8")
    )
    path = published[len(published) // 2]
    text = path.read_text(encoding="utf-8")
    purpose = next(line for line in text.splitlines() if line.startswith("purpose:"))
    sentence = EXTRA[run % len(EXTRA)]
    changed = purpose.split(".")[0] + ". " + sentence
    if changed == purpose:
        changed = purpose.split(".")[0] + ". " + EXTRA[(run + 1) % len(EXTRA)]
    path.write_text(text.replace(purpose, changed, 1), encoding="utf-8")
    return f"{path.stem}: purpose"


def _edit_translation(project: Path, run: int) -> str | None:
    """Change one translated entry of one exercise (a step, where there is one) in the last
    translation file, keeping its approval (it approves the English, which is unchanged);
    return what, or None if there is no translation."""
    from generator.translations import files

    languages = files.languages(project)
    if not languages:
        return None
    language = languages[-1]
    catalog = files.read(project, language)
    entries = [m for m in catalog if m.id and m.string and str(m.context).startswith("exercise:")]
    steps = [m for m in entries if ".steps." in str(m.context)]  # a step: what an edit touches
    entries = steps or entries
    message = entries[(run * 7) % len(entries)]
    text = str(message.string)
    message.string = text[:-1] + "!" if text.endswith(".") else text.rstrip("!") + "."
    files.write(project, language, catalog)
    return f"{language}: {message.context}"


SHARED_CHANGES = (
    (
        "If you are in any doubt whether this is right for you, consult your doctor.",
        "If you have any doubt whether this is right for you, consult your doctor.",
    ),
)
"""A sentence of the doctor notice (content/shared.yaml: every exercise carries it), and what
it becomes; the benchmark swaps them each run."""


def _edit_shared(project: Path, run: int) -> str:
    """Change one sentence of a shared safety message every exercise carries; return which."""
    path = project / "content" / "shared.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in SHARED_CHANGES:
        if old in text or new in text:
            changed = text.replace(old, new) if old in text else text.replace(new, old)
            path.write_text(changed, encoding="utf-8")
            return "shared: messages.consult-doctor.text.0 (the doctor notice)"
    raise SystemExit("content/shared.yaml: the doctor notice's sentence was not found")


# --- the benchmark --------------------------------------------------------------------------------


def parse_size(size: str) -> tuple[int, int, int] | None:
    """Return (languages, products, exercises) of a size ``LxPxE``; None for ``real``."""
    if size == "real":
        return None
    found = re.fullmatch(r"(\d+)x(\d+)x(\d+)", size)
    if found is None:
        raise SystemExit(f"a size is 'real' or LxPxE (languages x products x exercises): {size!r}")
    languages, products, exercises = (int(n) for n in found.groups())
    return languages, products, exercises


def _median(values: list[float]) -> float:
    found = [v for v in values if not math.isnan(v)]
    return statistics.median(found) if found else math.nan


STEPS = (
    ("noop", "no-op rebuild"),
    ("translation", "one translated entry changed"),
    ("english", "one English exercise changed"),
    ("shared", "one shared safety text changed"),
)
"""The steps after the full build, cheapest first, so that a run stopped early has them."""
STEP_KEYS = tuple(key for key, _ in STEPS)


def _measure(
    project: Path, site_url: str, jobs: int | None, run: int, steps: Sequence[str], size: str
) -> dict[str, Any]:
    """Build from nothing, then each step of ``STEPS`` named in ``steps``; return every
    child's result. Each is also said on stderr as soon as it is measured."""
    jobs_args = [] if jobs is None else [str(jobs)]
    once = ["_once", str(project), site_url, *jobs_args]
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    edits: dict[str, Callable[[Path, int], str | None]] = {
        "noop": lambda _project, _run: "",
        "translation": _edit_translation,
        "english": _edit_english,
        "shared": _edit_shared,
    }
    found: dict[str, Any] = {"full": _progress(size, "full build from nothing", _child(once))}
    for key, label in STEPS:
        if key not in steps:
            continue
        what = edits[key](project, run)  # each edit made before its build starts
        if what is not None:
            found[key] = _progress(size, label, _child(once) | {"what": what})
    return found


def _progress(size: str, label: str, result: dict[str, Any]) -> dict[str, Any]:
    """Say one measured step on stderr at once (a long run says what it has so far)."""
    print(
        f"[{size}] {label}: wall {result['wall']:.2f} s, CPU {result['cpu']:.2f} s, peak "
        f"{_mb(result['peak_mb'])}, {len(result['rendered'])} rendered, "
        f"{len(result['reused'])} reused",
        file=sys.stderr,
        flush=True,
    )
    return result


def _stage_times(stages: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Return each stage's (wall, CPU) seconds."""
    from generator.engine.timing import cpu_key

    found = {}
    for name, seconds in stages.items():
        if name.endswith(cpu_key("")) or name == "total":
            continue
        found[name] = (seconds, stages.get(cpu_key(name), math.nan))
    return found  # loading is taken out of validation where it is timed (timing.without)


def _floor(build: dict[str, Any]) -> str:
    """Name the stage that sets the floor of a build: the largest CPU time, with its share of
    the whole process tree's CPU time, and its wall time."""
    times = _stage_times(build["stages"])
    if not times:
        return "no stage recorded (nothing was rendered)"
    name, (wall, cpu) = max(times.items(), key=lambda item: item[1][1])
    return (
        f"floor: {name} ({cpu:.2f} s CPU, {cpu / build['cpu']:.0%} of the build's CPU; "
        f"{wall:.2f} s wall, workers summed, {wall / build['wall']:.0%} of the build's wall)"
    )


def _mb(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0f} MB"


def bench_build(
    root: Path,
    sizes: list[str],
    runs: int,
    jobs: int | None,
    site_url: str,
    steps: Sequence[str] = STEP_KEYS,
) -> int:
    """Print the build figures for each size, then the targets."""
    from generator.build import STAGES
    from generator.dev.synthetic import copy_project, synthetic_catalogue
    from generator.sources.validate import load_catalogue

    catalogue, _ = load_catalogue(root)
    if catalogue is None:
        print("the sources have errors; run: python -m generator check", file=sys.stderr)
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"build benchmark: {cores} core(s), jobs={jobs or 'auto'}, site {site_url}; up to {runs} "
        f"run(s) per size, medians (a size whose full build takes over {CHEAP:.0f} s: one run)"
    )
    figures: dict[str, dict[str, Any]] = {}
    for size in sizes:
        shape = parse_size(size)
        work = Path(tempfile.mkdtemp(prefix="backrack-bench-"))
        try:
            if shape is None:
                project = copy_project(root, work / "project")
            else:
                project = synthetic_catalogue(root, *shape, work / "project")
            results = []
            for run in range(runs):
                results.append(_measure(project, site_url, jobs, run, steps, size))
                if results[0]["full"]["wall"] > CHEAP:
                    break
            count = len(results)
            site = [_child(["_site", str(project), site_url]) for _ in range(count)]
            kept = ["_site", str(project), site_url, str(work / "kept")]
            _child(kept)  # makes what a rebuild finds kept: the faces, the compiled templates
            rebuilt = [_child(kept) for _ in range(count)]
            plain = [_child(["_baseline", str(project), site_url]) for _ in range(count)]
        finally:
            shutil.rmtree(work, ignore_errors=True)
        figures[size] = _report_size(size, shape, results, (site, rebuilt), plain, STAGES)
    _targets(figures)
    return 0


def _report_size(
    size: str,
    shape: tuple[int, int, int] | None,
    results: list[dict[str, Any]],
    site: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    plain: list[dict[str, Any]],
    order: Sequence[str],
) -> dict[str, Any]:
    """Print one size's figures; return those the targets need."""
    full = [r["full"] for r in results]
    if shape is None:
        described = "the real content"
    else:
        described = (
            f"{shape[0]} language(s) × {shape[1]} product(s) × {shape[2]} exercise(s): "
            f"{shape[0] * shape[2]} exercise pages, {shape[0] * shape[1]} publications"
        )
    print(f"\n{size}: {described}; {plain[0]['pages']} HTML pages; {len(results)} run(s)")
    found: dict[str, Any] = {}

    def line(label: str, step: list[dict[str, Any]]) -> dict[str, float]:
        wall = _median([s["wall"] for s in step])
        cpu = _median([s["cpu"] for s in step])
        peak = _median([s["peak_mb"] for s in step])
        rendered, reused = len(step[0]["rendered"]), len(step[0]["reused"])
        units = (
            "nothing changed" if step[0]["unchanged"] else f"{rendered} rendered, {reused} reused"
        )
        print(f"  {label:<34} wall {wall:7.2f} s  CPU {cpu:7.2f} s  peak {_mb(peak):>8}  {units}")
        split = step[0].get("peak_split", [math.nan, math.nan])
        return {
            "wall": wall,
            "cpu": cpu,
            "peak": peak,
            "peak_split": split,
            "stages": step[0]["stages"],
        }

    found["full"] = line("full build from nothing", full)
    stages = {
        name: (
            _median([_stage_times(f["stages"]).get(name, (math.nan, math.nan))[0] for f in full]),
            _median([_stage_times(f["stages"]).get(name, (math.nan, math.nan))[1] for f in full]),
        )
        for name in order
        if any(name in f["stages"] for f in full)
    }
    print(
        "    stages, wall / CPU s (workers' stages summed, so wall can exceed the build's; "
        "mkdocs and offline hold pages):"
    )
    print("    " + "  ".join(f"{n} {w:.2f}/{c:.2f}" for n, (w, c) in stages.items()))
    for key, label in STEPS:
        step = [r[key] for r in results if key in r]
        if not step:
            print(f"  {label:<34} not measured")
            continue
        found[key] = line(label, step)
        if key != "noop":
            print(f"    changed: {step[0]['what']}")
            shown = ", ".join(step[0]["rendered"][:6])
            more = len(step[0]["rendered"]) - 6
            print(f"    rendered: {shown}{f' and {more} more' if more > 0 else ''}")
        if key == "shared":
            print(
                "    (every exercise carries it, in every language: it touches every unit; its "
                "translations are outdated until translated again)"
            )
    cold, warm = (_median([s["seconds"] for s in runs]) for runs in site)
    baseline = _median([p["seconds"] for p in plain])
    found["site"], found["rebuilt"], found["plain"] = cold, warm, baseline
    print(
        f"  site stage (pages + mkdocs with the hooks, every language) {cold:.2f} s; "
        f"plain mkdocs of the same pages {baseline:.2f} s; ratio {cold / baseline:.2f}×\n"
        f"  the same in a rebuild (its subset faces and compiled templates kept, as the build "
        f"cache keeps them) {warm:.2f} s; ratio {warm / baseline:.2f}×"
    )
    return found


SITE_FLOORS = {
    "site": "floor: the site stage's own work from nothing (its subset faces and compiled "
    "templates; a rebuild finds them kept)",
    "rebuilt": "floor: the site stage (mkdocs with the project's hooks)",
}
"""What sets the floor of a missed site-stage ratio, from nothing and in a rebuild."""


def _peak(build: dict[str, Any]) -> str:
    """Say where a build's peak memory was: the build process's share and its workers'."""
    own, workers = build["peak_split"]
    return (
        f"at the peak (one run): the build process {_mb(own)}, its workers {_mb(workers)} "
        "(memory is sampled over the process tree, not per stage)"
    )


def _targets(figures: dict[str, dict[str, Any]]) -> None:
    """Print each of the issue's targets with its figure and met/missed; for a missed one, the
    stage that sets the floor."""
    big, middle, real = figures.get("20x2x50"), figures.get("5x2x20"), figures.get("real")
    rows: list[tuple[str, float, float, str, str]] = []  # name, figure, limit, unit, floor
    if real:
        full = real["full"]
        rows.append(("real content, full build", full["wall"], 3.0, "s", _floor(full)))
        if "noop" in real:
            noop = real["noop"]["wall"] / full["wall"]
            rows.append(("real content, no-op / full build", noop, 0.05, "%", _floor(real["noop"])))
    if big:
        full = big["full"]
        rows.append(("20x2x50, full build", full["wall"], 120.0, "s", _floor(full)))
        rows.append(("20x2x50, peak memory", full["peak"], 1024.0, "MB", _peak(full)))
        if middle:
            ratio = full["wall"] / middle["full"]["wall"]
            rows.append(("20x2x50 / 5x2x20 full build", ratio, 11.0, "×", _floor(full)))
        for key, limit, what in (
            ("english", 5.0, "one English exercise changed"),
            ("translation", 3.0, "one translated entry changed"),
        ):
            if key in big:
                step = big[key]
                rows.append((f"20x2x50, {what}", step["wall"], limit, "s", _floor(step)))
    for size, found in figures.items():
        for key, when in (("site", "from nothing"), ("rebuilt", "in a rebuild")):
            ratio = found[key] / found["plain"]
            rows.append((f"{size}, site stage {when} / plain", ratio, 1.3, "×", SITE_FLOORS[key]))
    print("\ntargets (figures from this run):")
    for name, value, limit, unit, floor in rows:
        met = value <= limit if unit == "×" else value < limit
        verdict = "met" if met else ("not measured" if math.isnan(value) else "MISSED")
        if unit == "%":
            shown, wanted = f"{value:.1%}", f"< {limit:.0%}"
        else:
            shown, wanted = f"{value:.2f} {unit}", f"{'≤' if unit == '×' else '<'} {limit:g} {unit}"
        print(f"  {name:<44} {shown:>11}  (target {wanted})  {verdict}")
        if verdict == "MISSED":
            print(f"    {floor}")
    for wanted in ("real", "5x2x20", "20x2x50"):
        if wanted not in figures:
            print(f"  ({wanted} not run: its targets are skipped)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a benchmark from the command line."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in ("_once", "_baseline", "_site"):  # one step, in a child
        project, site_url = Path(arguments[1]), arguments[2]
        if arguments[0] == "_baseline":
            print(json.dumps(_baseline(project, site_url)))
        elif arguments[0] == "_site":
            kept = Path(arguments[3]) if len(arguments) > 3 else None
            print(json.dumps(_site(project, site_url, kept)))
        else:
            jobs = int(arguments[3]) if len(arguments) > 3 else None
            print(json.dumps(_once(project, site_url, jobs)))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m generator.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", nargs="?", default="build", choices=["build", "cards"])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians)")
    parser.add_argument(
        "--sizes",
        default=DEFAULT_SIZES,
        help=f"comma-separated: real and/or LxPxE (languages x products x exercises); "
        f"default {DEFAULT_SIZES}",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: --sizes real,2x2x8 --runs 1"
    )
    parser.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--site-url", default=SITE_URL, help=f"default {SITE_URL}")
    every = ",".join(key for key, _ in STEPS)
    parser.add_argument(
        "--steps",
        default=every,
        help=f"the steps after the full build, comma-separated (default {every})",
    )
    args = parser.parse_args(arguments)
    if args.what == "cards":
        return bench_cards(args.root.resolve(), args.runs)
    if args.quick:
        args.sizes, args.runs = "real,2x2x8", 1
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        parse_size(size)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = sorted(set(steps) - {key for key, _ in STEPS})
    if unknown:
        parser.error(f"unknown step(s): {', '.join(unknown)}; known: {every}")
    return bench_build(args.root.resolve(), sizes, args.runs, args.jobs, args.site_url, steps)


if __name__ == "__main__":
    sys.exit(main())
