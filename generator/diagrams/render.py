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


def describe(exercise: Exercise, phase: Phase, pose_description: str) -> str:
    """Return the text alternative of a phase's diagram."""
    text = f"{exercise.title}, {_lower_first(phase.title)}: {pose_description}."
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
        description=describe(exercise, phase, pose.description),
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
