"""Shared fixtures: a throw-away copy of the project and a way to run ``check`` on it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.__main__ import main

REPO = Path(__file__).resolve().parent.parent

STOMACH_CRUNCH = "content/exercises/stomach-crunch.yaml"

DRAFT = """\
id: {id}
title: A draft exercise
section: basic
order: 99
status: draft
version: 1
reviewed: 2026-01-01
"""
"""A minimal draft exercise: valid, and not held to the safety gate."""

Check = Callable[..., tuple[int, str, str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return the root of a copy of the real project's content/, diagrams/ and schema/."""
    root = tmp_path / "project"
    for folder in ("content", "diagrams", "schema"):
        shutil.copytree(REPO / folder, root / folder, symlinks=True)
    return root


@pytest.fixture
def check(capsys: pytest.CaptureFixture[str]) -> Check:
    """Return a function that runs ``check`` in-process: ``(exit code, stdout, stderr)``."""

    def run(root: Path, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before
        try:
            code = main(["--root", str(root), "check", *args])
        except SystemExit as exc:  # argparse refuses the command line
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write(root: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` to ``root/name`` (creating folders) and return the path."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def edit(root: Path, name: str, old: str, new: str) -> Path:
    """Replace the one occurrence of ``old`` by ``new`` in ``root/name``; return the path."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {name}"
    path.write_bytes(text.replace(old, new).encode("utf-8"))
    return path


def line_of(root: Path, name: str, needle: str) -> int:
    """Return the 1-based line on which ``needle`` (which must occur once) starts."""
    text = (root / name).read_text(encoding="utf-8")
    assert text.count(needle) == 1, f"{needle!r} should occur once in {name}"
    return text[: text.index(needle)].count("\n") + 1


def problem_lines(stderr: str, name: str) -> list[str]:
    """Return the problem lines that ``check`` printed for the file ``name``."""
    return [line for line in stderr.splitlines() if line.startswith(name + ":")]
