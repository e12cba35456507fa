"""The per-file validation cache: a warm run finds exactly what a fresh one finds.

Each file's own validation (load, bind, its own checks) is kept by the hash of its
bytes, its path and the validating code; the checks across files run every time.
A changed byte re-validates that file alone; a run without a cache folder neither
reads nor writes one; ``check`` uses the cache only where a build made one.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, STOMACH_CRUNCH, Check, edit

from generator.dev.synthetic import copy_project
from generator.engine.cache import CACHE_DIR
from generator.errors import Problem
from generator.sources.memo import SOURCES, Checked
from generator.sources.validate import load_catalogue

SC = STOMACH_CRUNCH
POSE = "diagrams/poses/crunch-lift.yaml"
DLR = "content/exercises/double-leg-raise.yaml"
LEAN = "diagrams/poses/lean-back.yaml"
DE = "content/translations/de.po"
LONG = (
    "Lie down on the rack and then slowly lift your head and your shoulders while you keep "
    "your hands behind your head and your eyes on the ceiling above you."
)


def entries(root: Path) -> set[Path]:
    """Return the stored validation entries of the project at ``root``."""
    return set((root / CACHE_DIR / SOURCES).rglob("*.pickle"))


def broken(root: Path) -> Path:
    """Break the project at ``root`` in several files: errors and warnings, across files too."""
    edit(root, SC, "title: Stomach crunch", "title: Stomach crunch\ncolour: red")  # unknown
    edit(root, DLR, "purpose: Use", f"purpose: {LONG} Use")  # a warning
    edit(root, LEAN, "description: leaning", f"description: {LONG} leaning")  # a warning
    edit(root, POSE, "setting: rack", "setting: rack\nsetting: floor")  # duplicate key
    lean = root / "content/exercises/lean-back.yaml"
    lean.write_text(lean.read_text(encoding="utf-8").replace("id: lean-back", "id: getting-on"))
    (root / "content/exercises/typo.yaml").write_text("id: typo\ntitle: [unclosed\n")
    edit(root, DE, 'msgstr "Der backrack™ ist', 'msgstr "{x} Der backrack™ ist')  # placeholder
    (root / "content/translations/ar.po").write_text("")  # a language not supported
    return root


def test_a_warm_cache_finds_exactly_what_a_fresh_validation_finds(project: Path) -> None:
    broken(project)
    cache = project / CACHE_DIR / SOURCES
    fresh = load_catalogue(project)[1]
    assert not cache.exists()  # without a cache folder, nothing is written
    cold = load_catalogue(project, cache)[1]
    stored = entries(project)
    warm = load_catalogue(project, cache)[1]
    assert {p.severity for p in fresh} == {"error", "warning"}
    assert {p.path for p in fresh} >= {SC, POSE, DLR, LEAN, DE, "content/exercises/typo.yaml"}
    assert any("getting-on" in p.message for p in fresh)  # a check across files
    assert cold == fresh
    assert warm == fresh
    assert entries(project) == stored  # nothing validated again
    assert len(stored) > 10


def test_a_valid_catalogue_from_the_cache_equals_a_fresh_one(project: Path) -> None:
    cache = project / CACHE_DIR / SOURCES
    fresh, problems = load_catalogue(project)
    load_catalogue(project, cache)
    warm, warm_problems = load_catalogue(project, cache)
    assert fresh is not None and warm == fresh
    assert warm_problems == problems


def test_one_changed_byte_re_validates_that_file_alone(project: Path) -> None:
    cache = project / CACHE_DIR / SOURCES
    load_catalogue(project, cache)
    before = entries(project)
    edit(project, SC, "order: 2", "order: x")
    warm = load_catalogue(project, cache)[1]
    assert len(entries(project) - before) == 1
    assert warm == load_catalogue(project)[1]
    assert [str(p) for p in warm if p.path == SC] == [
        f"{SC}:5:1: order: must be a whole number, not 'x'"
    ]


def test_the_same_bytes_at_another_path_are_validated_again(project: Path) -> None:
    cache = project / CACHE_DIR / SOURCES
    load_catalogue(project, cache)
    before = entries(project)
    (project / "content/exercises/stomach-crunch.yaml").rename(
        project / "content/exercises/other-name.yaml"
    )
    warm = load_catalogue(project, cache)[1]
    assert len(entries(project) - before) == 1
    assert warm == load_catalogue(project)[1]
    assert any(p.path == "content/exercises/other-name.yaml" for p in warm)


def test_a_pose_is_validated_again_when_the_body_changes(project: Path) -> None:
    cache = project / CACHE_DIR / SOURCES
    load_catalogue(project, cache)
    body = project / "diagrams/body.yaml"
    body.write_text(body.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    before = entries(project)
    load_catalogue(project, cache)
    poses = len(list((project / "diagrams/poses").glob("*.yaml")))
    assert len(entries(project) - before) == poses


def test_an_unreadable_entry_counts_as_missing(project: Path) -> None:
    broken(project)
    cache = project / CACHE_DIR / SOURCES
    fresh = load_catalogue(project, cache)[1]
    for entry in entries(project):
        entry.write_bytes(b"not a pickle")
    assert load_catalogue(project, cache)[1] == fresh


def test_the_cache_of_a_moved_project_names_the_moved_files(project: Path, tmp_path: Path) -> None:
    broken(project)
    load_catalogue(project, project / CACHE_DIR / SOURCES)
    moved = shutil.copytree(project, tmp_path / "moved", symlinks=True)
    shutil.rmtree(project)
    catalogue, problems = load_catalogue(moved, moved / CACHE_DIR / SOURCES)
    assert problems == load_catalogue(moved)[1]
    fixed = edit(moved, SC, "colour: red\n", "")
    edit(moved, DLR, f"purpose: {LONG} Use", "purpose: Use")
    edit(moved, LEAN, f"description: {LONG} leaning", "description: leaning")
    edit(moved, POSE, "setting: rack\nsetting: floor", "setting: rack")
    (moved / "content/exercises/typo.yaml").unlink()
    (moved / "content/translations/ar.po").unlink()
    edit(moved, DE, 'msgstr "{x} Der backrack™ ist', 'msgstr "Der backrack™ ist')
    lean = moved / "content/exercises/lean-back.yaml"
    lean.write_text(lean.read_text(encoding="utf-8").replace("id: getting-on", "id: lean-back"))
    catalogue, problems = load_catalogue(moved, moved / CACHE_DIR / SOURCES)
    assert catalogue is not None, problems
    assert fixed.parent == moved / "content/exercises"


def test_check_makes_no_cache_but_uses_a_build_s(project: Path, check: Check) -> None:
    broken(project)
    code, _, err = check(project)
    assert code == 1
    assert not (project / ".cache").exists()
    load_catalogue(project, project / CACHE_DIR / SOURCES)  # as a build would
    (project / CACHE_DIR / "CACHEDIR.TAG").write_bytes(
        b"Signature: 8a477f597d28d172789f06886806bc55\n"
    )
    stored = entries(project)
    again = check(project)
    assert again == (code, "", err)
    assert entries(project) == stored


def test_problems_are_plain_records(project: Path) -> None:
    broken(project)
    cache = project / CACHE_DIR / SOURCES
    load_catalogue(project, cache)
    assert all(type(p) is Problem for p in load_catalogue(project, cache)[1])


def test_a_changed_translation_file_is_checked_again(project: Path) -> None:
    cache = project / CACHE_DIR / SOURCES
    load_catalogue(project, cache)
    before = entries(project)
    edit(project, DE, 'msgstr "Der backrack™ ist', 'msgstr "{x} Der backrack™ ist')
    warm = load_catalogue(project, cache)[1]
    assert len(entries(project) - before) == 1
    assert warm == load_catalogue(project)[1]
    assert [p.message for p in warm if p.path == DE] == [
        "the places to fill in must stay as in the English: none"
    ]


def test_a_build_without_its_cache_neither_reads_nor_writes_it(tmp_path: Path) -> None:
    from generator.build import build
    from generator.errors import ContentError

    project = copy_project(REPO, tmp_path / "project")  # a whole project: a build reads all
    broken(project)
    with pytest.raises(ContentError) as without:
        build(project, use_cache=False)
    assert not (project / ".cache").exists()
    with pytest.raises(ContentError) as cold:
        build(project)
    stored = entries(project)
    assert len(stored) > 10
    for entry in stored:  # a build without its cache would report these if it read them
        entry.write_bytes(pickle.dumps(Checked(None, None, [Problem("x", 1, 1, "x", "planted")])))
    with pytest.raises(ContentError) as again:
        build(project, use_cache=False)
    assert without.value.problems == cold.value.problems == again.value.problems
    with pytest.raises(ContentError) as planted:
        build(project)
    assert "planted" in str(planted.value)


def test_a_translation_file_s_cached_entries_equal_a_fresh_parse(project: Path) -> None:
    from generator.translations.files import entries as parsed

    cache = project / CACHE_DIR / SOURCES

    def seen(found: dict[str, Any]) -> dict[str, tuple[object, ...]]:
        return {
            context: (
                m.id,
                m.string,
                m.context,
                m.flags,
                m.auto_comments,
                m.user_comments,
                m.previous_id,
                m.lineno,
                m.fuzzy,
            )
            for context, m in found.items()
        }

    fresh = seen(parsed(project, "de"))
    assert not cache.exists()
    assert seen(parsed(project, "de", cache)) == fresh
    stored = entries(project)
    assert len(stored) == 1
    assert seen(parsed(project, "de", cache)) == fresh
    assert entries(project) == stored
    edit(project, DE, 'msgstr "Der backrack™ ist', 'msgstr "Das backrack™ ist')
    changed = seen(parsed(project, "de", cache))
    assert changed == seen(parsed(project, "de")) != fresh
