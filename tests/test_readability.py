"""Reading-grade measures, checked against figures worked out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import STOMACH_CRUNCH, Check, edit, line_of, problem_lines

from generator.sources import readability, rules


@pytest.mark.parametrize(
    ("word", "count"),
    [("the", 1), ("rack", 1), ("spine", 1), ("gently", 2), ("abdominal", 4), ("vertebrae", 3)],
)
def test_syllables_from_the_pronouncing_dictionary(word: str, count: int) -> None:
    assert readability.syllables(word) == count


def test_syllables_of_an_unknown_word_are_estimated_from_vowel_groups() -> None:
    assert readability.syllables("backrack") == 2
    assert readability.syllables("zzz") == 1


def test_grades_of_a_short_text_match_the_formulas() -> None:
    # 2 sentences, 7 words, 7 syllables, no word of 3 or more syllables:
    # FK = 0.39 * 7/2 + 11.8 * 7/7 - 15.59 = -2.425; SMOG = 1.043 * sqrt(0) + 3.1291
    result = readability.measure(["Lie on the rack. Bend your knees."])
    assert (result.sentences, result.words) == (2, 7)
    assert result.flesch_kincaid == -2.4
    assert result.smog == 3.1


def test_long_words_raise_both_grades() -> None:
    plain = readability.measure(["Lie on the rack and rest."])
    medical = readability.measure(["Decompression mobilises intervertebral articulations."])
    assert medical.flesch_kincaid > plain.flesch_kincaid + 10
    assert medical.smog > plain.smog + 5


def test_text_without_end_punctuation_is_one_sentence() -> None:
    assert readability.sentences("Tensing your neck") == ["Tensing your neck"]
    assert readability.measure([]).words == 0


# Findings stand at the text they are about ---------------------------------------------

SC = STOMACH_CRUNCH
SHARED = "content/shared.yaml"
LONG = (
    "Stay on the rack and lift your head a little and then lower it again and keep your "
    "neck soft and your chin down all the time"
)  # 27 words, each short (and no claim about the pose: "lie on the rack" would be one)
LONG_MESSAGE = f"sentence of 27 words (aim for 20 or fewer): '{LONG[:60]}…'"


def warnings_for(check: Check, root: Path, name: str) -> list[str]:
    """Run ``check`` (it must pass: these are warnings) and return the lines for ``name``."""
    code, out, err = check(root)
    assert code == 0, err
    assert out.startswith("ok: ")
    return problem_lines(err, name)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "purpose: Make the deep stomach muscles that hold your spine steady stronger.",
            f"purpose: {LONG}.",
            f"{{line}}:10: purpose: warning: {LONG_MESSAGE}",
        ),
        (
            "      - Put your hands behind your head.",
            f"      - {LONG}.",
            f"{{line}}:9: phases.0.steps.1: warning: {LONG_MESSAGE}",
        ),
        (
            "      - text: Lift your upper back, shoulders and head a little off the rack.",
            f"      - text: {LONG}.",
            f"{{line}}:15: phases.1.steps.0.text: warning: {LONG_MESSAGE}",
        ),
        (
            "            hazard: Pulling on your head with your arms can strain your neck.",
            f"            hazard: {LONG}.",
            f"{{line}}:21: phases.1.steps.0.safety.0.hazard: warning: {LONG_MESSAGE}",
        ),
        (
            "  - A strain may mean your lower spine is still stiff",
            "  - A back rack strain may mean your lower spine is still stiff",
            "{line}:5: tips.1: warning: write the product name as 'backrack™', not 'back rack'",
        ),
    ],
    ids=["purpose", "plain-step", "step-text", "step-hazard", "product-name"],
)
def test_plain_language_finding_stands_at_its_text(
    project: Path, check: Check, old: str, new: str, expected: str
) -> None:
    edit(project, SC, old, new)
    line = line_of(project, SC, new)
    assert warnings_for(check, project, SC) == [f"{SC}:{expected.format(line=line)}"]


def test_reading_grade_of_a_file_stands_at_the_text_that_raises_it_most(
    project: Path, check: Check, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real texts are far below grade 8; a lower aim makes one hard sentence enough.
    # SMOG of the whole file: 54 sentences, 9 words of 3 or more syllables,
    # 1.043 * sqrt(9 * 30 / 54) + 3.1291 = 5.46.
    monkeypatch.setattr(rules, "MAX_GRADE", 4.0)
    hard = "      - Breathe in. Consolidate intervertebral decompression progressively."
    edit(
        project,
        SC,
        "      - Breathe in deeply and slowly. Fill your chest from top to bottom, within reason.",
        hard,
    )
    line = line_of(project, SC, hard)
    assert warnings_for(check, project, SC) == [
        f"{SC}:{line}:9: phases.0.steps.3: warning: reading grade too high: Flesch-Kincaid 2.1, "
        "SMOG 5.5 (aim for 4 or lower); this text raises it most"
    ]


def test_finding_in_a_single_text_written_without_a_list_stands_at_it(
    project: Path, check: Check
) -> None:
    edit(project, SC, "not_suitable_for:\n  - Strong", "not_suitable_for: Strong")
    edit(project, SC, "Lie on the rack without exercises first.", f"{LONG}.")
    line = line_of(project, SC, "not_suitable_for: Strong")
    assert warnings_for(check, project, SC) == [
        f"{SC}:{line}:19: not_suitable_for: warning: {LONG_MESSAGE}"
    ]


def test_finding_in_the_shared_texts_stands_at_its_text(project: Path, check: Check) -> None:
    edit(
        project, SHARED, "      - If you feel you have strained a muscle, stop.", f"      - {LONG}."
    )
    line = line_of(project, SHARED, f"      - {LONG}.")
    assert warnings_for(check, project, SHARED) == [
        f"{SHARED}:{line}:9: messages.stop-rule.avoid.0: warning: {LONG_MESSAGE}"
    ]


def test_finding_in_a_pose_description_stands_at_it(project: Path, check: Check) -> None:
    name = "diagrams/poses/crunch-lift.yaml"
    path = project / name
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^description: .*$", f"description: {LONG}", text), "utf-8")
    assert warnings_for(check, project, name) == [
        f"{name}:3:14: description: warning: reading grade too high: Flesch-Kincaid 8.1, "
        "SMOG 3.1 (aim for 8 or lower); this text raises it most",
        f"{name}:3:14: description: warning: {LONG_MESSAGE}",
    ]


def test_under_strict_a_finding_is_printed_and_counted_as_an_error(
    project: Path, check: Check
) -> None:
    edit(project, SC, "purpose: Make the deep", f"purpose: {LONG}. Make the deep")
    code, out, err = check(project, "--strict")
    assert err.splitlines() == [
        f"{SC}:11:10: purpose: {LONG_MESSAGE}",
        "check failed: 1 error(s), 0 warning(s)",
    ]
    assert (code, out) == (1, "")
