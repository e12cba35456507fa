"""Time the print-shop step on the real catalogue: ``for_print_shop`` and its check.

``python -m generator.dev.prepress_bench [--runs N] [--out DIR]`` typesets, once
and untimed, what goes to the print shop (each published exercise's card, each
publication's booklet and panel), then prints for each the median CPU time of
``for_print_shop`` (the colours rewritten, the boxes, the marks, the metadata,
and ``rgb_left`` reading the result back) and of ``rgb_left`` alone. With
``--out``, each print-shop file is written there, to compare two versions of
the step byte for byte (``cmp``). Set ``SOURCE_DATE_EPOCH`` for stable dates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ADDRESS = "https://exercises.backrack.test/"
"""A site address that is not the placeholder, so the print-shop files are made."""


def inputs(root: Path) -> list[tuple[str, bytes, dict[str, Any]]]:
    """Return each PDF the real catalogue sends to ``for_print_shop``, named, with its
    arguments (the renderers run with ``for_print_shop`` stood in for)."""
    from generator.outputs.print import booklet, cards, panel, prepress
    from generator.outputs.view import exercise_views
    from generator.settings import read_settings
    from generator.sources.publications import publications
    from generator.sources.validate import load_catalogue

    catalogue, _ = load_catalogue(root)
    if catalogue is None:
        raise SystemExit("the sources have errors; run: python -m generator check")
    settings = read_settings(root, address=ADDRESS).dated(catalogue.latest_review)
    views = exercise_views(catalogue)
    found: list[tuple[str, bytes, dict[str, Any]]] = []
    name = ""

    def keep(pdf: bytes, **arguments: Any) -> bytes:
        found.append((name, pdf, arguments))
        return b""

    modules: list[Any] = [cards, booklet, panel]
    for module in modules:
        module.for_print_shop = keep
    try:
        for exercise in catalogue.published:
            name = f"card {exercise.id}"
            cards.render_cards(catalogue, views[exercise.id], settings)
        for publication in publications(catalogue):
            own = publication.catalogue(catalogue)
            name = f"booklet {publication.id}"
            booklet.render_booklet(own, views, settings, bleed=True)
            name = f"panel {publication.id}"
            panel.panel_files(own, views, settings, publication.id)
    finally:
        for module in modules:
            module.for_print_shop = prepress.for_print_shop
    return found


def median_time(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    from generator.outputs.print import prepress

    parser = argparse.ArgumentParser(prog="python -m generator.dev.prepress_bench")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path)
    options = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[2]
    prepress.colour_table(root)  # read once per process in a build too
    total = checks = 0.0
    print(f"print-shop step, median CPU seconds of {options.runs} runs:")
    for name, pdf, arguments in inputs(root):
        result = prepress.for_print_shop(pdf, **arguments)
        step = median_time(lambda: prepress.for_print_shop(pdf, **arguments), options.runs)  # noqa: B023
        check = median_time(lambda: prepress.rgb_left(result), options.runs)  # noqa: B023
        total, checks = total + step, checks + check
        print(f"  {name:<40} {step:7.3f}  (rgb_left alone {check:.3f})")
        if options.out:
            options.out.mkdir(parents=True, exist_ok=True)
            (options.out / (name.replace(" ", "-") + ".pdf")).write_bytes(result)
    print(f"all: {total:.3f} s (rgb_left alone {checks:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
