"""Every fault of the machine or the setting is a one-line message, never a traceback.

Each test breaks one thing, runs a build, and checks the exit code, that the
message names the path or setting, that no traceback is printed, and that the
previous site is byte-identical afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import BUILD_DATE
from test_site import REPO, build, digest

from generator.engine.cache import CACHE_DIR

ROOT_USER = os.geteuid() == 0


@pytest.fixture
def project(
    copy_built: Callable[[Path], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Return a fresh copy of the shared build's project, with its site and cache (dated as
    that build, so the builds below render only what a test changed)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    return copy_built(tmp_path / "project")


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable: immutable for root (who ignores modes), mode 555 for others."""
    if ROOT_USER:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555)
    try:
        yield
    finally:
        if ROOT_USER:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(mode)


def failed(code: int, printed: str) -> str:
    """Assert a clean failure and return its message line."""
    assert code != 0, printed
    assert "Traceback" not in printed
    lines = [line for line in printed.splitlines() if line.startswith("build failed: ")]
    assert len(lines) == 1, printed
    return lines[0]


def test_a_read_only_site_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project / "site"
    before = digest(site)
    edit_a_step(project)
    with read_only(site):
        line = failed(*build(project, capsys))
    assert line.startswith("build failed: site: operation not permitted: it may be read-only")
    assert line.endswith("; site left as it was")
    assert digest(site) == before
    assert not [p for p in project.iterdir() if p.name.startswith((".site.new-", ".site.tmp-"))]


def test_a_read_only_folder_around_the_site(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(project / "site")
    edit_a_step(project)
    (project / ".site.lock").unlink()
    with read_only(project):
        line = failed(*build(project, capsys))
    assert line.startswith(
        f"build failed: {(project / '.site.lock').as_posix()}: cannot make the lock beside the "
        "output folder ("
    )
    assert f"make {project.as_posix()} writable, or choose another --site-dir" in line
    assert digest(project / "site") == before


def test_a_read_only_project_folder_with_the_lock_in_place(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(project / "site")
    edit_a_step(project)
    with read_only(project):
        line = failed(*build(project, capsys))
    assert line.startswith(
        f"build failed: {project.as_posix()}: cannot make the build's working folder beside "
        "the output folder ("
    )
    assert digest(project / "site") == before


def test_a_read_only_cache(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(project / "site")
    edit_a_step(project)
    with read_only(project / CACHE_DIR):
        line = failed(*build(project, capsys))
    assert line.startswith(f"build failed: {CACHE_DIR}: cannot write the build cache (")
    assert line.endswith("make the folder writable, or build with --no-cache; site left as it was")
    assert digest(project / "site") == before


def test_a_site_that_is_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "out.html"
    out.write_text("a page\n", encoding="utf-8")
    line = failed(*build(project, capsys, "--site-dir", str(out)))
    assert line == (
        f"build failed: --site-dir out.html: the output folder is a file; "
        f"choose another folder; {out.as_posix()} left as it was"
    )
    assert out.read_text(encoding="utf-8") == "a page\n"


def test_a_site_below_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = project / "mkdocs.yml" / "site"
    line = failed(*build(project, capsys, "--site-dir", str(given)))
    assert line.startswith(
        f"build failed: --site-dir mkdocs.yml/site: the output folder cannot be made: "
        f"{(project / 'mkdocs.yml').as_posix()} is a file; choose another folder"
    )


def test_a_file_named_like_the_swaps_aside_folder_is_left_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aside = project / ".site.old"
    aside.write_text("not a folder\n", encoding="utf-8")
    edit_a_step(project)
    code, printed = build(project, capsys)
    assert code == 0, printed
    assert aside.read_text(encoding="utf-8") == "not a folder\n"
    assert "Slowly lift" in (project / "site/exercises/stomach-crunch/index.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "SOURCE_DATE_EPOCH='' is not a whole number of seconds"),
        ("yesterday", "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds"),
        ("-5", "SOURCE_DATE_EPOCH='-5' is not a whole number of seconds"),
        (
            "4294967296",
            "SOURCE_DATE_EPOCH='4294967296' is outside 315532800 to 4294967295 "
            "(1980-01-01 to 2106-02-07), the dates every output can carry",
        ),
        (
            "99999999999",
            "SOURCE_DATE_EPOCH='99999999999' is outside 315532800 to 4294967295 "
            "(1980-01-01 to 2106-02-07), the dates every output can carry",
        ),
    ],
)
def test_an_invalid_source_date_epoch(
    project: Path,
    value: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = digest(project / "site")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    line = failed(*build(project, capsys))
    assert line.startswith(f"build failed: {message}; set it to the number of seconds")
    assert digest(project / "site") == before


@pytest.mark.skipif(not ROOT_USER, reason="mounting a small file system to fill needs root")
def test_a_full_disk(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)
    try:
        subprocess.run(["cp", "-a", str(project / "site"), str(disk / "site")], check=False)
        # the previous site: as much of the real one as fits, marked as a build's
        previous = disk / "site"
        for path in sorted(previous.rglob("*"), reverse=True):
            if path.is_file() and path.name != ".backrack-build" and path.stat().st_size > 4096:
                path.unlink()
        before = digest(previous)
        line = failed(*build(project, capsys, "--site-dir", str(previous)))
        assert line.startswith(f"build failed: {disk.as_posix()}/")
        assert (
            ": no space left on device: the disk is full; free some space and build again" in line
        )
        assert digest(previous) == before
        assert sorted(p.name for p in disk.iterdir()) == [".site.lock", "site"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_missing_system_library(project: Path, tmp_path: Path) -> None:
    """Cairo missing: cffi cannot load it when the renderers are imported."""
    before = digest(project / "site")
    hook = tmp_path / "hook"
    hook.mkdir()
    # The import fails as cairosvg's does on a machine without cairo (an OSError from cffi).
    (hook / "sitecustomize.py").write_text(
        "import sys\n"
        "class NoCairo:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'cairosvg':\n"
        "            raise OSError(\"cannot load library 'libcairo.so.2': "
        'libcairo.so.2: cannot open shared object file: No such file or directory")\n'
        "sys.meta_path.insert(0, NoCairo())\n",
        encoding="utf-8",
    )
    edit_a_step(project)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "build"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": f"{hook}{os.pathsep}{REPO}"},
        capture_output=True,
        text=True,
        check=False,
    )
    line = failed(done.returncode, done.stdout + done.stderr)
    assert line == (
        "build failed: a library the build needs cannot be loaded (cannot load library "
        "'libcairo.so.2': libcairo.so.2: cannot open shared object file: No such file or "
        "directory). Install the system packages the README lists (run as root, 'make site' "
        "installs them); site left as it was"
    )
    assert digest(project / "site") == before


def edit_a_step(root: Path) -> None:
    """Change one step, so that the next build has something to do."""
    path = root / "content" / "exercises" / "stomach-crunch.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("Lift your upper back") >= 1
    path.write_text(text.replace("Lift your upper back", "Slowly lift your upper back"), "utf-8")
