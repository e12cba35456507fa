"""Lighthouse on a built site: how light and how accessible the pages are on a phone.

``python -m generator.dev.lighthouse [--site-dir site]`` serves a built site on localhost
(the server of ``first_step``, which sends a file's ``.br`` or ``.gz`` sibling to a browser
that accepts it, as a host with precompressed files would), runs Lighthouse (mobile, its
default: a mid-range phone on a slow 4G connection, simulated) with Debian's Chromium on the
home page, the important information and two exercise pages, and prints per page the
performance and accessibility scores, the layout shift (CLS), the largest paint (LCP), the
blocking time (TBT), the transfer weight and the number of requests, each target met or
missed.

A measurement, never a test: the scores vary from run to run and from machine to machine, so
nothing asserts them. Lighthouse is pinned in ``package.json`` (12.2.3, the last release that
runs on Node 20); ``npm ci`` installs it. The exit code is non-zero only if Lighthouse could
not run; a missed target is printed as ``missed``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.dev.first_step import chromium, serving

PAGES = (
    ("home", ""),
    ("important information", "important-information/"),
    ("stomach crunch", "exercises/stomach-crunch/"),
    ("single-leg raise", "exercises/single-leg-raise/"),
)
"""The pages measured: a name and the address below the site."""

PERFORMANCE_TARGET = 90
ACCESSIBILITY_TARGET = 100
CLS_TARGET = 0.05
"""Performance at least 90, accessibility 100, layout shift below 0.05."""

CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
LIGHTHOUSE = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "lighthouse"


class LighthouseError(RuntimeError):
    """Lighthouse could not run or gave no report."""


@dataclass(frozen=True)
class Score:
    """What Lighthouse found on one page."""

    page: str
    performance: int
    accessibility: int
    cls: float
    lcp_ms: float
    tbt_ms: float
    weight_kib: float
    requests: int
    failed_audits: tuple[str, ...]
    """The accessibility audits that failed, by id (why accessibility is below 100)."""

    def targets(self) -> list[tuple[str, bool]]:
        """Return each target and whether it is met."""
        return [
            (f"performance ≥ {PERFORMANCE_TARGET}", self.performance >= PERFORMANCE_TARGET),
            (f"accessibility {ACCESSIBILITY_TARGET}", self.accessibility >= ACCESSIBILITY_TARGET),
            (f"CLS < {CLS_TARGET}", self.cls < CLS_TARGET),
        ]


def read_report(page: str, report: dict[str, Any]) -> Score:
    """Return the figures of one Lighthouse JSON report."""
    categories, audits = report["categories"], report["audits"]
    diagnostics = audits["diagnostics"]["details"]["items"][0]
    failed = [
        ref["id"]
        for ref in categories["accessibility"]["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] not in (None, 1)
    ]
    return Score(
        page,
        round(100 * (categories["performance"]["score"] or 0)),
        round(100 * (categories["accessibility"]["score"] or 0)),
        round(audits["cumulative-layout-shift"]["numericValue"], 3),
        audits["largest-contentful-paint"]["numericValue"],
        audits["total-blocking-time"]["numericValue"],
        diagnostics["totalByteWeight"] / 1024,
        diagnostics["numRequests"],
        tuple(sorted(failed)),
    )


def run_lighthouse(url: str, executable: str) -> dict[str, Any]:
    """Run Lighthouse (mobile; performance and accessibility) on ``url``; return its report."""
    if not LIGHTHOUSE.is_file():
        raise LighthouseError(f"{LIGHTHOUSE.name} is not installed (npm ci)")
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance,accessibility",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    environment = {**os.environ, "CHROME_PATH": executable}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise LighthouseError(f"lighthouse failed on {url}: {last}")
    report: dict[str, Any] = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse failed on {url}: {report['runtimeError']['message']}")
    return report


def measure(site: Path) -> list[Score]:
    """Run Lighthouse on each page of ``PAGES`` in the built ``site``, served on localhost."""
    executable = os.environ.get("CHROME_PATH") or chromium()
    if executable is None:
        raise LighthouseError("Chromium is not installed (apt-get install chromium)")
    with serving(site) as origin:
        return [
            read_report(name, run_lighthouse(f"{origin}/{address}", executable))
            for name, address in PAGES
        ]


def describe(score: Score) -> str:
    """Return one page's figures and targets as lines for the terminal."""
    marks = ", ".join(f"{name}: {'met' if ok else 'missed'}" for name, ok in score.targets())
    lines = [
        f"{score.page}: performance {score.performance}, accessibility {score.accessibility}, "
        f"CLS {score.cls:.3f}, LCP {score.lcp_ms / 1000:.1f} s, TBT {score.tbt_ms:.0f} ms, "
        f"{score.weight_kib:.0f} KiB in {score.requests} requests",
        f"  {marks}",
    ]
    if score.failed_audits:
        lines.append(f"  accessibility audits failed: {', '.join(score.failed_audits)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.dev.lighthouse")
    parser.add_argument(
        "--site-dir", type=Path, default=Path("site"), help="a built site (default: site)"
    )
    args = parser.parse_args(argv)
    site: Path = args.site_dir
    if not (site / "index.html").is_file():
        print(f"{site}: no built site (index.html); build it first", file=sys.stderr)
        return 1
    try:
        scores = measure(site)
    except LighthouseError as problem:
        print(f"cannot measure: {problem}", file=sys.stderr)
        return 1
    print("Lighthouse 12, mobile (simulated slow 4G, mid-range phone):")
    for score in scores:
        print(describe(score))
    return 0


if __name__ == "__main__":
    sys.exit(main())
