"""One broken source per loader rule, with the message asserted word for word.

Each test breaks a copy of the project, runs ``check`` in-process and asserts the
exact ``path:line:column: field: message`` lines printed for the broken file, a
failing exit code, no traceback, and that the run left the source untouched.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import DRAFT, REPO, STOMACH_CRUNCH, Check, edit, line_of, problem_lines, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.dev import fuzz
from generator.model import Exercise
from generator.sources.load import MAX_BYTES, MAX_DEPTH, describe_character, load_document

SC = STOMACH_CRUNCH


def assert_rejected(check: Check, root: Path, name: str, expected: list[str]) -> None:
    """Run ``check``: it must fail with exactly ``expected`` for ``name`` and change nothing."""
    assert_rejected_files(check, root, {name: expected})


def assert_rejected_files(check: Check, root: Path, expected: dict[str, list[str]]) -> None:
    """Run ``check``: it must fail with exactly the lines expected for each file, changing none."""
    before = {name: (root / name).read_bytes() for name in expected}
    code, out, err = check(root)
    assert "Traceback" not in err
    assert {name: problem_lines(err, name) for name in expected} == expected
    assert code == 1
    assert "check failed:" in err
    assert out == ""
    assert {name: (root / name).read_bytes() for name in expected} == before


def load(root: Path, name: str) -> object:
    """Return the plain data the loader makes of ``root/name``, which must load cleanly."""
    document, problems = load_document(root / name, root)
    assert problems == []
    assert document is not None
    return document.data


# Scalars stay strings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["no", "yes", "off", "true", "null", "~", "0755", "0x1F", "1e3", ".inf", "12:30"]
)
def test_plain_scalar_stays_the_string_written(project: Path, written: str) -> None:
    edit(project, SC, "title: Stomach crunch", f"title: {written}")
    data = load(project, SC)
    assert isinstance(data, dict)
    assert data["title"] == written


def test_title_no_is_the_word_no_not_false(project: Path) -> None:
    edit(project, SC, "title: Stomach crunch", "title: no")
    exercise = Exercise.model_validate(load(project, SC))
    assert exercise.title == "no"


def test_order_0755_is_seven_hundred_and_fifty_five_not_octal(project: Path) -> None:
    edit(project, SC, "order: 2", "order: 0755")
    exercise = Exercise.model_validate(load(project, SC))
    assert exercise.order == 755


def test_impossible_date_is_a_clear_error(project: Path, check: Check) -> None:
    edit(project, SC, "reviewed: 2026-11-20", "reviewed: 2024-02-30")
    assert_rejected(
        check,
        project,
        SC,
        [
            f"{SC}:8:1: reviewed: must be a real date written YYYY-MM-DD, not '2024-02-30' "
            "(day value is outside expected range)"
        ],
    )


RANGE = "must be a date from 1980-01-01 to 2106-02-07 (the dates every output can carry)"


@pytest.mark.parametrize(
    "date",
    ["2106-02-08", "2107-01-01", "9999-12-31", "1979-12-31", "1066-10-14", "0001-01-01"],
)
def test_review_date_outside_what_the_outputs_can_carry_is_refused(
    project: Path, check: Check, date: str
) -> None:
    # The build date defaults to the latest review: after 2106-02-07 the gzip header of
    # the site's sitemap cannot carry it (the build crashed), before 1980 a zip entry cannot.
    edit(project, SC, "reviewed: 2026-11-20", f"reviewed: {date}")
    assert_rejected(check, project, SC, [f"{SC}:8:1: reviewed: {RANGE}, not '{date}'"])


def test_review_date_of_a_draft_is_held_to_the_same_range(project: Path, check: Check) -> None:
    name = "content/exercises/late-draft.yaml"
    write(project, name, DRAFT.format(id="late-draft").replace("2026-01-01", "2200-01-01"))
    assert_rejected(check, project, name, [f"{name}:7:1: reviewed: {RANGE}, not '2200-01-01'"])


@pytest.mark.parametrize("date", ["1980-01-01", "2106-02-07"])
def test_review_dates_at_the_ends_of_the_range_are_accepted(
    project: Path, check: Check, date: str
) -> None:
    edit(project, SC, "reviewed: 2026-11-20", f"reviewed: {date}")
    code, _, err = check(project)
    assert (code, err) == (0, "")


# Tags, anchors, aliases -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!str Stomach crunch", "!!str"),
        ("!local Stomach crunch", "!local"),
    ],
)
def test_tag_is_refused(project: Path, check: Check, written: str, shown: str) -> None:
    edit(project, SC, "title: Stomach crunch", f"title: {written}")
    expected = [f"{SC}:3:8: title: tags ({shown}) are not allowed; remove the tag"]
    assert_rejected(check, project, SC, expected)


def test_python_object_tag_is_refused_and_never_run(project: Path, check: Check) -> None:
    marker = project / "pwned"
    edit(
        project,
        SC,
        "title: Stomach crunch",
        f"title: !!python/object/apply:os.system ['touch {marker}']",
    )
    expected = [
        f"{SC}:3:8: title: tags (!!python/object/apply:os.system) are not allowed; remove the tag"
    ]
    assert_rejected(check, project, SC, expected)
    assert not marker.exists()


def test_anchor_is_refused(project: Path, check: Check) -> None:
    edit(project, SC, "title: Stomach crunch", "title: &name Stomach crunch")
    expected = [f"{SC}:3:8: title: anchors (&name) are not allowed; write the value out"]
    assert_rejected(check, project, SC, expected)


def test_alias_is_refused(project: Path, check: Check) -> None:
    edit(project, SC, "title: Stomach crunch", "title: *name")
    expected = [f"{SC}:3:8: title: aliases (*name) are not allowed; write the value out"]
    assert_rejected(check, project, SC, expected)


def test_anchor_and_alias_are_both_reported(project: Path, check: Check) -> None:
    edit(project, SC, "purpose: Make", "purpose: &p Make")
    edit(project, SC, "  - Weak stomach", "  - *p\n  - Weak stomach")
    expected = [
        f"{SC}:11:10: purpose: anchors (&p) are not allowed; write the value out",
        f"{SC}:14:5: suitable_for.0: aliases (*p) are not allowed; write the value out",
    ]
    assert_rejected(check, project, SC, expected)


# Duplicate keys ---------------------------------------------------------------------


def test_duplicate_key(project: Path, check: Check) -> None:
    edit(project, SC, "language: en\n", "language: en\ntitle: Other\n")
    expected = [f"{SC}:10:1: title: duplicate key 'title'; already given at line 3"]
    assert_rejected(check, project, SC, expected)


def test_duplicate_key_differing_only_by_unicode_normalisation(project: Path, check: Check) -> None:
    edit(project, SC, "language: en\n", "language: en\nｔｉｔｌｅ: Other\n")
    expected = [
        f"{SC}:10:1: ｔｉｔｌｅ: duplicate key 'ｔｉｔｌｅ'; already given at line 3 "
        "(as 'title', which looks the same)"
    ]
    assert_rejected(check, project, SC, expected)


def test_duplicate_key_differing_only_by_an_escaped_zero_width_space(
    project: Path, check: Check
) -> None:
    edit(project, SC, "language: en\n", 'language: en\n"ti\\u200btle": Other\n')
    key = "ti\u200btle"
    expected = [
        f"{SC}:10:1: {key}: duplicate key '{key}'; already given at line 3 "
        "(as 'title', which looks the same)",
        f"{SC}:10:1: {key}: invisible zero-width character U+200B (zero width space) "
        "(written as an escape)",
    ]
    assert_rejected(check, project, SC, expected)


def test_key_with_a_raw_zero_width_space_is_refused_at_the_character(
    project: Path, check: Check
) -> None:
    edit(project, SC, "language: en\n", "language: en\nti\u200btle: Other\n")
    # The character is blanked before parsing so that columns stay put; the key is named so.
    expected = [f"{SC}:10:3: ti tle: invisible zero-width character U+200B (zero width space)"]
    assert_rejected(check, project, SC, expected)


# Size and depth ---------------------------------------------------------------------


def test_file_over_the_size_cap_is_refused(project: Path, check: Check) -> None:
    head = DRAFT.format(id="big")
    write(project, "content/exercises/big.yaml", head + "#" * (MAX_BYTES + 1 - len(head)))
    expected = [
        f"content/exercises/big.yaml:1:1: (document): file is {MAX_BYTES + 1} bytes; "
        f"the limit is {MAX_BYTES} bytes"
    ]
    assert_rejected(check, project, "content/exercises/big.yaml", expected)


def test_file_of_exactly_the_size_cap_is_accepted(project: Path, check: Check) -> None:
    head = DRAFT.format(id="big")
    write(project, "content/exercises/big.yaml", head + "#" * (MAX_BYTES - len(head)))
    assert (project / "content/exercises/big.yaml").stat().st_size == MAX_BYTES
    code, out, err = check(project)
    assert problem_lines(err, "content/exercises/big.yaml") == []
    assert code == 0
    assert "big" in out


def deep_message(name: str, line: int, column: int, parts: list[str]) -> str:
    return f"{name}:{line}:{column}: {'.'.join(parts)}: nested more than {MAX_DEPTH} levels deep"


def run_quickly(check: Check, root: Path) -> str:
    """Run ``check`` and return stderr; it must finish in well under a few seconds."""
    start = time.monotonic()
    code, _, err = check(root)
    assert time.monotonic() - start < 10
    assert code == 1
    assert "Traceback" not in err
    return err


def test_100000_nested_brackets_are_refused_without_crash(project: Path, check: Check) -> None:
    name = "content/exercises/deep.yaml"
    write(project, name, "[" * 100_000 + "]" * 100_000 + "\n")
    err = run_quickly(check, project)
    assert problem_lines(err, name) == [deep_message(name, 1, MAX_DEPTH + 1, ["0"] * MAX_DEPTH)]


def test_deep_brackets_under_a_key_are_reported_once(project: Path, check: Check) -> None:
    name = "content/exercises/deep.yaml"
    write(project, name, "id: deep\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n")
    err = run_quickly(check, project)
    parts = ["title"] + ["0"] * (MAX_DEPTH - 1)
    assert problem_lines(err, name) == [deep_message(name, 2, 7 + MAX_DEPTH, parts)]


def test_deep_block_mappings_are_reported_once(project: Path, check: Check) -> None:
    name = "content/exercises/deep.yaml"
    write(project, name, "".join(" " * level + "k:\n" for level in range(600)))
    err = run_quickly(check, project)
    line = MAX_DEPTH + 1
    assert problem_lines(err, name) == [deep_message(name, line, line, ["k"] * MAX_DEPTH)]


def test_deep_block_sequences_are_refused(project: Path, check: Check) -> None:
    name = "content/exercises/deep.yaml"
    write(project, name, "".join(" " * level + "-\n" for level in range(600)))
    err = run_quickly(check, project)
    line = MAX_DEPTH + 1
    assert problem_lines(err, name) == [deep_message(name, line, line, ["0"] * MAX_DEPTH)]


# Forbidden characters -----------------------------------------------------------------

CHARACTERS = [
    ("\t", "\\t", "tab character; indent and separate with spaces"),
    ("\x07", "\\a", "control character U+0007"),
    ("\u202e", "\\u202e", "bidirectional control character U+202E (right-to-left override)"),
    ("\u200b", "\\u200b", "invisible zero-width character U+200B (zero width space)"),
]
CHARACTER_IDS = ["tab", "bell", "bidi-override", "zero-width-space"]


@pytest.mark.parametrize(("char", "escape", "message"), CHARACTERS, ids=CHARACTER_IDS)
def test_forbidden_character_in_text(
    project: Path, check: Check, char: str, escape: str, message: str
) -> None:
    edit(project, SC, "title: Stomach crunch", f"title: Stomach{char}crunch")
    assert_rejected(check, project, SC, [f"{SC}:3:15: title: {message}"])


@pytest.mark.parametrize(("char", "escape", "message"), CHARACTERS, ids=CHARACTER_IDS)
def test_forbidden_character_written_as_an_escape(
    project: Path, check: Check, char: str, escape: str, message: str
) -> None:
    edit(project, SC, "title: Stomach crunch", f'title: "Stomach{escape}crunch"')
    expected = [f"{SC}:3:8: title: {message} (written as an escape)"]
    assert_rejected(check, project, SC, expected)


def test_forbidden_character_deep_in_a_phase_names_its_step(project: Path, check: Check) -> None:
    edit(project, SC, "- Put your hands", "- Put\u202e your hands")
    line = line_of(project, SC, "- Put\u202e your hands")
    expected = [
        f"{SC}:{line}:12: phases.0.steps.1: "
        "bidirectional control character U+202E (right-to-left override)"
    ]
    assert_rejected(check, project, SC, expected)


def test_tab_used_for_indentation(project: Path, check: Check) -> None:
    edit(project, SC, "  - ref: consult-doctor", "\t- ref: consult-doctor")
    line = line_of(project, SC, "\t- ref: consult-doctor")
    expected = [
        f"{SC}:{line}:1: (document): tab character; indent and separate with spaces",
        f"{SC}:{line + 1}:3: (document): YAML syntax: while parsing a block collection; "
        "expected <block end>, but found '<block sequence start>'",
    ]
    assert_rejected(check, project, SC, expected)


# Files that are not one mapping -----------------------------------------------------

EMPTY = "file is empty; an exercise needs at least an id and a title"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", EMPTY),
        ("\n  \n", EMPTY),
        ("# only a comment\n\n   # and another\n", EMPTY),
        (
            "- id: x\n- title: y\n",
            "the top level must be a mapping of fields (key: value), not a list",
        ),
        (
            "just some words\n",
            "the top level must be a mapping of fields (key: value), not a single value",
        ),
    ],
    ids=["empty", "blank", "comment-only", "list", "scalar"],
)
def test_file_that_is_not_a_mapping(project: Path, check: Check, text: str, message: str) -> None:
    name = "content/exercises/odd.yaml"
    write(project, name, text)
    assert_rejected(check, project, name, [f"{name}:1:1: (document): {message}"])


def test_invalid_utf8(project: Path, check: Check) -> None:
    name = "content/exercises/latin1.yaml"
    write(project, name, b"id: latin1\ntitle: Caf\xe9 crunch\n")
    expected = [f"{name}:2:11: (document): file is not valid UTF-8 text"]
    assert_rejected(check, project, name, expected)


def test_multiple_documents(project: Path, check: Check) -> None:
    name = "content/exercises/two.yaml"
    write(project, name, "id: two\n---\nid: three\n")
    expected = [f"{name}:2:1: (document): only one YAML document per file (a second '---')"]
    assert_rejected(check, project, name, expected)


def test_symlink_pointing_outside_the_project(project: Path, check: Check) -> None:
    outside = write(project.parent, "elsewhere/secret.yaml", DRAFT.format(id="secret"))
    before = outside.read_bytes()
    name = "content/exercises/secret.yaml"
    os.symlink(outside, project / name)
    expected = [
        f"{name}:1:1: (document): symbolic link that points outside the project; it is not followed"
    ]
    assert_rejected(check, project, name, expected)
    assert outside.read_bytes() == before


def test_symlink_inside_the_project_is_reported_under_its_own_name(
    project: Path, check: Check
) -> None:
    link = "content/exercises/alias.yaml"
    os.symlink(project / SC, project / link)
    # alias.yaml sorts first, so the real file is the one that repeats the id.
    assert_rejected_files(
        check,
        project,
        {
            link: [
                f"{link}:2:1: id: id 'stomach-crunch' does not match the file name 'alias.yaml'"
            ],
            SC: [f"{SC}:2:1: id: duplicate id 'stomach-crunch'; also used in {link}"],
        },
    )


def test_dangling_symlink_is_reported_as_such(project: Path, check: Check) -> None:
    name = "content/exercises/broken.yaml"
    os.symlink("nowhere.yaml", project / name)
    code, out, err = check(project)
    assert problem_lines(err, name) == [
        f"{name}:1:1: (document): symbolic link to a file that does not exist"
    ]
    assert (code, out) == (1, "")


EDITOR_FILES = [
    ".#stomach-crunch.yaml",  # Emacs lock: a dangling link, written below as one
    "#stomach-crunch.yaml#",  # Emacs auto-save
    "stomach-crunch.yaml~",  # Emacs and others: backup
    ".stomach-crunch.yaml.swp",  # Vim swap files
    ".stomach-crunch.yaml.swo",
    ".~lock.stomach-crunch.yaml#",  # LibreOffice lock
    ".hidden.yaml",  # any other hidden file
    ".git/stomach-crunch.yaml",  # anything in a hidden folder
    "#notes#/stomach-crunch.yaml",
]


def test_editor_lock_backup_and_hidden_files_are_ignored(project: Path, check: Check) -> None:
    folder = project / "content/exercises"
    os.symlink("root@host.example.12345:1700000000", folder / EDITOR_FILES[0])
    for name in EDITOR_FILES[1:]:
        write(folder, name, "id: [not, valid\n\t")
    write(project, "diagrams/poses/.#kneel.yaml", "- broken\n")
    os.symlink("nowhere", project / "diagrams/poses/.#kneel-lock.yaml")
    code, out, err = check(project)
    assert (code, err) == (0, "")
    assert out.startswith("ok: ")


# The catalogue as a whole -------------------------------------------------------------


def test_empty_exercise_folder_is_refused(project: Path, check: Check) -> None:
    folder = project / "content/exercises"
    for path in folder.iterdir():
        path.unlink()
    os.symlink("nowhere", folder / ".#lock.yaml")  # an editor's file is not an exercise
    code, out, err = check(project)
    assert err.splitlines() == [
        "content/exercises:1:1: (folder): no exercise file (<id>.yaml) here; "
        "the catalogue needs at least one",
        "check failed: 1 error(s), 0 warning(s)",
    ]
    assert (code, out) == (1, "")


def test_missing_exercise_folder_is_refused(project: Path, check: Check) -> None:
    shutil.rmtree(project / "content/exercises")
    code, out, err = check(project)
    assert err.splitlines() == [
        "content/exercises:1:1: (folder): folder is missing; "
        "the catalogue needs an exercise file here",
        "check failed: 1 error(s), 0 warning(s)",
    ]
    assert (code, out) == (1, "")


# The model: fields and types --------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("purpose:", "purpos:", "11:1: purpos: unknown field 'purpos'; did you mean 'purpose'?"),
        (
            "    caption: Lie",
            "    captoin: Lie",
            "{line}:5: phases.0.captoin: unknown field 'captoin'; did you mean 'caption'?",
        ),
        (
            "language: en\n",
            "language: en\nwarning: Mind your neck.\n",
            "10:1: warning: unknown field 'warning'; allowed: id, title, section, order, "
            "status, version, reviewed, language, purpose, areas, suitable_for, "
            "not_suitable_for, prerequisites, safety, phases, dose, expect, tips, links",
        ),
    ],
    ids=["top-level-typo", "nested-typo", "no-close-match"],
)
def test_unknown_field(project: Path, check: Check, old: str, new: str, expected: str) -> None:
    edit(project, SC, old, new)
    line = line_of(project, SC, new.splitlines()[-1])
    assert_rejected(check, project, SC, [f"{SC}:{expected.format(line=line)}"])


def test_missing_field(project: Path, check: Check) -> None:
    edit(project, SC, "version: 1\n", "")
    expected = [f"{SC}:2:1: (document): required field 'version' is missing"]
    assert_rejected(check, project, SC, expected)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("order: 2", "order: two", "5:1: order: must be a whole number, not 'two'"),
        (
            "areas: [abdomen, lumbar]",
            "areas: {abdomen: yes}",
            "12:1: areas: must be a list (lines starting with '- ')",
        ),
        (
            "prerequisites:\n  exercises: [double-leg-raise]\n  warm_up: true\n"
            "  months_of_use: 3\n  note: In those months, do the basic exercises 3 to 4 times "
            "a week, for 20 minutes or more each time.",
            "prerequisites: double-leg-raise",
            "{line}:1: prerequisites: must be a mapping of fields (key: value)",
        ),
        (
            "  warm_up: true",
            "  warm_up: maybe",
            "{line}:3: prerequisites.warm_up: must be true or false, not 'maybe'",
        ),
        (
            "section: advanced",
            "section: expert",
            "4:1: section: must be one of 'getting-on', 'basic', 'getting-off' or 'advanced', "
            "not 'expert'",
        ),
        ("title: Stomach crunch", "title: [Stomach, crunch]", "3:1: title: must be text"),
        ("version: 1", "version:", "7:1: version: has no value"),
    ],
    ids=["int", "list", "mapping", "bool", "enum", "text", "empty-value"],
)
def test_wrong_type(project: Path, check: Check, old: str, new: str, expected: str) -> None:
    edit(project, SC, old, new)
    line = line_of(project, SC, new.splitlines()[-1])
    assert_rejected(check, project, SC, [f"{SC}:{expected.format(line=line)}"])


# Cross-file checks ------------------------------------------------------------------


def draft(root: Path, exercise_id: str, extra: str = "", name: str | None = None) -> str:
    """Write a draft exercise (plus ``extra`` YAML) and return its project-relative name."""
    name = name or f"content/exercises/{exercise_id}.yaml"
    write(root, name, DRAFT.format(id=exercise_id) + extra)
    return name


def test_unknown_references(project: Path, check: Check) -> None:
    name = draft(
        project,
        "refs",
        "prerequisites:\n  exercises: [zz-missing]\n"
        "safety:\n  - ref: consult-doctr\n"
        "links:\n  next: zz-gone\n",
    )
    assert_rejected(
        check,
        project,
        name,
        [
            f"{name}:9:15: prerequisites.exercises.0: unknown exercise 'zz-missing'",
            f"{name}:11:5: safety.0.ref: unknown shared message 'consult-doctr'; "
            "did you mean 'consult-doctor'?",
            f"{name}:13:3: links.next: unknown exercise 'zz-gone'",
        ],
    )


def test_unknown_link_suggests_the_close_exercise(project: Path, check: Check) -> None:
    edit(project, SC, "next: lean-back", "next: lean-bak")
    line = line_of(project, SC, "next: lean-bak")
    expected = [
        f"{SC}:{line}:3: links.next: unknown exercise 'lean-bak'; did you mean 'lean-back'?"
    ]
    assert_rejected(check, project, SC, expected)


def test_exercise_cannot_link_to_itself(project: Path, check: Check) -> None:
    edit(project, SC, "next: lean-back", "next: stomach-crunch")
    line = line_of(project, SC, "next: stomach-crunch")
    expected = [f"{SC}:{line}:3: links.next: an exercise cannot refer to itself"]
    assert_rejected(check, project, SC, expected)


def test_duplicate_id_in_a_subfolder_with_yml_suffix(project: Path, check: Check) -> None:
    first = draft(project, "twin")
    second = draft(project, "twin", name="content/exercises/sub/twin.yml")
    # Files are read in sorted order, so sub/twin.yml comes first and twin.yaml repeats it.
    assert_rejected_files(
        check,
        project,
        {second: [], first: [f"{first}:1:1: id: duplicate id 'twin'; also used in {second}"]},
    )


def test_id_not_matching_file_name(project: Path, check: Check) -> None:
    name = draft(project, "right-name", name="content/exercises/wrong-name.yaml")
    expected = [f"{name}:1:1: id: id 'right-name' does not match the file name 'wrong-name.yaml'"]
    assert_rejected(check, project, name, expected)


def test_cycle_in_prerequisites(project: Path, check: Check) -> None:
    first = draft(project, "cycle-a", "prerequisites:\n  exercises: [cycle-b]\n")
    second = draft(project, "cycle-b", "prerequisites:\n  exercises: [cycle-a]\n")
    cycle = "prerequisites form a cycle: cycle-a → cycle-b → cycle-a"
    assert_rejected_files(
        check,
        project,
        {first: [], second: [f"{second}:9:15: prerequisites.exercises.0: {cycle}"]},
    )


def test_every_error_of_a_run_is_reported_together(project: Path, check: Check) -> None:
    edit(project, SC, "order: 2", "order: two")
    odd = write(project, "content/exercises/odd.yaml", "- a list\n")
    assert_rejected_files(
        check,
        project,
        {
            "content/exercises/odd.yaml": [
                "content/exercises/odd.yaml:1:1: (document): "
                "the top level must be a mapping of fields (key: value), not a list"
            ],
            SC: [f"{SC}:5:1: order: must be a whole number, not 'two'"],
        },
    )
    _, _, err = check(project)
    assert err.splitlines()[-1].startswith("check failed: 2 error(s), ")
    assert odd.read_bytes() == b"- a list\n"


# Property-based: the loader never raises ----------------------------------------------


def escape_all(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar with every non-ASCII-printable escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def load_title(folder: Path, scalar: str) -> tuple[object, list[str]]:
    """Write an exercise whose title is ``scalar`` and return (data or None, problem lines)."""
    path = write(folder, "x.yaml", "id: x\ntitle: " + scalar + "\n")
    document, problems = load_document(path, folder)
    return (document.data if document else None), [str(p) for p in problems]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return one folder that every hypothesis example of this module writes into."""
    return tmp_path_factory.mktemp("hypothesis")


