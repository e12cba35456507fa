"""The safety gate: no published exercise without the doctor notice, contraindications,
cautions and stop rule.

SAFETY.md: every published exercise has at least one safety message with a valid
signal word, the consult-your-doctor notice, the contraindications, the cautions and
the stop rule; a text that is empty, blank or only invisible characters does not count.
Drafts are validated and reported but never gated (they are never published).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DRAFT, REPO, STOMACH_CRUNCH, Check, edit, line_of, problem_lines, write

from generator.model import Role
from generator.sources.load import load_document
from generator.sources.validate import load_catalogue

SC = STOMACH_CRUNCH
SHARED = "content/shared.yaml"

REQUIRED = [
    ("consult-doctor", "the consult-your-doctor notice"),
    ("contraindications", "the contraindications"),
    ("cautions", "the cautions"),
    ("stop-rule", "the stop rule"),
]


def gate_message(name: str, line: int, what: str, ref: str, field: str = "safety") -> str:
    return (
        f"{name}:{line}:1: {field}: a published exercise must carry {what} before its steps; "
        f"add '- ref: {ref}' to 'safety'"
    )


def key_line(root: Path, name: str, key: str) -> int:
    """Return the line of the top-level ``key:`` in ``root/name``."""
    return line_of(root, name, f"\n{key}:") + 1


def published_files() -> list[str]:
    """Return the real published exercise files, by project-relative name."""
    names = []
    for path in sorted((REPO / "content/exercises").rglob("*.y*ml")):
        document, _ = load_document(path, REPO)
        if document is not None and document.data.get("status") == "published":
            names.append(path.relative_to(REPO).as_posix())
    return names


def assert_fails_with(check: Check, root: Path, expected: dict[str, list[str]]) -> None:
    """Run ``check``: it must fail with exactly the expected lines for each named file."""
    code, out, err = check(root)
    assert "Traceback" not in err
    assert {name: problem_lines(err, name) for name in expected} == expected
    assert code == 1
    assert out == ""


# The real content -------------------------------------------------------------------


def test_real_content_passes_check_strict(check: Check) -> None:
    code, out, err = check(REPO, "--strict")
    assert err == ""
    assert code == 0
    assert re.fullmatch(r"ok: \d+ published exercise\(s\), .*; 0 warning\(s\)\n", out)


def test_real_content_has_no_problem_at_all() -> None:
    catalogue, problems = load_catalogue(REPO)
    assert [str(p) for p in problems] == []
    assert catalogue is not None


def test_every_published_exercise_resolves_to_the_required_safety_texts() -> None:
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    assert catalogue.published, "there should be published exercises"
    for exercise in catalogue.published:
        by_role = {r.role: r.message for r in catalogue.resolve_all(exercise.safety)}
        doctor = by_role.get(Role.DOCTOR_NOTICE)
        contraindications = by_role.get(Role.CONTRAINDICATIONS)
        cautions = by_role.get(Role.CAUTION)
        stop = by_role.get(Role.STOP_RULE)
        assert doctor is not None, exercise.id
        assert any("consult your doctor" in text for text in doctor.text), exercise.id
        assert contraindications is not None, exercise.id
        assert contraindications.signal is not None, exercise.id
        assert len(contraindications.items) >= 4, exercise.id
        assert cautions is not None, exercise.id
        assert cautions.signal is not None, exercise.id
        assert cautions.items, exercise.id
        assert stop is not None, exercise.id
        assert any("stop" in text for text in stop.avoid), exercise.id


# Removing a required reference ------------------------------------------------------


@pytest.mark.parametrize(("ref", "what"), REQUIRED, ids=[r for r, _ in REQUIRED])
def test_stomach_crunch_without_a_required_reference_fails(
    project: Path, check: Check, ref: str, what: str
) -> None:
    edit(project, SC, f"  - ref: {ref}\n", "")
    line = key_line(project, SC, "safety")
    assert_fails_with(check, project, {SC: [gate_message(SC, line, what, ref)]})


@pytest.mark.parametrize("name", published_files())
@pytest.mark.parametrize(("ref", "what"), REQUIRED, ids=[r for r, _ in REQUIRED])
def test_any_published_exercise_without_a_required_reference_fails(
    project: Path, check: Check, name: str, ref: str, what: str
) -> None:
    edit(project, name, f"  - ref: {ref}\n", "")
    line = key_line(project, name, "safety")
    assert_fails_with(check, project, {name: [gate_message(name, line, what, ref)]})


def test_published_exercise_without_any_safety_fails_at_its_status(
    project: Path, check: Check
) -> None:
    text = (project / SC).read_text(encoding="utf-8")
    start, end = text.index("\nsafety:\n"), text.index("\nphases:\n")
    write(project, SC, text[:start] + text[end:])
    # Problems at one place are printed in the order of their messages.
    expected = sorted(gate_message(SC, 6, what, ref, field="status") for ref, what in REQUIRED)
    assert_fails_with(check, project, {SC: expected})


# Blank or invisible texts -------------------------------------------------------------

HAZARD = "hazard: Holding your breath while you lift can harm you."
SIGNAL = "  - signal: WARNING"
"""The stomach crunch's own warning, the fifth entry of its 'safety' (after four references)."""
BLANK = "must contain visible text; it is empty or blank"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('hazard: ""', f"{{hazard}}:5: safety.4.hazard: {BLANK}"),
        ('hazard: "   "', f"{{hazard}}:5: safety.4.hazard: {BLANK}"),
        ("hazard: \u3000", f"{{hazard}}:5: safety.4.hazard: {BLANK}"),
        ('hazard: "\u3000\u3000"', f"{{hazard}}:5: safety.4.hazard: {BLANK}"),
        ('hazard: "\\u3000\\u00a0"', f"{{hazard}}:5: safety.4.hazard: {BLANK}"),
        (
            'hazard: "\\u200b"',
            "{hazard}:13: safety.4.hazard: invisible zero-width character U+200B "
            "(zero width space) (written as an escape)",
        ),
        ("hazard:", "{signal}:5: safety.4: a safety message with a signal word needs 'hazard'"),
    ],
    ids=[
        "empty",
        "spaces",
        "ideographic-space",
        "quoted-ideographic",
        "escaped-spaces",
        "escaped-zero-width",
        "no-value",
    ],
)
def test_safety_message_with_blank_hazard_fails(
    project: Path, check: Check, written: str, expected: str
) -> None:
    lines = {"hazard": line_of(project, SC, HAZARD), "signal": line_of(project, SC, SIGNAL)}
    edit(project, SC, HAZARD, written)
    assert_fails_with(check, project, {SC: [f"{SC}:{expected.format(**lines)}"]})


