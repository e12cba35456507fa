"""Shared fixtures: the one build of the real project, throw-away copies of the project, and a
way to run ``check`` on it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.dev import synthetic
from generator.outputs.view import ExerciseView, exercise_views
from generator.outputs.web.website import read_tree
from generator.settings import Settings
from generator.sources.catalogue import Catalogue

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

BUILD_DATE = "1764547200"
"""The SOURCE_DATE_EPOCH of the shared build (2025-12-01): a test that builds a copy of it
with this date finds its cache entries."""


def digest(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file below ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
"""Debian's Chromium, which the browser tests drive with Playwright."""
REQUIRE_BROWSER = os.environ.get("BACKRACK_REQUIRE_BROWSER") == "1"
"""Set by ``.ci/run``: a missing browser or checker fails instead of skipping."""


def need(available: bool, what: str) -> None:
    """Skip (or, where required, fail) when a tool is missing."""
    if available:
        return
    message = f"{what} is not installed; .ci/run installs it"
    if REQUIRE_BROWSER:
        pytest.fail(message + " (BACKRACK_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Return Chromium, launched by Playwright for the tests of one module."""
    need(CHROMIUM is not None, "Chromium")
    from playwright.sync_api import sync_playwright

    from generator.dev.first_step import CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the real project once for the whole run (``--strict``, dated ``BUILD_DATE``);
    return the root of the copy, which holds ``site/`` and the build cache.

    Shared by every test that only reads what was built: nothing may write below it (a test
    that changes something works on ``copy_built``). Checked at the end of the run.
    """
    root = synthetic.copy_project(REPO, tmp_path_factory.mktemp("shared") / "project")
    printed = StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(printed), redirect_stderr(printed):
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
        code = main(["--root", str(root), "build", "--strict", "--site-url", SITE_URL])
    assert code == 0, printed.getvalue()
    before = digest(root)
    yield root
    assert digest(root) == before, "a test wrote into the shared build; copy it first"


@pytest.fixture(scope="session")
def built(built_project: Path) -> Path:
    """Return the site folder of the shared build (read it, never write to it)."""
    return built_project / "site"


@pytest.fixture(scope="session")
def copy_built(built_project: Path) -> Callable[[Path], Path]:
    """Return a function that copies the shared build's project, its site and cache included,
    to a new folder and returns it: a build of the copy dated ``BUILD_DATE`` renders only
    what the test changed."""

    def copy(target: Path) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-a", str(built_project), str(target)], check=True)
        return target

    return copy


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


SITE_URL = "https://exercises.backrack.test/"
"""The tests' site address (``.test`` is reserved for testing; ``mkdocs.yml`` holds a
placeholder, with which a build makes no print-shop file)."""


def settings_for(root: Path = REPO, date: int = 1700000000, url: str = SITE_URL) -> Settings:
    """Return the settings of a build of ``root`` dated ``date``, without reading mkdocs.yml."""
    return Settings(root.resolve(), url, date)


def views_of(catalogue: Catalogue) -> dict[str, ExerciseView]:
    """Return the view of every published exercise of ``catalogue``."""
    return exercise_views(catalogue)


def site_files(folder: Path) -> dict[str, bytes]:
    """Return every file of a built site by path, as the checks take them."""
    return read_tree(folder)
