"""Poses state what the text claims, and the check holds the drawing to it: hands behind the
knee or the head, a back that lies along the rack, visible movements between phases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, Check, edit, problem_lines

from generator.diagrams.check import MIN_VISIBLE_MOVE
from generator.diagrams.geometry import Furniture
from generator.diagrams.model import Surface
from generator.diagrams.render import draw_phase
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue

RAISED = "diagrams/poses/single-leg-raise-raised.yaml"
LYING = "diagrams/poses/starting-position.yaml"

LYING_PHASES = [
    ("starting-position", "starting-position"),
    ("single-leg-raise", "starting-position"),
    ("single-leg-raise", "raise"),
    ("single-leg-raise", "lower"),
    ("double-leg-raise", "starting-position"),
    ("double-leg-raise", "raise"),
    ("double-leg-raise", "lower"),
    ("stomach-crunch", "preparation"),
    ("stomach-crunch", "return"),
    ("lean-back", "finish"),
    ("getting-on", "roll-down"),
]
"""Phases whose text says the person lies on the rack (lying face up, the back on it)."""


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


def position(root: Path, name: str, needle: str) -> tuple[int, int]:
    """Return the 1-based line and column of ``needle``, which occurs once in ``name``."""
    text = (root / name).read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def rejected(check: Check, root: Path, name: str) -> list[str]:
    code, _, err = check(root)
    assert code == 1, err
    return problem_lines(err, name)


def test_a_hand_on_the_shin_instead_of_behind_the_knee_fails_at_the_contact(
    project: Path, check: Check
) -> None:
    # Reach the hand to the middle of the shin (the grip the CAUTION forbids).
    text = (project / RAISED).read_text(encoding="utf-8")
    changed = re.sub(
        r"near: \{shoulder: [-\d.]+, elbow: [-\d.]+, wrist: [-\d.]+,",
        "near: {shoulder: 45, elbow: 20, wrist: 0,",
        text,
    )
    assert changed != text
    (project / RAISED).write_text(changed, encoding="utf-8")
    line, column = position(project, RAISED, "near-hand: back-of-near-knee")
    lines = rejected(check, project, RAISED)
    assert len(lines) == 1, lines
    assert re.fullmatch(
        rf"{RAISED}:{line}:{column}: touches\.near-hand: the near hand should touch the back "
        r"of the near knee but is \d+\.\d cm from it",
        lines[0],
    ), lines


def test_a_back_that_lifts_off_the_rack_fails_at_lies_along(project: Path, check: Check) -> None:
    # Bend the spine forward: the shoulders rise off the rack, as in a half-crunch.
    edit(project, LYING, "  spine: -8\n", "  spine: 10\n")
    line, column = position(project, LYING, "back: rack")
    lines = rejected(check, project, LYING)
    assert any(
        re.fullmatch(
            rf"{LYING}:{line}:{column}: lies_along\.back: the back, from pelvis to shoulders, "
            r"should lie along the rack but is \d+\.\d cm above it at the shoulders",
            entry,
        )
        for entry in lines
    ), lines


def test_a_phase_whose_text_says_behind_the_knee_needs_the_contact(
    project: Path, check: Check
) -> None:
    edit(project, RAISED, "touches:\n  near-hand: back-of-near-knee\n", "")
    name = "content/exercises/single-leg-raise.yaml"
    line, column = position(project, name, "single-leg-raise-raised")
    assert rejected(check, project, name) == [
        f"{name}:{line}:{column}: phases.1.pose: the text says 'hold that leg behind the "
        "knee', but pose 'single-leg-raise-raised' does not state it; add touches: "
        "{near-hand: back-of-near-knee} to diagrams/poses/single-leg-raise-raised.yaml"
    ]


def test_a_stated_movement_that_the_drawing_does_not_make_fails(
    project: Path, check: Check
) -> None:
    edit(
        project,
        "diagrams/poses/crunch-lift.yaml",
        "{part: shoulder, direction: up, at_least: 8}",
        "{part: shoulder, direction: up, at_least: 30}",
    )
    name = "content/exercises/stomach-crunch.yaml"
    line, column = position(project, name, "crunch-lift")
    lines = rejected(check, project, name)
    assert len(lines) == 1, lines
    assert re.fullmatch(
        rf"{name}:{line}:{column}: phases\.1\.pose: pose 'crunch-lift' says the shoulder moves "
        r"up at least 30 cm from the phase before \(pose 'crunch-preparation'\), "
        r"but it moves \d+\.\d cm",
        lines[0],
    ), lines


@pytest.mark.parametrize(("exercise_id", "phase_id"), LYING_PHASES)
def test_every_back_point_of_a_lying_phase_is_on_the_rack(
    catalogue: Catalogue, exercise_id: str, phase_id: str
) -> None:
    exercise = catalogue.get(exercise_id)
    assert exercise is not None
    phase = next(p for p in exercise.phases if p.id == phase_id)
    kit = catalogue.kit
    figure = kit.figure(phase.pose)
    furniture = Furniture(kit.scene, kit.poses[phase.pose].setting)
    tolerance = kit.scene.contact_tolerance
    for name in ("lower_trunk", "upper_trunk"):  # pelvis (hip joint) to shoulders
        gaps = furniture.gaps(figure.capsule(name), Surface.RACK)
        assert all(-tolerance <= gap <= tolerance for gap in gaps), (name, gaps)
    # And the shoulders are over the rack, not beyond its head end.
    assert 0 < figure.points["shoulder"][0] < kit.scene.rack.length


def test_the_crunch_lift_raises_shoulders_and_head_clearly(catalogue: Catalogue) -> None:
    kit = catalogue.kit
    ready, lift = kit.figure("crunch-preparation"), kit.figure("crunch-lift")
    for point in ("shoulder", "head"):
        rise = lift.points[point][1] - ready.points[point][1]
        assert rise >= MIN_VISIBLE_MOVE, (point, rise)
    # The lower back stays on the rack: the hip joint does not move.
    assert lift.points["hip"] == pytest.approx(ready.points["hip"], abs=0.1)


def test_the_leg_comes_toward_the_chest(catalogue: Catalogue) -> None:
    kit = catalogue.kit
    lying, raised = kit.figure("starting-position"), kit.figure("single-leg-raise-raised")

    def reach(figure_points: dict[str, tuple[float, float]]) -> float:
        (kx, ky), (sx, sy) = figure_points["near.knee"], figure_points["shoulder"]
        return ((kx - sx) ** 2 + (ky - sy) ** 2) ** 0.5

    assert reach(lying.points) - reach(raised.points) >= 15


def test_the_alt_text_names_the_contacts(catalogue: Catalogue) -> None:
    exercise = catalogue.get("single-leg-raise")
    assert exercise is not None
    alt = draw_phase(catalogue.kit, exercise, 1).alt
    assert "The near hand holds the back of the near knee." in alt
    assert "The back lies along the rack from pelvis to shoulders." in alt
    assert "The far foot is flat on the floor." in alt
    crunch = catalogue.get("stomach-crunch")
    assert crunch is not None
    ready, lift = (draw_phase(catalogue.kit, crunch, i).alt for i in (0, 1))
    assert "The hands are behind the head." in ready and "The hands are behind the head." in lift
    assert "The back lies along the rack from pelvis to shoulders." in ready
    assert "the shoulders are higher and the head is higher" in lift
    assert "Compared with the picture before" not in ready  # the first phase has none


def test_the_rack_length_is_derived_from_the_body_model(catalogue: Catalogue) -> None:
    """0.44 H of the tallest small-rack user (175 cm): 0.100 H to sit and slide back into the
    central curve, then the lower trunk, upper trunk and neck (diagrams/scene.yaml)."""
    segments = catalogue.kit.body.segments
    share = 0.100 + segments.lower_trunk.length + segments.upper_trunk.length
    share += segments.neck.length
    assert catalogue.kit.scene.rack.length == pytest.approx(share * 175, abs=0.5)
    foot_half = [p for p in catalogue.kit.scene.rack.profile if p[0] < 0.3 * 175]
    lowest = min(foot_half, key=lambda p: p[1])
    assert lowest[0] == pytest.approx(0.100 * 175)  # the central curve, under the hip joint


def test_a_hand_behind_the_knee_lies_in_the_bend_of_the_knee_not_over_the_shin() -> None:
    """Seen from the side, the hand that holds the back of a knee reaches into the knee's bend
    (between the thigh and the shank), where a reader sees it, not over the front of the
    shin: the grip the knee caution forbids."""
    import math

    from generator.diagrams.model import Spot

    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    checked = 0
    for name, pose in found.kit.poses.items():
        for hand, where in pose.touches.items():
            if where is Spot.BACK_OF_HEAD:
                continue
            side = "near" if where is Spot.BACK_OF_NEAR_KNEE else "far"
            figure = found.kit.figure(name)
            p = figure.points
            knee = p[f"{side}.knee"]

            def towards(point: tuple[float, float], knee: tuple[float, float] = knee) -> float:
                return math.atan2(point[1] - knee[1], point[0] - knee[0])

            to_hip, to_ankle = towards(p["hip"]), towards(p[f"{side}.ankle"])
            bend = (to_hip - to_ankle) % (2 * math.pi)  # the inside of the knee's angle
            for h in ("near", "far") if hand.value == "hands" else (hand.value.split("-")[0],):
                end = figure.capsule(f"{h}.hand").end
                inside = (towards(end) - to_ankle) % (2 * math.pi)
                assert 0 < inside < bend, (name, h, math.degrees(inside), math.degrees(bend))
                checked += 1
    assert checked >= 2  # the single and the double leg raise