def test_shared_safety_message_with_invisible_hazard_fails(project: Path, check: Check) -> None:
    edit(project, SHARED, "hazard: You can strain a muscle.", 'hazard: "\u3000"')
    line = line_of(project, SHARED, 'hazard: "\u3000"')
    expected = [f"{SHARED}:{line}:5: messages.stop-rule.hazard: {BLANK}"]
    assert_fails_with(check, project, {SHARED: expected})


@pytest.mark.parametrize(
    "blank",
    ['"  "', '"\u3000"', '"\\u00a0"', "\u3000"],
    ids=["spaces", "ideographic", "nbsp", "plain"],
)
def test_doctor_notice_with_blank_text_fails(project: Path, check: Check, blank: str) -> None:
    text_line = line_of(project, SHARED, "consult your doctor.")
    edit(
        project,
        SHARED,
        "- If you are in any doubt whether this is right for you, consult your doctor.",
        f"- {blank}",
    )
    edit(project, SHARED, "- This is true for the backrack™ and for each exercise.", f"- {blank}")
    expected = [
        f"{SHARED}:{text_line}:9: messages.consult-doctor.text.0: {BLANK}",
        f"{SHARED}:{text_line + 1}:9: messages.consult-doctor.text.1: {BLANK}",
    ]
    assert_fails_with(check, project, {SHARED: expected})


def test_doctor_notice_without_text_fails(project: Path, check: Check) -> None:
    notice = line_of(project, SHARED, "  consult-doctor:")
    text = (project / SHARED).read_text(encoding="utf-8")
    start = text.index("    text:\n", text.index("  consult-doctor:"))
    end = text.index("\n\n", start) + 1
    write(project, SHARED, text[:start] + text[end:])
    expected = [
        f"{SHARED}:{notice}:3: messages.consult-doctor: a message needs a 'signal' word "
        "(with 'hazard' and 'avoid'), or a 'title' and 'text' for a notice"
    ]
    assert_fails_with(check, project, {SHARED: expected})


def test_no_shared_doctor_notice_fails_every_published_exercise(
    project: Path, check: Check
) -> None:
    edit(project, SHARED, "role: doctor-notice", "role: general")
    messages = key_line(project, SHARED, "messages")
    what = "the consult-your-doctor notice"
    expected = {
        SHARED: [f"{SHARED}:{messages}:1: messages: no message has role 'doctor-notice' ({what})"],
    }
    for name in published_files():
        line = key_line(project, name, "safety")
        expected[name] = [gate_message(name, line, what, "doctor-notice")]
    assert_fails_with(check, project, expected)


# Phases, prerequisites, signal words --------------------------------------------------


def test_published_exercise_without_phases_fails(project: Path, check: Check) -> None:
    text = (project / SC).read_text(encoding="utf-8")
    start, end = text.index("phases:\n"), text.index("dose:\n")
    write(project, SC, text[:start] + text[end:])
    expected = [f"{SC}:2:1: phases: a published exercise needs at least one phase with steps"]
    assert_fails_with(check, project, {SC: expected})


