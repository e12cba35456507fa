"""The rules a pose and a palette must meet, reported with file, line and column.

A pose must keep every joint within its physiological range, rest the parts
it names on their surfaces, lay the parts it says lie along a surface on it
all along, put its hands where it says, and sink into nothing: a typo of 15
for 150 in a knee is within the knee's range, but it lifts a foot off the
floor.

An exercise's text is held to its pictures through ``CLAIMS``: words in a
phase's caption or steps (or a shared message on a step) that say what the
body does, and the contact or movement the phase's pose must then state.
Every movement a pose states is measured from the pose of the phase before.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from generator.diagrams.colours import MIN_CONTRAST, check_touching
from generator.diagrams.colours import contrast as contrast  # re-exported, as before
from generator.diagrams.colours import luminance as luminance
from generator.diagrams.geometry import (
    ALONG_SEGMENTS,
    HAND_SEGMENTS,
    PART_SEGMENTS,
    SEGMENT_ENDS,
    Figure,
    Furniture,
    movement,
    place_figure,
    touch_gap,
)
from generator.diagrams.kit import Kit
from generator.diagrams.model import Body, Direction, Hand, Part, Pose, Scene, Spot, Surface
from generator.errors import Problem
from generator.model import Exercise, Marker, Phase
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
    yield from check_moves(document, pose)
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
    yield from _check_along(document, pose, figure, furniture, tolerance)
    for hand, where in pose.touches.items():
        for name in HAND_SEGMENTS[hand]:
            gap = touch_gap(figure, name, where)
            if gap > tolerance:
                yield document.problem(
                    ("touches", hand.value),
                    f"the {_label(name)} should touch the {SPOT_WORDS[where]} "
                    f"but is {gap:.1f} cm from it",
                )
    for capsule in figure.capsules:
        depth, surface = min((furniture.clearance(capsule, s), s) for s in surfaces)
        if depth < -tolerance:
            yield document.problem(
                capsule.joint,
                f"the {_label(capsule.name)} goes {-depth:.1f} cm into the {surface}; "
                "check this angle and the placement",
            )


def _check_along(
    document: Document, pose: Pose, figure: Figure, furniture: Furniture, tolerance: float
) -> Iterator[Problem]:
    """Report parts that should lie along a surface but leave it somewhere."""
    surfaces = furniture.surfaces()
    for part, surface in pose.lies_along.items():
        where = ("lies_along", part.value)
        if surface not in surfaces:
            yield document.problem(where, f"there is no {surface} in the '{pose.setting}' setting")
            continue
        worst, at = -math.inf, ""
        for name in ALONG_SEGMENTS[part]:
            gaps = furniture.gaps(figure.capsule(name), surface)
            for i, gap in enumerate(gaps):
                if gap > worst:
                    worst, at = gap, _along_label(name, i / (len(gaps) - 1))
        if worst > tolerance:
            what = "back, from pelvis to shoulders," if part is Part.BACK else part.value
            verb = "are" if part in PLURAL_PARTS else "is"
            how = "leaves it" if math.isinf(worst) else f"{verb} {worst:.1f} cm above it"
            yield document.problem(
                where, f"the {what} should lie along the {surface} but {how} {at}"
            )


PLURAL_PARTS = {Part.FEET, Part.SHINS, Part.HANDS, Part.FOREARMS, Part.THIGHS}


def _along_label(segment: str, fraction: float) -> str:
    """Return where along a segment a point is, in words: "at the shoulders"."""
    if segment not in SEGMENT_ENDS:
        return f"at the {_label(segment)}"
    start, end = SEGMENT_ENDS[segment]
    if fraction <= 0.25:
        return f"at the {start}"
    if fraction >= 0.75:
        return f"at the {end}"
    return f"between the {start} and the {end}"


SPOT_WORDS = {
    Spot.BACK_OF_HEAD: "back of the head",
    Spot.BACK_OF_NEAR_KNEE: "back of the near knee",
    Spot.BACK_OF_FAR_KNEE: "back of the far knee",
}


# --- what the text claims -----------------------------------------------------------------------

MIN_VISIBLE_MOVE = 6.0
"""Least movement (cm) of a point between two phases that a reader sees at a glance (at web
size, 18 CSS pixels)."""


@dataclass(frozen=True)
class Claim:
    """Words of a phase's text, and what the pose drawn for the phase must then state."""

    phrases: tuple[str, ...]
    """Lower-case words found in the phase's caption or in one of its steps."""
    refs: tuple[str, ...] = ()
    """Shared messages which, on one of the phase's steps, make the same claim."""
    rests: tuple[tuple[Part, Surface], ...] = ()
    """Parts in ``rests_on`` (or ``lies_along``) with that surface."""
    along: tuple[tuple[Part, Surface], ...] = ()
    """Parts in ``lies_along`` with that surface."""
    touches: tuple[tuple[Hand, Spot], ...] = ()
    """Entries of ``touches``."""
    moves: tuple[tuple[Marker, Direction], ...] = ()
    """Entries of ``moves`` (of at least ``MIN_VISIBLE_MOVE``)."""


