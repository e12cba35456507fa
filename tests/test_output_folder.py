"""The build owns its output folder and nothing else: refusals, the lock, the swap, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUILD_DATE
from test_site import REPO, build, copy_project, digest

from generator.engine.cache import CACHE_DIR, Cache
from generator.engine.manifest import input_key, unchanged
from generator.engine.write import MARKER, locked

SOURCES = ("content", "diagrams", "templates", "generator", "tests", "schema", ".git")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a copy of the project with every folder a build must never replace."""
    root = copy_project(tmp_path / "project")
    for name in ("tests", ".git"):
        (root / name).mkdir(exist_ok=True)
        (root / name / "keep.txt").write_text(f"{name} is not the build's\n", encoding="utf-8")
    return root


def every_file(root: Path) -> dict[str, str]:
    """Return the hash of every file of the project, links not followed."""
    return digest(root)


REFUSED = {
    "content": "the output folder is the project's folder content/",
    "diagrams": "the output folder is the project's folder diagrams/",
    "templates": "the output folder is the project's folder templates/",
    "templates/static": "the output folder lies inside the project's folder templates/",
    "generator": "the output folder is the project's folder generator/",
    "tests": "the output folder is the project's folder tests/",
    "schema": "the output folder is the project's folder schema/",
    ".git": "the output folder is the project's folder .git/",
    "content/exercises": "the output folder lies inside the project's folder content/",
    ".": "the output folder is the project folder itself",
    "..": "the output folder holds the project folder",
}


@pytest.mark.parametrize("folder", sorted(REFUSED))
@pytest.mark.parametrize("via_link", [False, True], ids=["named", "link"])
def test_an_output_folder_holding_or_inside_the_sources_is_refused(
    project: Path,
    folder: str,
    via_link: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(project)
    given = folder
    if via_link:
        (project / "out").symlink_to(folder, target_is_directory=True)
        given = "out"
    before = every_file(project.parent)
    code, printed = build(project, capsys, "--site-dir", given)
    assert code == 1
    assert printed.startswith(f"build failed: --site-dir {given}")
    assert REFUSED[folder] in printed
    assert "so it must hold no sources" in printed
    assert "Traceback" not in printed
    if via_link:
        assert f"(a link to {(project / folder).resolve().as_posix()})" in printed
    assert every_file(project.parent) == before


def test_a_default_site_that_is_a_link_to_the_sources_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "site").symlink_to("content", target_is_directory=True)
    before = every_file(project)
    code, printed = build(project, capsys)
    assert code == 1
    assert printed.startswith(
        "build failed: site (the default output folder) "
        f"(a link to {(project / 'content').as_posix()}): "
        "the output folder is the project's folder content/."
    )
    assert every_file(project) == before


def test_a_folder_that_no_build_wrote_is_not_replaced(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "report.txt").write_text("somebody's work\n", encoding="utf-8")
    code, printed = build(project, capsys, "--site-dir", str(theirs))
    assert code == 1
    assert (
        f"build failed: --site-dir {theirs.as_posix()}: the folder holds files that no build "
        f"wrote (it has no {MARKER} file), and a build replaces its output folder whole. "
        "Choose an empty or new folder, or empty or remove this one yourself if nothing in it "
        "is needed" in printed
    )
    assert (theirs / "report.txt").read_text(encoding="utf-8") == "somebody's work\n"
    assert sorted(p.name for p in theirs.iterdir()) == ["report.txt"]


def test_an_empty_folder_is_built_into_and_marked_then_replaced(
    copy_built: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)  # every output from the cache
    project = copy_built(tmp_path / "project")
    out = tmp_path / "out"
    out.mkdir()
    code, printed = build(project, capsys, "--site-dir", str(out))
    assert code == 0, printed
    assert (out / MARKER).is_file()
    assert (out / "index.html").is_file()
    (out / "stale.html").write_text("left by hand\n", encoding="utf-8")
    code, printed = build(project, capsys, "--site-dir", str(out))
    assert code == 0, printed
    assert not (out / "stale.html").exists()  # replaced whole: a marked folder is the build's