PROPERTY = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run, so CI is repeatable
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(text=st.text())
def test_any_text_as_a_raw_double_quoted_title_never_raises(scratch: Path, text: str) -> None:
    raw = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    data, problems = load_title(scratch, raw)
    assert data is not None or problems  # no tree is never silent


@PROPERTY
@given(text=st.text())
def test_any_text_as_an_escaped_title_never_raises(scratch: Path, text: str) -> None:
    data, problems = load_title(scratch, escape_all(text))
    assert data is not None or problems  # no tree is never silent
    if not problems:
        assert isinstance(data, dict)
        assert data["title"] == text


def _safe(char: str) -> bool:
    return describe_character(char) is None


@PROPERTY
@given(text=st.text(st.characters(exclude_categories=["Cs"]).filter(_safe)))
def test_safe_text_round_trips_as_a_string(scratch: Path, text: str) -> None:
    data, problems = load_title(scratch, escape_all(text))
    assert problems == []
    assert isinstance(data, dict)
    assert data["title"] == text


@PROPERTY
@given(text=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.+_~-]*", fullmatch=True))
def test_plain_word_round_trips_as_a_string(scratch: Path, text: str) -> None:
    data, problems = load_title(scratch, text)
    assert problems == []
    assert isinstance(data, dict)
    assert data["title"] == text


