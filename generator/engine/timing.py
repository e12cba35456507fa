"""Stage timings: how long each stage of a build took, for the benchmark and the summary."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent in the ``with`` block to the stage ``name`` (nesting not subtracted)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - start


def take() -> dict[str, float]:
    """Return the stage times recorded in this process since the last call, and reset them."""
    found = dict(_totals)
    _totals.clear()
    return found


def add(more: dict[str, float]) -> None:
    """Add the stage times ``more`` (a worker's) to those recorded in this process."""
    for name, seconds in more.items():
        _totals[name] = _totals.get(name, 0.0) + seconds