def test_a_cache_folder_that_is_a_link_into_the_sources_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".cache").symlink_to("content", target_is_directory=True)
    before = every_file(project)
    code, printed = build(project, capsys)
    assert code == 1
    assert (
        f"build failed: {CACHE_DIR} (the build cache, "
        f"{(project / 'content' / 'build').as_posix()}): the folder lies inside the project's "
        "folder content/; the cache must hold no sources" in printed
    )
    assert every_file(project) == before
    assert not (project / "site").exists()


def test_a_cache_folder_holding_other_files_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project / CACHE_DIR
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, printed = build(project, capsys)
    assert code == 1
    assert (
        f"build failed: {CACHE_DIR}: the folder holds files that are not the build cache's "
        "(notes.txt); move them away, or build with --no-cache" in printed
    )
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_site_left_aside_by_a_build_killed_mid_swap_is_put_back(tmp_path: Path) -> None:
    """The regression of a kill between the swap's two renames: never no site at all."""
    target = tmp_path / "site"
    old = tmp_path / ".site.old"
    old.mkdir()
    (old / MARKER).write_bytes(b"")
    (old / "index.html").write_text("the previous site\n", encoding="utf-8")
    with locked(target):
        assert (target / "index.html").read_text(encoding="utf-8") == "the previous site\n"
    assert not old.exists()


# --- processes: kills, signals, two builds at once -----------------------------------------------


def start_build(root: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``python -m generator build`` on ``root`` as a process of its own."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200", "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "build", *args],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def processes_of(root: Path) -> list[int]:
    """Return the ids of the live processes whose command line names ``root``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(root).encode() in command and state != "Z":
            found.append(int(entry.name))
    return found


def leftovers(root: Path) -> list[str]:
    """Return the staging, scratch and aside folders beside the default site."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".site.new-", ".site.tmp-")))


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("moment", ["validating", "staging", "rendering"])
def test_a_killed_build_leaves_no_process_and_the_next_build_no_leftovers(
    copy_built: Callable[[Path], Path],
    tmp_path: Path,
    moment: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)  # the next build finds the cache
    project = copy_built(tmp_path / "project")  # the previous site and cache: the shared build's
    before = digest(project / "site")
    (project / "content" / "exercises" / "stomach-crunch.yaml").write_text(
        (project / "content" / "exercises" / "stomach-crunch.yaml")
        .read_text(encoding="utf-8")
        .replace("Lift your upper back", "Slowly lift your upper back"),
        encoding="utf-8",
    )
    process = start_build(project, "--no-cache")
    if moment == "validating":
        time.sleep(0.5)
    elif moment == "staging":
        assert wait_for(lambda: leftovers(project), 60)
    else:
        assert wait_for(lambda: len(processes_of(project)) >= 3, 60)  # the build and 2 workers
        time.sleep(1.0)
    process.kill()
    process.communicate()
    assert wait_for(lambda: not processes_of(project), 10), processes_of(project)
    assert digest(project / "site") == before  # killed: the previous site as it was
    code, printed = build(project, capsys)
    assert code == 0, printed
    assert leftovers(project) == []
    assert "Slowly lift your upper back" in (
        project / "site" / "exercises" / "stomach-crunch" / "index.html"
    ).read_text(encoding="utf-8")


def test_a_terminated_build_cleans_up_after_itself_at_once(project: Path) -> None:
    process = start_build(project, "--no-cache")
    assert wait_for(lambda: len(processes_of(project)) >= 3, 60)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert output.strip().endswith("build failed: stopped by a signal; site left as it was")
    assert "Traceback" not in output
    assert wait_for(lambda: not processes_of(project), 10)
    assert leftovers(project) == []
    assert not (project / "site").exists()


def test_two_builds_into_one_folder_give_one_complete_site_and_a_readable_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = start_build(project)
    assert wait_for(lambda: (project / ".site.lock").exists(), 30)
    second = start_build(project)
    outputs = [first.communicate(timeout=300)[0], second.communicate(timeout=300)[0]]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert "another build is writing the same folder; waiting for it to finish" in outputs[1]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    # the site's files are exactly those the last build recorded, none missing or half-written
    assert unchanged(project, project / "site", input_key(project, False, 1764547200)) is not None
    cache = Cache(project / CACHE_DIR)
    entries = sorted(cache.folder.glob("*/*.zip"))
    assert entries
    for entry in entries:
        assert cache.get(entry.stem) is not None, entry
    assert not list(cache.folder.rglob(".new-*"))
    assert leftovers(project) == []