@PROPERTY
@given(text=st.text(max_size=400))
def test_any_text_as_a_whole_file_never_raises(scratch: Path, text: str) -> None:
    path = write(scratch, "x.yaml", text)
    document, problems = load_document(path, scratch)
    assert document is not None or problems  # no tree is never silent
    if document is not None:
        assert isinstance(document.data, dict)


def test_issue_escaped_carriage_return_is_refused_like_a_raw_one(scratch: Path) -> None:
    _, problems = load_title(scratch, '"a\\rb"')
    assert problems == [
        "x.yaml:2:8: title: carriage return on its own (not part of a line end) "
        "(written as an escape)"
    ]
    _, problems = load_title(scratch, "a\rb")
    assert problems == ["x.yaml:2:9: title: carriage return on its own (not part of a line end)"]


# --- libyaml's events, PyYAML's positions and messages ------------------------------------------

FLOW_EMPTIES = [
    "a: {: b}\n",
    "a: [: b]\n",
    "a: {x, y}\n",
    "a: [x: ]\n",
    "a: {? : x}\n",
    "a: [x, ]\n",
    "a: {x: , y: 1}\n",
    "a: {x: {y: }}\n",
    "? \n: x\n",
    "a:\n  - \n  - b\n",
    "- a: \n  b:\n",
    "a: {x:}\n",
    'a: {"x": }\n',
    "a: [x:]\n",
    "a: b: c\n",
    "a: 'x' y\n",
    "%YAML 1.2\n---\na: b\n",
    "--- a\n--- b\n",
    'a: é€😀 x\r\nb: "\\t\\u202e"\n\u2028c: ü\n',
    "a: [" * 40 + "\n",
]


