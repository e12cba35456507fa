"""The build cache and the worker pool: what a rebuild renders, and that it changes no byte.

Nothing here is timed; ``python -m generator.bench`` measures the speed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_site import copy_project, digest

from generator.__main__ import main
from generator.build import build
from generator.dev.synthetic import synthetic_project
from generator.engine.cache import fingerprint
from generator.sources.validate import load_catalogue

#: The units that depend on every published exercise.
CATALOGUE_UNITS = {"site", "booklet:backrack-en", "offline", "sheets:backrack-en"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_a_no_op_rebuild_renders_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = build(project, strict=True)
    assert "site" in first.rendered and "booklet:backrack-en" in first.rendered
    assert not first.unchanged
    site = project / "site"
    before, written = digest(site), mtimes(site)

    again = build(project, strict=True)
    assert again.unchanged
    assert again.rendered == ()
    assert digest(site) == before
    assert mtimes(site) == written  # not even rewritten

    capsys.readouterr()
    assert main(["--root", str(project), "build", "--strict"]) == 0
    assert "nothing changed since the last build" in capsys.readouterr().out


def test_without_the_site_folder_every_part_comes_from_the_cache(project: Path) -> None:
    first = build(project, strict=True)
    before = digest(project / "site")
    (project / "site" / "cards" / "lean-back.pdf").unlink()  # a damaged output folder
    again = build(project, strict=True)
    assert not again.unchanged
    assert again.rendered == ()
    assert set(again.reused) == set(first.rendered) | set(first.reused)
    assert digest(project / "site") == before


def test_changing_one_exercise_re_renders_only_its_outputs_and_the_indexes(
    project: Path, tmp_path: Path
) -> None:
    build(project, strict=True)
    site = project / "site"
    before = digest(site)
    change_a_step(project)

    result = build(project, strict=True)
    english = CATALOGUE_UNITS | {"exercise:stomach-crunch"}
    # In German, that step's translation is now outdated: the English stands in its place there.
    german = {"de/site", "de/offline", "de/booklet:backrack-de", "de/exercise:stomach-crunch"}
    german.add("de/sheets:backrack-de")
    assert set(result.rendered) == english | german  # not its diagrams: the poses are the same
    after = digest(site)
    differs = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert "cards/stomach-crunch.pdf" in differs
    assert "exercises/stomach-crunch/index.html" in differs
    assert "print/backrack-en/booklet.pdf" in differs
    # Nothing of another exercise changed: not its card, its embed, its diagrams or its page.
    others = [
        name
        for name in differs
        if any(e in name for e in ("lean-back", "getting-on", "single-leg-raise"))
    ]
    assert others == []

    # And the result is exactly what a build from scratch makes of the changed sources.
    fresh = tmp_path / "fresh"
    build(project, strict=True, site_dir=fresh, use_cache=False)
    assert digest(fresh) == after


def test_parallel_and_serial_builds_give_byte_identical_files(tmp_path: Path) -> None:
    project = synthetic_project(Path(__file__).resolve().parent.parent, 9, tmp_path / "p")
    serial = build(project, strict=True, site_dir=tmp_path / "serial", jobs=1, use_cache=False)
    parallel = build(project, strict=True, site_dir=tmp_path / "parallel", jobs=2, use_cache=False)
    assert set(serial.rendered) == set(parallel.rendered)
    # panel and nine exercises, in English and in German (a preview makes both); the nine
    # exercises' diagram images once, for both
    assert len(serial.rendered) == 2 * (len(CATALOGUE_UNITS) + 1 + 9) + 9
    files = digest(tmp_path / "serial")
    assert len(files) > 100
    assert files == digest(tmp_path / "parallel")


def test_a_failed_build_leaves_the_cache_and_site_usable(project: Path) -> None:
    build(project, strict=True)
    before = digest(project / "site")
    path = project / "content" / "exercises" / "lean-back.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("status: published", "status: publish"), encoding="utf-8")
    assert main(["--root", str(project), "build", "--strict"]) == 1
    assert digest(project / "site") == before
    path.write_text(good, encoding="utf-8")
    assert build(project, strict=True).unchanged


def test_the_fingerprint_follows_templates_code_and_configuration(project: Path) -> None:
    first = fingerprint(project, "1700000000")
    assert fingerprint(project, "1700000000") == first
    card = project / "templates" / "print" / "card.typ"
    card.write_text(card.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    second = fingerprint(project, "1700000000")
    assert second != first
    config = project / "print.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fingerprint(project, "1700000000") != second


def test_the_synthetic_catalogue_is_valid_and_varied(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    project = synthetic_project(root, 40, tmp_path / "p")
    catalogue, problems = load_catalogue(project)
    assert catalogue is not None, [str(p) for p in problems]
    assert [p for p in problems if p.severity == "error"] == []
    assert len(catalogue.published) == 40
    assert len({e.title for e in catalogue.published}) == 40
    assert len({e.purpose for e in catalogue.published}) > 30


def test_changing_one_translated_entry_re_renders_only_that_language(project: Path) -> None:
    build(project, strict=True)
    site = project / "site"
    before = digest(site)
    po = project / "content" / "translations" / "de.po"
    old = "also auf Ihren mittleren und oberen Rücken."
    replace_in(po, old, old.replace("Rücken.", "Rücken!"))

    result = build(project, strict=True)
    assert set(result.rendered) == {
        "de/exercise:lean-back",
        "de/booklet:backrack-de",
        "de/sheets:backrack-de",
        "de/offline",
        "de/site",
    }
    after = digest(site)
    differs = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert differs and all(name.startswith("de/") for name in differs)
    assert "checks of the outputs" in result.summary


def test_the_diagrams_images_are_drawn_once_for_every_language(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = build(project, site_dir=tmp_path / "site", use_cache=False)
    catalogue, _ = load_catalogue(project)
    assert catalogue is not None
    for exercise in catalogue.published:
        assert f"diagrams:{exercise.id}" in result.rendered
        assert f"de/diagrams:{exercise.id}" not in result.rendered
        assert f"de/diagrams:{exercise.id}" in result.reused  # made for English, shared
    site = tmp_path / "site"
    for image in sorted((site / "diagrams").rglob("*")):
        if image.suffix in (".png", ".pdf"):
            german = site / "de" / image.relative_to(site)
            assert german.read_bytes() == image.read_bytes()  # no words: the same
        elif image.suffix == ".svg":
            german = site / "de" / image.relative_to(site)
            assert german.read_bytes() != image.read_bytes()  # its title and description differ


def test_a_rebuild_runs_only_the_checks_of_changed_outputs_and_still_fails_a_broken_one(
    project: Path,
) -> None:
    first = build(project, strict=True)
    ran_first = _checks(first.summary)
    assert ran_first[0] > 50 and ran_first[1] == 0
    change_a_step(project)
    again = build(project, strict=True)
    ran, skipped = _checks(again.summary)
    assert 0 < ran < ran_first[0] // 3
    assert ran + skipped == sum(ran_first)


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace a text that ``path`` holds (the test fails if it does not)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_a_step(project: Path) -> None:
    """Change one step of one exercise (stomach crunch): not its pose."""
    step = "Lower your upper body slowly to the rack."
    path = project / "content" / "exercises" / "stomach-crunch.yaml"
    replace_in(path, step, step.replace("slowly", "slowly back"))


def _checks(summary: str) -> tuple[int, int]:
    """Return how many checks of the outputs a build ran and skipped, from its summary."""
    found = re.search(r"checks of the outputs: (\d+) run, (\d+) skipped", summary)
    assert found, summary
    return int(found.group(1)), int(found.group(2))
