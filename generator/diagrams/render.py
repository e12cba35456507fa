"""Draw the diagram of every phase: pose, scene and overlays, with its text alternative."""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagrams.geometry import (
    Furniture,
    breath_arrow,
    movement_arrow,
    pressure_band,
)
from generator.diagrams.kit import Kit
from generator.diagrams.model import Direction, Hand, Part, Pose, Spot
from generator.diagrams.svg import Diagram, frame, render_svg
from generator.model import Breath, Exercise, Marker, Phase, Zone
from generator.outputs import paths

MARKER_WORDS = {
    Marker.HEAD: "head",
    Marker.SHOULDER: "shoulders",
    Marker.HIP: "hips",
    Marker.NEAR_KNEE: "knee",
    Marker.FAR_KNEE: "knee",
    Marker.NEAR_FOOT: "foot",
    Marker.FAR_FOOT: "foot",
    Marker.NEAR_HAND: "hand",
    Marker.FAR_HAND: "hand",
}
PART_WORDS = {
    Part.PELVIS: "pelvis",
    Part.BACK: "back",
    Part.HEAD: "head",
    Part.NECK: "neck",
    Part.FEET: "feet",
    Part.NEAR_FOOT: "near foot",
    Part.FAR_FOOT: "far foot",
    Part.SHINS: "shins",
    Part.HANDS: "hands",
    Part.NEAR_HAND: "near hand",
    Part.FAR_HAND: "far hand",
    Part.FOREARMS: "forearms",
    Part.THIGHS: "thighs",
}
PLURAL = {Part.FEET, Part.SHINS, Part.HANDS, Part.FOREARMS, Part.THIGHS}
ALONG_WORDS = {
    Part.BACK: "The back lies along the {surface} from pelvis to shoulders.",
    Part.PELVIS: "The pelvis and lower back lie along the {surface}.",
    Part.FEET: "The feet are flat on the {surface}.",
    Part.NEAR_FOOT: "The near foot is flat on the {surface}.",
    Part.FAR_FOOT: "The far foot is flat on the {surface}.",
}
HAND_WORDS = {Hand.HANDS: "hands", Hand.NEAR_HAND: "near hand", Hand.FAR_HAND: "far hand"}
MOVE_WORDS = {
    Marker.HEAD: "the head",
    Marker.SHOULDER: "the shoulders",
    Marker.HIP: "the hips",
    Marker.NEAR_KNEE: "the near knee",
    Marker.FAR_KNEE: "the far knee",
    Marker.NEAR_FOOT: "the near foot",
    Marker.FAR_FOOT: "the far foot",
    Marker.NEAR_HAND: "the near hand",
    Marker.FAR_HAND: "the far hand",
}
DIRECTION_WORDS = {
    Direction.UP: "higher",
    Direction.DOWN: "lower",
    Direction.TOWARD_HEAD_END: "further along the rack, toward its head end",
    Direction.TOWARD_FOOT_END: "nearer the rack's foot end",
    Direction.TOWARD_CHEST: "closer to the chest",
}
ZONE_WORDS = {
    Zone.LUMBAR: "lower back",
    Zone.THORACIC: "middle and upper back",
    Zone.NECK: "neck",
}


@dataclass(frozen=True)
class Drawn:
    """One phase's diagram, ready to write and to show."""

    exercise: str
    phase: str
    svg: str
    """The SVG document."""
    alt: str
    """Its text alternative (the same text as its ``<desc>``)."""
    width: int
    height: int
    """Size in CSS pixels."""

    @property
    def path(self) -> str:
        """Return where it goes below the site folder."""
        return paths.diagram(self.exercise, self.phase)


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym keeps its capitals
    return text[:1].lower() + text[1:]


