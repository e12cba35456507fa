"""Posture diagrams: the body model, the pose rules, and the SVG drawn from them.

Golden SVGs live in ``tests/golden/diagrams``; after an intended change to the
drawing, refresh them with ``make golden`` and look at the difference.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO, STOMACH_CRUNCH, Check, edit, problem_lines

from generator.diagrams.check import check_contacts, check_limits, contrast
from generator.diagrams.geometry import _interpolate, pose_figure, smooth_profile
from generator.diagrams.kit import Kit
from generator.diagrams.model import Pose
from generator.diagrams.render import Drawn, draw_exercise, draw_phase
from generator.sources.catalogue import Catalogue
from generator.sources.load import load_document
from generator.sources.validate import load_catalogue

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = Path(__file__).parent / "golden" / "diagrams"
GOLDEN_PHASES = [
    ("stomach-crunch", "lift"),
    ("single-leg-raise", "raise"),
    ("getting-on", "kneel"),
]
POSES = sorted(p.stem for p in (REPO / "diagrams" / "poses").glob("*.yaml"))

# Drillis and Contini, as printed in Winter, Biomechanics and Motor Control of
# Human Movement, Fig. 4.1: segment lengths as shares of body height H.
WINTER = {
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.108,
    "thigh": 0.245,
    "shank": 0.246,
    "foot": 0.152,
    "head": 0.130,
    "neck": 0.052,
}
WINTER_LEVELS = {"ankle": 0.039, "hip": 0.530, "shoulder": 0.818, "chin": 0.870}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


@pytest.fixture(scope="module")
def kit(catalogue: Catalogue) -> Kit:
    return catalogue.kit


@pytest.fixture(scope="module")
def drawings(catalogue: Catalogue) -> list[Drawn]:
    return [d for e in catalogue.published for d in draw_exercise(catalogue.kit, e)]


def standing(kit: Kit) -> Pose:
    """Return an upright pose with every joint at zero."""
    limb = dict.fromkeys(("shoulder", "elbow", "wrist", "hip", "knee", "ankle"), 0)
    return Pose.model_validate(
        {
            "id": "standing",
            "description": "standing",
            "setting": "floor",
            "place": {"x": 0},
            "trunk": 90,
            "joints": {"spine": 0, "neck": 0, "head": 0, "near": limb, "far": limb},
            "rests_on": {"feet": "floor"},
        }
    )


# --- the body model ---------------------------------------------------------------------------


def test_segment_lengths_follow_the_anthropometric_table(kit: Kit) -> None:
    for name, share in WINTER.items():
        assert getattr(kit.body.segments, name).length == share, name
    height = kit.body.height
    figure = pose_figure(kit.body, standing(kit), (0.0, 0.0))
    p = figure.points
    pairs = {
        "thigh": ("hip", "near.knee"),
        "shank": ("near.knee", "near.ankle"),
        "upper_arm": ("shoulder", "near.elbow"),
        "forearm": ("near.elbow", "near.wrist"),
        "hand": ("near.wrist", "near.fingertip"),
        "foot": ("near.heel", "near.toe"),
    }
    for name, (a, b) in pairs.items():
        assert math.dist(p[a], p[b]) == pytest.approx(WINTER[name] * height), name


def test_a_standing_figure_has_the_tables_joint_heights(kit: Kit) -> None:
    h = kit.body.height
    figure = pose_figure(kit.body, standing(kit), (0.0, 0.0))
    sole = figure.points["near.heel"][1] - kit.body.radius("foot")
    level = {name: (y - sole) / h for name, (x, y) in figure.points.items()}
    assert level["near.ankle"] == pytest.approx(WINTER_LEVELS["ankle"], abs=0.001)
    assert level["hip"] == pytest.approx(WINTER_LEVELS["hip"], abs=0.001)
    assert level["shoulder"] == pytest.approx(WINTER_LEVELS["shoulder"], abs=0.003)
    assert level["neck"] == pytest.approx(WINTER_LEVELS["chin"], abs=0.003)
    top = (figure.points["head"][1] + figure.head_radius - sole) / h
    assert top == pytest.approx(1.0, abs=0.003)
    assert figure.points["near.toe"][0] < figure.points["near.heel"][0]  # faces left


# --- every real pose passes -------------------------------------------------------------------


@pytest.mark.parametrize("name", POSES)
def test_every_pose_is_within_limits_and_rests_where_it_says(kit: Kit, name: str) -> None:
    document, problems = load_document(REPO / "diagrams" / "poses" / f"{name}.yaml", REPO)
    assert document is not None and not problems
    pose = Pose.model_validate(document.data)
    assert pose.id in kit.poses
    assert list(check_limits(document, pose, kit.body)) == []
    assert list(check_contacts(document, pose, kit.body, kit.scene)) == []


def test_every_phase_of_every_exercise_names_a_known_pose(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        for phase in exercise.phases:
            assert phase.pose in catalogue.kit.poses, (exercise.id, phase.id)


def test_every_colour_has_three_to_one_contrast_against_the_background(kit: Kit) -> None:
    palette = kit.scene.palette.model_dump()
    background = palette.pop("background")
    for name, colour in palette.items():
        assert contrast(colour, background) >= 3.0, name


# --- broken poses: one of each kind, with position --------------------------------------------

POSE = "diagrams/poses/starting-position.yaml"


def position(root: Path, name: str, needle: str, after: str = "") -> tuple[int, int]:
    """Return the 1-based line and column of ``needle`` (searched after ``after``)."""
    text = (root / name).read_text(encoding="utf-8")
    offset = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def rejected(check: Check, root: Path, name: str) -> list[str]:
    """Run ``check``, expect it to fail, and return the problems it printed for ``name``."""
    code, _, err = check(root)
    assert code == 1, err
    return problem_lines(err, name)


def set_near_knee(root: Path, degrees: int) -> None:
    """Set the near knee angle of the starting-position pose in ``root``."""
    path = root / POSE
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(near: \{[^}]*knee: )[\d.]+", rf"\g<1>{degrees}", text, count=1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_a_joint_outside_its_range_is_an_error_at_the_angle(project: Path, check: Check) -> None:
    set_near_knee(project, 165)
    line, column = position(project, POSE, "165")
    assert rejected(check, project, POSE) == [
        f"{POSE}:{line}:{column}: joints.near.knee: knee angle 165° is outside the range "
        "the body allows (0° to 150°)"
    ]


def test_a_typo_within_the_range_is_caught_by_contact(project: Path, check: Check) -> None:
    """A knee of 15 instead of 115 is a valid angle, but the foot no longer reaches the floor."""
    set_near_knee(project, 15)
    lines = rejected(check, project, POSE)
    line, column = position(project, POSE, "feet: floor")
    assert len(lines) == 1, lines
    assert re.fullmatch(
        rf"{POSE}:{line}:{column}: lies_along\.feet: the feet should lie along the floor "
        r"but are \d+\.\d cm above it at the near foot",
        lines[0],
    ), lines


def test_a_segment_sunk_into_the_rack_is_an_error(project: Path, check: Check) -> None:
    edit(project, POSE, "place: {x: 17.5}", "place: {x: 17.5, y: 4}")
    lines = rejected(check, project, POSE)
    line, column = position(project, POSE, "trunk:")
    assert any(
        re.fullmatch(
            rf"{POSE}:{line}:{column}: trunk: the lower trunk goes \d+\.\d cm into the rack; "
            "check this angle and the placement",
            entry,
        )
        for entry in lines
    ), lines


def test_an_unknown_pose_name_is_an_error_with_a_suggestion(project: Path, check: Check) -> None:
    edit(project, STOMACH_CRUNCH, "pose: crunch-lift", "pose: crunch-lfit")
    line, column = position(project, STOMACH_CRUNCH, "crunch-lfit")
    assert rejected(check, project, STOMACH_CRUNCH) == [
        f"{STOMACH_CRUNCH}:{line}:{column}: phases.1.pose: unknown pose 'crunch-lfit'; "
        "did you mean 'crunch-lift'?"
    ]


def test_a_phase_without_a_pose_is_an_error_at_the_phase(project: Path, check: Check) -> None:
    edit(project, STOMACH_CRUNCH, "    pose: crunch-lift\n", "")
    line, column = position(project, STOMACH_CRUNCH, "id: lift")
    assert rejected(check, project, STOMACH_CRUNCH) == [
        f"{STOMACH_CRUNCH}:{line}:{column}: phases.1: required field 'pose' is missing"
    ]


def test_an_arrow_on_the_last_phase_is_an_error(project: Path, check: Check) -> None:
    edit(
        project,
        STOMACH_CRUNCH,
        "      breath: in\n    caption: Lower back down",
        "      arrow: head\n    caption: Lower back down",
    )
    line, column = position(project, STOMACH_CRUNCH, "head", after="id: return")
    assert rejected(check, project, STOMACH_CRUNCH) == [
        f"{STOMACH_CRUNCH}:{line}:{column}: phases.2.overlay.arrow: "
        "the last phase has no next phase for the arrow to point to"
    ]


def test_an_arrow_for_a_point_that_hardly_moves_is_an_error(project: Path, check: Check) -> None:
    name = "content/exercises/getting-on.yaml"
    edit(
        project,
        name,
        "    pose: getting-on-sit\n",
        "    pose: getting-on-sit\n    overlay: {arrow: hip}\n",
    )
    line, column = position(project, name, "hip}")
    assert rejected(check, project, name) == [
        f"{name}:{line}:{column}: phases.1.overlay.arrow: "
        "the hip hardly moves between this phase and the next; drop the arrow"
    ]


def test_a_colour_with_too_little_contrast_is_an_error(project: Path, check: Check) -> None:
    scene = "diagrams/scene.yaml"
    text = (project / scene).read_text(encoding="utf-8")
    far = re.search(r'  far: "(#[0-9a-f]{6})"', text)
    assert far is not None
    edit(project, scene, f'far: "{far.group(1)}"', 'far: "#c8c8c8"')
    line, column = position(project, scene, '"#c8c8c8"')
    assert rejected(check, project, scene) == [
        f"{scene}:{line}:{column}: palette.far: colour #c8c8c8 has 1.67:1 contrast against "
        "the background #ffffff; it needs at least 3:1"
    ]


# --- the SVG ---------------------------------------------------------------------------------


def parse(drawn: Drawn) -> ET.Element:
    return ET.fromstring(drawn.svg)


def test_every_published_phase_has_a_diagram(catalogue: Catalogue, drawings: list[Drawn]) -> None:
    expected = [(e.id, p.id) for e in catalogue.published for p in e.phases]
    assert [(d.exercise, d.phase) for d in drawings] == expected


def test_svgs_are_self_contained_accessible_and_small(drawings: list[Drawn]) -> None:
    for drawn in drawings:
        root = parse(drawn)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert re.fullmatch(r"-?\d+ -?\d+ \d+ \d+", root.get("viewBox") or "")
        title, desc = root[0], root[1]
        assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert desc.text == drawn.alt and (title.text or "").strip()
        for element in root.iter():
            assert element.tag.split("}")[1] not in ("script", "image", "foreignObject", "use")
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), name
                assert "href" not in name and "url(" not in value, (name, value)
        assert "style" not in drawn.svg
        assert re.search(r"\d\.\d\d", drawn.svg) is None, "coordinates are rounded to 0.1"
        assert len(drawn.svg.encode()) < 8 * 1024, (drawn.path, len(drawn.svg))


def test_ids_are_unique_across_all_diagrams(drawings: list[Drawn]) -> None:
    ids = [e.get("id") for d in drawings for e in parse(d).iter() if e.get("id")]
    assert ids and len(ids) == len(set(ids))


def test_the_description_names_the_exercise_phase_and_posture(catalogue: Catalogue) -> None:
    exercise = catalogue.get("stomach-crunch")
    assert exercise is not None
    drawn = draw_phase(catalogue.kit, exercise, 1)
    assert drawn.alt.startswith(
        "Stomach crunch, lift: lying face up on the rack, knees bent, upper back, shoulders and "
        "head lifted a little, eyes up. The pelvis and lower back lie along the rack."
    )
    assert "The lower back is marked" in drawn.alt and "breathe out" in drawn.alt


def test_text_in_a_diagram_is_escaped(catalogue: Catalogue) -> None:
    exercise = catalogue.get("stomach-crunch")
    assert exercise is not None
    hostile = 'Crunch <script>alert("x")</script> & </title>'
    drawn = draw_phase(catalogue.kit, exercise.model_copy(update={"title": hostile}), 0)
    root = parse(drawn)
    assert (root[0].text or "").startswith(hostile)
    assert "<script" not in drawn.svg


def test_the_same_pose_data_gives_byte_identical_svg(catalogue: Catalogue) -> None:
    again, _ = load_catalogue(REPO)
    assert again is not None
    for exercise in catalogue.published:
        first = [d.svg for d in draw_exercise(catalogue.kit, exercise)]
        second = [d.svg for d in draw_exercise(again.kit, exercise)]
        assert first == second


@pytest.mark.parametrize(("exercise_id", "phase_id"), GOLDEN_PHASES)
def test_golden_svg(catalogue: Catalogue, exercise_id: str, phase_id: str) -> None:
    exercise = catalogue.get(exercise_id)
    assert exercise is not None
    index = [p.id for p in exercise.phases].index(phase_id)
    svg = draw_phase(catalogue.kit, exercise, index).svg
    path = GOLDEN / f"{exercise_id}-{phase_id}.svg"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == svg, "golden SVG differs; refresh: make golden"


def test_a_pose_description_is_held_to_the_plain_language_rules(
    project: Path, check: Check
) -> None:
    """The description is read out as the diagram's text alternative, so it must be plain."""
    long = " ".join(["lying still on the rack"] * 5)
    path = project / POSE
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^description: .*$", f"description: {long}", text), "utf-8")
    warning = (
        f"{POSE}:3:14: description: warning: sentence of 25 words (aim for 20 or fewer): "
        f"'{long[:60]}…'"
    )
    code, _, err = check(project)
    assert code == 0 and warning in problem_lines(err, POSE)
    code, _, err = check(project, "--strict")  # counted, and so printed, as an error
    assert code == 1 and warning.replace("warning: ", "", 1) in problem_lines(err, POSE)


def test_rack_height_by_bisection_equals_the_scan_along_the_curve(catalogue: Catalogue) -> None:
    curve = smooth_profile(catalogue.kit.scene)
    xs = [x for x, _ in curve]
    assert xs == sorted(xs)
    between = (a + (b - a) * f for a, b in itertools.pairwise(xs) for f in (0.25, 0.5, 0.9))
    probes = [*xs, *between]
    probes += [xs[0] - 1.0, xs[-1] + 1.0]
    for x in probes:
        assert _interpolate(curve, x, xs) == _interpolate(curve, x), x
