"""The rules a pose and a palette must meet, reported with file, line and column.

A pose must keep every joint within its physiological range, rest the parts
it names on their surfaces, and sink into nothing: a typo of 15 for 150 in a
knee is within the knee's range, but it lifts a foot off the floor.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagrams.colours import MIN_CONTRAST, check_touching
from generator.diagrams.colours import contrast as contrast  # re-exported, as before
from generator.diagrams.colours import luminance as luminance
from generator.diagrams.geometry import PART_SEGMENTS, Furniture, place_figure
from generator.diagrams.model import Body, Pose, Scene
from generator.errors import Problem
from generator.sources.load import Document


def joint_values(pose: Pose) -> Iterator[tuple[tuple[str, ...], str, float]]:
    """Yield each joint angle of a pose with its field path and limit name."""
    for name in ("spine", "neck", "head"):
        yield ("joints", name), name, getattr(pose.joints, name)
    for side in ("near", "far"):
        limb = getattr(pose.joints, side)
        for name in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle"):
            yield ("joints", side, name), name, getattr(limb, name)


def check_limits(document: Document, pose: Pose, body: Body) -> Iterator[Problem]:
    """Report every joint angle outside its physiological range."""
    for path, name, value in joint_values(pose):
        low, high = getattr(body.limits, name)
        if not low <= value <= high:
            yield document.value_problem(
                path,
                f"{name} angle {value:g}° is outside the range the body allows "
                f"({low:g}° to {high:g}°)",
            )


def _label(segment: str) -> str:
    return segment.replace(".", " ").replace("_", " ")


def check_contacts(document: Document, pose: Pose, body: Body, scene: Scene) -> Iterator[Problem]:
    """Report parts that should rest on a surface but do not, and parts that sink in."""
    figure = place_figure(body, scene, pose)
    furniture = Furniture(scene, pose.setting)
    tolerance = scene.contact_tolerance
    surfaces = furniture.surfaces()
    for part, surface in pose.rests_on.items():
        if surface not in surfaces:
            yield document.problem(
                ("rests_on", part.value),
                f"there is no {surface} in the '{pose.setting}' setting",
            )
            continue
        for group in PART_SEGMENTS[part]:
            gap = min(furniture.clearance(figure.capsule(name), surface) for name in group)
            if gap > tolerance:
                what = _label(group[0]) if len(PART_SEGMENTS[part]) > 1 else part.value
                yield document.problem(
                    ("rests_on", part.value),
                    f"the {what} should rest on the {surface} but is {gap:.1f} cm above it",
                )
    for capsule in figure.capsules:
        depth, surface = min((furniture.clearance(capsule, s), s) for s in surfaces)
        if depth < -tolerance:
            yield document.problem(
                capsule.joint,
                f"the {_label(capsule.name)} goes {-depth:.1f} cm into the {surface}; "
                "check this angle and the placement",
            )


def check_palette(document: Document, scene: Scene) -> Iterator[Problem]:
    """Report colours with less than 3:1 contrast against the background."""
    palette = scene.palette
    for name, colour in palette.model_dump().items():
        if name == "background":
            continue
        ratio = contrast(colour, palette.background)
        if ratio < MIN_CONTRAST:
            yield document.value_problem(
                ("palette", name),
                f"colour {colour} has {ratio:.2f}:1 contrast against the background "
                f"{palette.background}; it needs at least {MIN_CONTRAST:g}:1",
            )
    yield from check_touching(document, scene)
