"""Benchmarks that print their figures (never asserted in tests).

``python -m generator.dev.bench build``: for the real catalogue and synthetic
catalogues of 100 and 1,000 exercises (``--sizes``), the median over
``--runs`` runs of

- a full build from scratch (empty cache): its wall time, the time of each
  stage, and the peak memory;
- a no-op rebuild (nothing changed) and a rebuild after one exercise changed,
  each timed as the whole command an author runs;
- a plain ``mkdocs build`` of the same generated pages, without the
  project's hooks, beside the project's own site stage (pages + mkdocs), and
  their ratio;

then the issue's targets, each marked met or missed.

``python -m generator.dev.bench cards``: the time to render each card of the real
catalogue (both variants), the median of several runs, and the total.

Every build runs in a fresh process, as ``python -m generator build`` does, so
that imports, start-up and the worker processes are all counted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Only light modules here: a no-op rebuild is timed in a process that imports this one.

#: The stages printed per size (the issue's list; the others are summed into "other").
SHOWN_STAGES = ("load", "validate", "diagrams", "pages", "mkdocs", "cards", "booklet")


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


# --- the build benchmark ------------------------------------------------------------------------


def _child(argv: list[str]) -> dict[str, Any]:
    """Run ``python -m generator.dev.bench <argv>`` in a fresh process; return what it printed,
    with the wall time of the whole process (start-up and imports included) as ``wall``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator.dev.bench", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(argv)}\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def _once(project: Path, jobs: int | None) -> dict[str, Any]:
    """Build ``project`` once in this process, as ``python -m generator build --strict`` does
    (the no-op check first, the renderers imported only when needed); return its stage
    times and peak memory as JSON data."""
    from generator.engine.manifest import input_key, unchanged
    from generator.settings import build_date

    target = (project / "site").resolve()
    result = unchanged(project, target, input_key(project, True, build_date()))
    if result is None:
        from generator.build import build

        result = build(project, strict=True, jobs=jobs)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "stages": result.timings,
        "rendered": list(result.rendered),
        "unchanged": result.unchanged,
        "main_mb": own,
        "worker_mb": workers,
    }


def _baseline(project: Path) -> dict[str, Any]:
    """Time a plain ``mkdocs build`` of the project's generated pages, without its hooks."""
    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.engine.write import write_files
    from generator.outputs.view import exercise_views
    from generator.outputs.web.pages import navigation, render_pages
    from generator.settings import read_settings
    from generator.sources.fonts import font_files
    from generator.sources.validate import load_catalogue

    catalogue, _ = load_catalogue(project)
    assert catalogue is not None
    settings = read_settings(project).dated(catalogue.latest_review)
    views = exercise_views(catalogue)
    work = Path(tempfile.mkdtemp(prefix="backrack-baseline-"))
    docs = work / "docs"
    shutil.copytree(project / "templates" / "static", docs)
    generated = render_pages(catalogue, views, settings, offline=False)
    files = {p.src_uri: p.markdown.encode() for p in generated}
    files |= {d.path: d.svg.encode() for view in views.values() for d in view.diagrams}
    files |= {f"assets/fonts/{name}": data for name, data in font_files().items()}
    write_files(docs, files)
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    kept, skipping = [], False
    for line in lines:
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        kept.append(line)
    kept += [yaml.safe_dump({"nav": navigation(catalogue)}, allow_unicode=True, sort_keys=False)]
    config_file = work / "mkdocs.yml"
    config_file.write_text("\n".join(kept), encoding="utf-8")
    shutil.copytree(project / "templates" / "theme", work / "templates" / "theme")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    start = time.perf_counter()  # like the site stage: the configuration is read, then built
    config = load_config(
        str(config_file), docs_dir=str(docs), site_dir=str(work / "site"), strict=False
    )
    mkdocs_build(config)
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in (work / "site").rglob("*.html"))
    shutil.rmtree(work, ignore_errors=True)
    return {"seconds": seconds, "pages": pages}


def _site(project: Path) -> dict[str, Any]:
    """Time the project's own site stage alone: generate the pages, then mkdocs with the hooks.

    The diagrams are drawn first and not counted: every output uses them.
    """
    from generator.outputs.view import exercise_views
    from generator.outputs.web.website import render_website
    from generator.settings import read_settings
    from generator.sources.validate import load_catalogue

    catalogue, _ = load_catalogue(project)
    assert catalogue is not None
    settings = read_settings(project).dated(catalogue.latest_review)
    views = exercise_views(catalogue)
    start = time.perf_counter()
    render_website(catalogue, views, settings)
    return {"seconds": time.perf_counter() - start}


