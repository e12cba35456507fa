"""Benchmarks that print their figures (never asserted in tests).

``python -m generator.bench cards``: the time to render each card of the real
catalogue (both variants), the median of several runs, and the total.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .build import site_url, source_date_epoch
from .printed.cards import CardSettings, render_card
from .validate import load_catalogue


def bench_cards(root: Path, runs: int) -> int:
    """Print the median time per card (plain and print-shop variant) and the total."""
    catalogue, _ = load_catalogue(root)
    if catalogue is None:
        print("the sources have errors; run: python -m generator check", file=sys.stderr)
        return 1
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(catalogue)))
    url, size = site_url(root), catalogue.printing.cards.size.value
    total = 0.0
    print(f"cards ({size}), median of {runs} runs, seconds:")
    for exercise in catalogue.published:
        for bleed in (False, True):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                render_card(catalogue, exercise, root, url, CardSettings(size, bleed))
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            total += median
            variant = "print-shop" if bleed else "plain"
            print(f"  {exercise.id:<20} {variant:<10} {median:6.3f}")
    print(f"all cards, one after the other: {total:.2f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run a benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m generator.bench", description=__doc__)
    parser.add_argument("what", choices=["cards"], help="what to measure")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args(argv)
    return bench_cards(args.root.resolve(), args.runs)


if __name__ == "__main__":
    sys.exit(main())