CLAIMS: tuple[Claim, ...] = (
    Claim(
        ("hold that leg behind the knee", "hold each leg behind the knee"),
        refs=("hold-behind-knee",),
        touches=((Hand.NEAR_HAND, Spot.BACK_OF_NEAR_KNEE),),
    ),
    Claim(
        ("hold each leg behind the knee",),
        touches=((Hand.FAR_HAND, Spot.BACK_OF_FAR_KNEE),),
    ),
    Claim(
        ("hands behind your head", "hands hold your head", "hands hold the weight of your head"),
        touches=((Hand.HANDS, Spot.BACK_OF_HEAD),),
    ),
    Claim(
        ("feet on the floor", "feet rest on the floor", "foot rests on the floor"),
        rests=((Part.FEET, Surface.FLOOR),),
    ),
    Claim(
        (
            "lie on the rack",
            "lie on your back",
            "lies along the rack",
            "into the starting position",
            "reach the starting position",
        ),
        along=((Part.BACK, Surface.RACK),),
    ),
    Claim(
        ("lift your upper back, shoulders and head", "upper back, shoulders and head lift"),
        moves=((Marker.SHOULDER, Direction.UP), (Marker.HEAD, Direction.UP)),
        rests=((Part.PELVIS, Surface.RACK),),
    ),
    Claim(("lower your upper body",), moves=((Marker.SHOULDER, Direction.DOWN),)),
    Claim(("knee up toward your chest",), moves=((Marker.NEAR_KNEE, Direction.TOWARD_CHEST),)),
    Claim(
        ("both knees up toward your chest",),
        moves=(
            (Marker.NEAR_KNEE, Direction.TOWARD_CHEST),
            (Marker.FAR_KNEE, Direction.TOWARD_CHEST),
        ),
    ),
    Claim(("kneel",), rests=((Part.SHINS, Surface.FLOOR),)),
    Claim(
        ("sit in the middle of the end", "sit in the curve"), rests=((Part.PELVIS, Surface.RACK),)
    ),
    Claim(
        ("slide or roll backward along the rack",),
        moves=((Marker.HIP, Direction.TOWARD_HEAD_END),),
    ),
    Claim(
        ("lean back into the upper curve",),
        rests=((Part.BACK, Surface.RACK),),
    ),
)
"""What a phase's words claim about the body, and what its pose must state for it. Words are
matched in the caption and the steps (not in mistakes, which say what not to do)."""


def _said(claim: Claim, phase: Phase) -> str | None:
    """Return the words of the phase that make the claim, or ``None``."""
    texts = [phase.caption or "", *(step.text for step in phase.steps)]
    for text in texts:
        lower = text.lower()
        for phrase in claim.phrases:
            if phrase in lower:
                return phrase
    for step in phase.steps:
        for entry in step.safety:
            if entry.ref in claim.refs:
                return f"the message '{entry.ref}'"
    return None


def _missing(claim: Claim, pose: Pose) -> Iterator[str]:
    """Yield, as a pose field, each thing the claim needs that the pose does not state."""
    for part, surface in claim.rests:
        if surface not in (pose.rests_on.get(part), pose.lies_along.get(part)):
            yield f"rests_on: {{{part}: {surface}}}"
    for part, surface in claim.along:
        if pose.lies_along.get(part) != surface:
            yield f"lies_along: {{{part}: {surface}}}"
    for hand, where in claim.touches:
        both = pose.touches.get(Hand.HANDS) if hand is not Hand.HANDS else None
        if where not in (pose.touches.get(hand), both):
            yield f"touches: {{{hand}: {where}}}"
    for marker, direction in claim.moves:
        if not any(
            m.part is marker and m.direction is direction and m.at_least >= MIN_VISIBLE_MOVE
            for m in pose.moves
        ):
            yield (
                f"moves: [{{part: {marker}, direction: {direction}, "
                f"at_least: {MIN_VISIBLE_MOVE:g}}}]"
            )


def check_claims(document: Document, exercise: Exercise, index: int, kit: Kit) -> Iterator[Problem]:
    """Report what a phase's text says the body does that its pose does not state, and
    movements the pose states that the drawing does not make."""
    phase = exercise.phases[index]
    pose = kit.poses[phase.pose]
    where = ("phases", index, "pose")
    for claim in CLAIMS:
        said = _said(claim, phase)
        if said is None:
            continue
        for field in _missing(claim, pose):
            yield document.value_problem(
                where,
                f"the text says '{said}', but pose '{pose.id}' does not state it; "
                f"add {field} to diagrams/poses/{pose.id}.yaml",
            )
    if index == 0:
        return
    before = exercise.phases[index - 1].pose
    if before not in kit.poses:
        return
    for move in pose.moves:
        went = movement(kit.figure(before), kit.figure(phase.pose), move)
        if went < move.at_least:
            yield document.value_problem(
                where,
                f"pose '{pose.id}' says the {move.part} moves {move.direction} at least "
                f"{move.at_least:g} cm from the phase before (pose '{before}'), "
                f"but it moves {went:.1f} cm",
            )


def check_moves(document: Document, pose: Pose) -> Iterator[Problem]:
    """Report movements too small to be seen."""
    for i, move in enumerate(pose.moves):
        if move.at_least < MIN_VISIBLE_MOVE:
            yield document.value_problem(
                ("moves", i, "at_least"),
                f"a movement of {move.at_least:g} cm is hard to see; "
                f"state at least {MIN_VISIBLE_MOVE:g} cm",
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