def _edit(project: Path, run: int) -> str:
    """Change one sentence of one exercise (a different one each run); return its id."""
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
    return path.stem


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def bench_build(root: Path, sizes: list[str], runs: int, jobs: int | None) -> int:
    """Print the build figures for each size, then the targets."""
    from generator.build import STAGES
    from generator.dev.synthetic import synthetic_project
    from generator.sources.validate import load_catalogue

    catalogue, _ = load_catalogue(root)
    if catalogue is None:
        print("the sources have errors; run: python -m generator check", file=sys.stderr)
        return 1
    real = len(catalogue.published)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"build benchmark: median of {runs} run(s) each, {cores} core(s), jobs={jobs or 'auto'}")
    figures: dict[str, dict[str, float]] = {}
    for size in sizes:
        count = real if size == "real" else int(size)
        label = f"real ({real})" if size == "real" else str(count)
        work = Path(tempfile.mkdtemp(prefix=f"backrack-bench-{count}-"))
        project = synthetic_project(root, count, work / "project")
        jobs_args = [] if jobs is None else ["--jobs", str(jobs)]
        full, noop, change = [], [], []
        for run in range(runs):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            shutil.rmtree(project / "site", ignore_errors=True)
            full.append(_child(["_once", str(project), *jobs_args]))
            noop.append(_child(["_once", str(project), *jobs_args]))
            _edit(project, run)
            change.append(_child(["_once", str(project), *jobs_args]))
        baseline = [_child(["_baseline", str(project)]) for _ in range(runs)]
        site = [_child(["_site", str(project)]) for _ in range(runs)]
        shutil.rmtree(work, ignore_errors=True)
        if any(not n["unchanged"] for n in noop):
            print("  warning: a no-op rebuild rendered something", file=sys.stderr)
        stages = {
            name: _median([f["stages"].get(name, 0.0) for f in full])
            for name in STAGES
            if any(name in f["stages"] for f in full)
        }
        wall = _median([f["wall"] for f in full])
        memory = _median([f["main_mb"] + (jobs or cores or 1) * f["worker_mb"] for f in full])
        site_stage = _median([s["seconds"] for s in site])
        plain = _median([b["seconds"] for b in baseline])
        figures[size] = {
            "wall": wall,
            "memory": memory,
            "noop": _median([n["wall"] for n in noop]),
            "change": _median([c["wall"] for c in change]),
            "site": site_stage,
            "plain": plain,
        }
        print(f"\n{label} exercises ({baseline[0]['pages']} pages):")
        shown = "  ".join(f"{n} {stages[n]:.2f}" for n in SHOWN_STAGES if n in stages)
        others = {n: v for n, v in stages.items() if n not in SHOWN_STAGES and n != "total"}
        detail = ", ".join(f"{n} {v:.2f}" for n, v in others.items() if v >= 0.005)
        print(f"  stages, s (workers' stages summed): {shown}")
        print(f"    other {sum(others.values()):.2f} ({detail})")
        print(f"  full build, wall:          {wall:8.2f} s")
        print(
            f"  peak memory:               {memory:8.0f} MB "
            f"(main {_median([f['main_mb'] for f in full]):.0f} MB + workers × largest "
            f"{_median([f['worker_mb'] for f in full]):.0f} MB)"
        )
        noop_ratio = figures[size]["noop"] / wall
        print(f"  no-op rebuild:             {figures[size]['noop']:8.2f} s ({noop_ratio:.1%})")
        rerendered = sorted({u for c in change for u in c["rendered"]})
        print(
            f"  one exercise changed:      {figures[size]['change']:8.2f} s "
            f"(re-rendered: {len(change[0]['rendered'])} part(s), e.g. {', '.join(rerendered[:4])})"
        )
        print(f"  site stage alone:          {site_stage:8.2f} s (pages + mkdocs with the hooks)")
        print(f"  plain mkdocs build:        {plain:8.2f} s  ratio {site_stage / plain:.2f}×")
    _targets(figures)
    return 0


def _targets(figures: dict[str, dict[str, float]]) -> None:
    """Print each of the issue's targets with the measured figure and met/missed."""
    checks: list[tuple[str, float, float, str]] = []
    if "real" in figures:
        checks.append(("real catalogue, full build", figures["real"]["wall"], 5.0, "s"))
    if "1000" in figures:
        big = figures["1000"]
        checks.append(("1,000 exercises, full build", big["wall"], 60.0, "s"))
        checks.append(("1,000 exercises, peak memory", big["memory"], 1024.0, "MB"))
        if "100" in figures:
            checks.append(("1,000 / 100 full build", big["wall"] / figures["100"]["wall"], 12, "×"))
        checks.append(("one exercise changed at 1,000", big["change"], 3.0, "s"))
    for size, found in figures.items():
        checks.append((f"no-op / full build ({size})", found["noop"] / found["wall"], 0.10, ""))
        checks.append(
            (f"site stage / plain mkdocs ({size})", found["site"] / found["plain"], 1.3, "×")
        )
    print("\ntargets:")
    for name, value, limit, unit in checks:
        verdict = "met" if value < limit or (unit == "×" and value <= limit) else "MISSED"
        shown = f"{value:.1%}" if unit == "" else f"{value:.2f} {unit}"
        limit_shown = f"{limit:.0%}" if unit == "" else f"{limit:g} {unit}"
        print(f"  {name:<42} {shown:>12}  (target < {limit_shown})  {verdict}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a benchmark from the command line."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in ("_once", "_baseline", "_site"):  # one step, in a child
        project = Path(arguments[1])
        if arguments[0] == "_baseline":
            print(json.dumps(_baseline(project)))
        elif arguments[0] == "_site":
            print(json.dumps(_site(project)))
        else:
            jobs = int(arguments[3]) if len(arguments) > 3 else None
            print(json.dumps(_once(project, jobs)))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m generator.dev.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", choices=["build", "cards"], help="what to measure")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--sizes", default="real,100,1000", help="catalogue sizes: real and/or numbers"
    )
    parser.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    args = parser.parse_args(arguments)
    if args.what == "cards":
        return bench_cards(args.root.resolve(), args.runs)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    return bench_build(args.root.resolve(), sizes, args.runs, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