def contact_sentences(pose: Pose, after_a_phase: bool = True) -> list[str]:
    """Return the pose's stated contacts (and its movements from the phase before, when
    there is one) in words: what the check holds the drawing to, and nothing else."""
    out = []
    for part, surface in pose.lies_along.items():
        template = ALONG_WORDS.get(part)
        if template is None:
            verb = "lie" if part in PLURAL else "lies"
            template = f"The {PART_WORDS[part]} {verb} along the {{surface}}."
        out.append(template.format(surface=surface))
    for part, surface in pose.rests_on.items():
        verb = "rest" if part in PLURAL else "rests"
        out.append(f"The {PART_WORDS[part]} {verb} on the {surface}.")
    for hand, where in pose.touches.items():
        if where is Spot.BACK_OF_HEAD:
            verb = "are" if hand is Hand.HANDS else "is"
            out.append(f"The {HAND_WORDS[hand]} {verb} behind the head.")
        else:
            verb = "hold" if hand is Hand.HANDS else "holds"
            knee = "near" if where is Spot.BACK_OF_NEAR_KNEE else "far"
            out.append(f"The {HAND_WORDS[hand]} {verb} the back of the {knee} knee.")
    if after_a_phase and pose.moves:
        changes = []
        for move in pose.moves:
            words = MOVE_WORDS[move.part]
            verb = "are" if words.endswith("s") else "is"
            changes.append(f"{words} {verb} {DIRECTION_WORDS[move.direction]}")
        joined = ", ".join(changes[:-1]) + (" and " if len(changes) > 1 else "") + changes[-1]
        out.append(f"Compared with the picture before, {joined}.")
    return out


def describe(
    exercise: Exercise, phase: Phase, pose_description: str, contacts: list[str] | None = None
) -> str:
    """Return the text alternative of a phase's diagram: the posture, the contacts its pose
    states (held to the drawing by the check) and the overlays."""
    text = f"{exercise.title}, {_lower_first(phase.title)}: {pose_description}."
    for sentence in contacts or []:
        text += f" {sentence}"
    overlay = phase.overlay
    if overlay.pressure is not None:
        text += f" The {ZONE_WORDS[overlay.pressure]} is marked: this is where the rack presses."
    if overlay.arrow is not None:
        text += f" An arrow shows the {MARKER_WORDS[overlay.arrow]} moving to the next position."
    if overlay.breath is not None:
        way = "in" if overlay.breath is Breath.IN else "out"
        text += f" An arrow at the nose means: breathe {way}."
    return text


def draw_phase(kit: Kit, exercise: Exercise, index: int) -> Drawn:
    """Return the diagram of one phase of an exercise."""
    phase = exercise.phases[index]
    pose = kit.poses[phase.pose]
    figure = kit.figure(phase.pose)
    overlay = phase.overlay
    arrow = None
    if overlay.arrow is not None and index + 1 < len(exercise.phases):
        target = kit.figure(exercise.phases[index + 1].pose).marker(overlay.arrow)
        arrow = movement_arrow(figure.marker(overlay.arrow), target)
    diagram = Diagram(
        ident=f"diagram-{exercise.id}-{phase.id}",
        title=f"{exercise.title}: {phase.title}",
        description=describe(
            exercise, phase, pose.description, contact_sentences(pose, after_a_phase=index > 0)
        ),
        figure=figure,
        furniture=Furniture(kit.scene, pose.setting),
        pressure=pressure_band(figure, overlay.pressure) if overlay.pressure else None,
        arrow=arrow,
        breath=breath_arrow(figure, overlay.breath) if overlay.breath else None,
    )
    width, height = frame(diagram).pixels
    return Drawn(exercise.id, phase.id, render_svg(diagram), diagram.description, width, height)


def draw_exercise(kit: Kit, exercise: Exercise) -> list[Drawn]:
    """Return the diagrams of every phase of an exercise, in phase order.

    Called once per exercise and build, by ``outputs/view.py``; every output
    takes the drawings from the exercise's view.
    """
    return [draw_phase(kit, exercise, i) for i in range(len(exercise.phases))]
