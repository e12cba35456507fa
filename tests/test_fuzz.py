"""Fuzzing kept: bounded properties of the loader in the suite, and the fuzz command itself.

Anything fed to the loader or to ``load_catalogue`` gives problems, never an exception;
a catalogue accepted from mutated sources still satisfies the safety gate's
invariants; ``python -m generator.dev.fuzz`` runs, finds nothing in the real sources,
reports and saves what it finds, and leaves no temporary files behind.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.dev import fuzz
from generator.errors import Problem
from generator.model import Entry, Status
from generator.sources.catalogue import Catalogue
from generator.sources.load import load_document
from generator.sources.validate import load_catalogue

BOUNDED = settings(
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run, so CI is repeatable
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return one copy of what ``load_catalogue`` reads, shared by the examples of a test."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    for part in fuzz.COPIED:
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, root / part, symlinks=True)
        else:
            shutil.copy2(REPO / part, root / part)
    return root


@pytest.fixture(scope="module")
def originals() -> dict[str, bytes]:
    return fuzz.sources(REPO)


def test_the_real_catalogue_breaks_no_invariant() -> None:
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    assert fuzz.violations(catalogue) == []


@settings(BOUNDED, max_examples=150)
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_an_exercise_file_give_problems_not_exceptions(
    copy: Path, data: bytes
) -> None:
    path = copy / "content/exercises/fuzzed.yaml"
    path.write_bytes(data)
    try:
        document, problems = load_document(path, copy)
    finally:
        path.unlink()
    assert all(isinstance(p, Problem) for p in problems)
    assert document is not None or problems  # no tree is never silent


@settings(BOUNDED, max_examples=12)
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_sources_give_problems_or_a_catalogue_that_keeps_the_gate(
    copy: Path, originals: dict[str, bytes], seed: int
) -> None:
    case = fuzz.make_case(random.Random(seed), originals)
    started = time.monotonic()
    try:
        outcome = fuzz.check_case(copy, case)
    finally:
        fuzz.restore(copy, case, originals)
    assert time.monotonic() - started < 10, case.steps
    assert outcome.kind == "ok", (case.steps, outcome.detail)


def without(catalogue: Catalogue, ref: str) -> Catalogue:
    """Return the catalogue with the shared message ``ref`` left out of stomach-crunch, as if
    accepted so."""
    exercises = []
    for exercise in catalogue.exercises:
        if exercise.id == "stomach-crunch":
            safety = [e for e in exercise.safety if e.ref != ref]
            exercise = exercise.model_copy(update={"safety": safety})
        exercises.append(exercise)
    return dataclasses.replace(catalogue, exercises=tuple(exercises), _by_id={})


def test_violations_name_what_an_accepted_catalogue_lacks() -> None:
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    assert fuzz.violations(without(catalogue, "stop-rule")) == [
        "stomach-crunch: published without the stop-rule message in 'safety'"
    ]
    assert fuzz.violations(without(catalogue, "cautions")) == [
        "stomach-crunch: published without the caution message in 'safety'"
    ]
    blank = Entry.model_construct(signal=None, title="\u200b", text=["\u3000"], ref=None)
    drafts = [e.model_copy(update={"status": Status.DRAFT}) for e in catalogue.exercises]
    crunch = next(e for e in catalogue.exercises if e.id == "stomach-crunch")
    with_blank = crunch.model_copy(update={"expect": [blank]})
    assert fuzz.violations(dataclasses.replace(catalogue, exercises=tuple(drafts), _by_id={})) == [
        "no published exercise"
    ]
    others = tuple(e for e in catalogue.exercises if e.id != "stomach-crunch")
    assert fuzz.violations(
        dataclasses.replace(catalogue, exercises=(*others, with_blank), _by_id={})
    ) == [
        "stomach-crunch: message (in place) is incomplete",
        "stomach-crunch: '\\u200b' is blank",
        "stomach-crunch: '\\u200b' has a character the loader refuses: "
        "invisible zero-width character U+200B (zero width space)",
        "stomach-crunch: '\\u3000' is blank",
    ]


# The command ------------------------------------------------------------------------------


@pytest.fixture
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the temporary folder at an empty folder of this test, to see what is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


SUMMARY = re.compile(
    r"\d+ case\(s\) in \d+\.\d s \(\d+\.\d per second\), \d+ accepted; "
    r"findings: 0 crash\(es\), 0 hang\(s\), 0 wrongly accepted"
)


def test_fuzz_command_finds_nothing_in_the_real_sources_and_leaves_nothing_behind(
    tmp_path: Path, own_temp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "findings"
    code = fuzz.main(["--root", str(REPO), "--seconds", "3", "--seed", "1", "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "fuzzing for 3 s with seed 1"
    assert SUMMARY.fullmatch(printed[-1]), printed
    assert int(printed[-1].split()[0]) >= 1
    assert code == 0
    assert not out.exists()
    assert list(own_temp.iterdir()) == []


def crashing(root: Path, case: fuzz.Case) -> fuzz.Outcome:
    """A checker for the tests: every case but the worker's warm-up 'crashes'."""
    if not case.files:
        return fuzz.Outcome("ok")
    try:
        raise RecursionError(f"deep in {case.target}")
    except RecursionError:
        return fuzz.Outcome("crash", traceback.format_exc())


def hanging(root: Path, case: fuzz.Case) -> fuzz.Outcome:
    """A checker for the tests: every case but the warm-up 'hangs'."""
    if case.files:
        time.sleep(60)
    return fuzz.Outcome("ok")


def test_fuzz_reports_and_saves_a_crash(tmp_path: Path, own_temp: Path) -> None:
    out = tmp_path / "findings"
    lines: list[str] = []
    tally = fuzz.fuzz(REPO, 0.5, 3, out, checker=crashing, log=lines.append)
    assert tally.cases >= 1
    assert tally.findings == {"crash": tally.cases, "hang": 0, "accepted": 0}
    assert len(lines) == tally.cases
    assert lines[0].startswith("crash: content/")
    assert lines[0].endswith(f"; saved in {out / '0001-crash'}")
    note = (out / "0001-crash/finding.txt").read_text(encoding="utf-8")
    head = note.splitlines()
    assert head[:2] == ["finding: crash", "run seed: 3"]
    target = head[2].removeprefix("mutated: ")
    assert (out / "0001-crash" / target).is_file()
    assert "RecursionError: deep in " + target in note
    assert list(own_temp.iterdir()) == []


def test_fuzz_reports_a_hang_and_goes_on_with_a_new_worker(tmp_path: Path, own_temp: Path) -> None:
    out = tmp_path / "findings"
    started = time.monotonic()
    tally = fuzz.fuzz(REPO, 0.1, 5, out, timeout=0.5, checker=hanging, log=lambda _: None)
    assert time.monotonic() - started < 30
    assert tally.findings == {"crash": 0, "hang": 1, "accepted": 0}
    note = (out / "0001-hang/finding.txt").read_text(encoding="utf-8")
    assert note.endswith("\nno answer within 0.5 s\n")
    assert list(own_temp.iterdir()) == []