def loaded_both_ways(
    folder: Path, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[object, object]:
    """Return what the loader makes of ``data`` with libyaml's parser and with PyYAML's alone."""
    from generator.sources import load as loader

    path = folder / "x.yaml"
    path.write_bytes(data)
    made = []
    for fast in (loader.FAST_LOADER, None):
        monkeypatch.setattr(loader, "FAST_LOADER", fast)
        document, problems = load_document(path, folder)
        kept = document and (document.data, document.value_marks, document.key_marks)
        made.append((kept, document and document.flagged, [str(p) for p in problems]))
    return made[0], made[1]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", FLOW_EMPTIES)
def test_libyaml_gives_what_pyyaml_gives(
    scratch: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = loaded_both_ways(scratch, text.encode(), monkeypatch)
    assert fast == pure


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_libyaml_gives_what_pyyaml_gives_on_mutated_sources(
    scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every position, message and value is PyYAML's, on 400 mutations of the real sources
    (a file libyaml finds a YAML error in is parsed by PyYAML, whose messages authors see)."""
    originals = fuzz.sources(REPO)
    names = sorted(originals)
    rng = random.Random(21)
    for _ in range(400):
        data, steps = fuzz.mutate(rng, originals[rng.choice(names)], list(originals.values()))
        fast, pure = loaded_both_ways(scratch, data, monkeypatch)
        assert fast == pure, steps
