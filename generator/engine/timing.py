"""Stage timings: how long each stage of a build took, for the benchmark and the summary.

Each stage records its wall time under its name and the CPU time of the process that ran it
(``time.process_time``: user + system) under ``"<name> cpu"`` (``cpu_key``), so that a worker's
times travel with its wall times through ``take`` and ``add`` unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_totals: dict[str, float] = {}

CPU = " cpu"
"""The suffix of a stage's CPU time's key."""


def cpu_key(name: str) -> str:
    """Return the key of a stage's CPU time, e.g. ``"cards cpu"``."""
    return f"{name}{CPU}"


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the wall time and the CPU time spent in the ``with`` block to the stage ``name``
    (nesting not subtracted)."""
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - start
        key = cpu_key(name)
        _totals[key] = _totals.get(key, 0.0) + time.process_time() - cpu


@contextmanager
def without(name: str, inner: str) -> Iterator[None]:
    """Time the ``with`` block as the stage ``name``, less the stage ``inner`` timed within it
    (loading, inside validation): each second is counted once."""
    keys = (inner, cpu_key(inner))
    before = [_totals.get(key, 0.0) for key in keys]
    with stage(name):
        yield
    for key, outer, earlier in zip(keys, (name, cpu_key(name)), before, strict=True):
        _totals[outer] -= _totals.get(key, 0.0) - earlier


def take() -> dict[str, float]:
    """Return the stage times recorded in this process since the last call, and reset them."""
    found = dict(_totals)
    _totals.clear()
    return found


def add(more: dict[str, float]) -> None:
    """Add the stage times ``more`` (a worker's) to those recorded in this process."""
    for name, seconds in more.items():
        _totals[name] = _totals.get(name, 0.0) + seconds