def test_published_exercise_with_empty_phase_list_fails(project: Path, check: Check) -> None:
    text = (project / SC).read_text(encoding="utf-8")
    start, end = text.index("phases:\n"), text.index("dose:\n")
    write(project, SC, text[:start] + "phases: []\n\n" + text[end:])
    line = line_of(project, SC, "phases: []")
    expected = [f"{SC}:{line}:1: phases: a published exercise needs at least one phase with steps"]
    assert_fails_with(check, project, {SC: expected})


def test_published_exercise_requiring_a_draft_fails(project: Path, check: Check) -> None:
    write(project, "content/exercises/draft-prep.yaml", DRAFT.format(id="draft-prep"))
    edit(project, SC, "exercises: [double-leg-raise]", "exercises: [draft-prep]")
    line = line_of(project, SC, "exercises: [draft-prep]")
    expected = [
        f"{SC}:{line}:15: prerequisites.exercises.0: "
        "prerequisite 'draft-prep' is a draft, so a published exercise cannot require it"
    ]
    assert_fails_with(check, project, {SC: expected})


@pytest.mark.parametrize("word", ["WARN", "warning", "Danger", "ALERT"])
def test_unknown_signal_word_fails(project: Path, check: Check, word: str) -> None:
    line = line_of(project, SC, SIGNAL)
    edit(project, SC, SIGNAL, f"  - signal: {word}")
    expected = [
        f"{SC}:{line}:5: safety.4.signal: must be one of 'DANGER', 'WARNING', 'CAUTION' or "
        f"'NOTICE', not '{word}'"
    ]
    assert_fails_with(check, project, {SC: expected})


# Drafts ------------------------------------------------------------------------------


def test_draft_without_any_safety_passes_and_is_reported_as_a_draft(
    project: Path, check: Check
) -> None:
    write(project, "content/exercises/bare-draft.yaml", DRAFT.format(id="bare-draft"))
    code, out, err = check(project)
    assert err == ""
    assert code == 0
    drafts = re.search(r"draft\(s\) not published \(([^)]*)\)", out)
    assert drafts is not None, out
    assert "bare-draft" in drafts.group(1).split(", ")


def test_draft_copy_of_stomach_crunch_without_required_safety_passes(
    project: Path, check: Check
) -> None:
    text = (project / SC).read_text(encoding="utf-8")
    text = text.replace("id: stomach-crunch", "id: crunch-draft").replace(
        "status: published", "status: draft"
    )
    for ref, _ in REQUIRED:
        text = text.replace(f"  - ref: {ref}\n", "")
    write(project, "content/exercises/crunch-draft.yaml", text)
    code, out, err = check(project)
    assert err == ""
    assert code == 0
    assert "crunch-draft" in out


# The catalogue as a whole -------------------------------------------------------------


def unpublish_all(root: Path) -> None:
    """Make every exercise of the copy a draft."""
    for path in (root / "content/exercises").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("status: published", "status: draft"), encoding="utf-8")


def test_catalogue_of_drafts_only_is_refused(project: Path, check: Check) -> None:
    # Every output is of the published exercises: a catalogue of drafts would publish an
    # empty booklet and website (the build crashed on it), most likely by mistake.
    unpublish_all(project)
    code, out, err = check(project)
    assert err.splitlines() == [
        "content/exercises:1:1: (folder): no published exercise; set 'status: published' on "
        "at least one exercise (drafts are never published, so there would be nothing to "
        "publish)",
        "check failed: 1 error(s), 0 warning(s)",
    ]
    assert (code, out) == (1, "")


def test_catalogue_without_a_published_getting_on_exercise_is_refused(
    project: Path, check: Check
) -> None:
    edit(project, "content/exercises/getting-on.yaml", "status: published", "status: draft")
    edit(
        project,
        "content/exercises/starting-position.yaml",
        "exercises: [getting-on]",
        "warm_up: true",
    )
    code, out, err = check(project)
    assert err.splitlines() == [
        "content/exercises:1:1: (folder): no published exercise in the section 'getting-on'; "
        "every publication shows how to get onto the rack (the quick-start panel needs it)",
        "check failed: 1 error(s), 0 warning(s)",
    ]
    assert (code, out) == (1, "")


def test_publication_is_not_judged_while_an_exercise_file_is_in_error(
    project: Path, check: Check
) -> None:
    unpublish_all(project)
    edit(project, SC, "order: 2", "order: two")
    code, _, err = check(project)
    assert problem_lines(err, "content/exercises") == []
    assert problem_lines(err, SC) == [f"{SC}:5:1: order: must be a whole number, not 'two'"]
    assert code == 1
