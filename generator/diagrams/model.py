"""Typed records for the diagram data: the body model, the scene and the poses.

Like the exercise model, these receive strings from the strict loader and do
every conversion here. Lengths are in centimetres at the body height given in
``diagrams/body.yaml``; angles are in degrees.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from generator.model import Marker, Slug, Strict, Text

Fraction = Annotated[float, Field(gt=0, lt=1)]
"""A share of body height."""
Angle = Annotated[float, Field(ge=-360, le=360)]
"""Degrees; physiological limits are checked separately, with positions."""
Length = Annotated[float, Field(ge=-1000, le=1000)]
"""Centimetres in the scene."""
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-f]{6}$")]
"""A colour as ``#rrggbb`` in lower case."""


class Surface(StrEnum):
    """What a part of the body can rest on."""

    FLOOR = "floor"
    RACK = "rack"
    BED = "bed"


class Setting(StrEnum):
    """The furniture drawn with the figure (the floor is always drawn)."""

    RACK = "rack"
    BED = "bed"
    FLOOR = "floor"


class Part(StrEnum):
    """Parts of the body a pose says rest on a surface."""

    PELVIS = "pelvis"
    BACK = "back"
    HEAD = "head"
    FEET = "feet"
    NEAR_FOOT = "near-foot"
    FAR_FOOT = "far-foot"
    SHINS = "shins"
    HANDS = "hands"
    NEAR_HAND = "near-hand"
    FAR_HAND = "far-hand"
    FOREARMS = "forearms"
    THIGHS = "thighs"
    NECK = "neck"


class Hand(StrEnum):
    """A hand, or both, that a pose says touches a spot on the body."""

    HANDS = "hands"
    NEAR_HAND = "near-hand"
    FAR_HAND = "far-hand"


class Spot(StrEnum):
    """A place on the body a hand can touch."""

    BACK_OF_HEAD = "back-of-head"
    """The back of the head (hands behind the head)."""
    BACK_OF_NEAR_KNEE = "back-of-near-knee"
    """The hollow behind the near knee, on the side it bends to."""
    BACK_OF_FAR_KNEE = "back-of-far-knee"
    """The hollow behind the far knee."""


class Direction(StrEnum):
    """Which way a point of the figure moves from the phase before."""

    UP = "up"
    DOWN = "down"
    TOWARD_HEAD_END = "toward-head-end"
    """Along the rack, toward its head end (+x)."""
    TOWARD_FOOT_END = "toward-foot-end"
    """Along the rack, toward its foot end (-x)."""
    TOWARD_CHEST = "toward-chest"
    """Closer to the shoulders (a knee drawn up toward the chest)."""


# --- the body model ---------------------------------------------------------------------------


class Segment(Strict):
    """One rigid part of the figure."""

    length: Fraction
    """Length as a share of body height (joint to joint, or the whole head)."""
    thickness: Fraction
    """Drawn thickness as a share of body height (also used for contact)."""


class Segments(Strict):
    """Every segment of the side-view figure."""

    head: Segment
    """Top of the head to the chin."""
    neck: Segment
    """Chin to shoulder level."""
    upper_trunk: Segment
    """Shoulder joint to the waist."""
    lower_trunk: Segment
    """Waist to the hip joint."""
    upper_arm: Segment
    """Shoulder joint to elbow."""
    forearm: Segment
    """Elbow to wrist."""
    hand: Segment
    """Wrist to fingertip."""
    thigh: Segment
    """Hip joint to knee."""
    shank: Segment
    """Knee to ankle."""
    foot: Segment
    """Heel to toe."""


Limit = Annotated[tuple[Angle, Angle], Field(description="lowest and highest angle")]


class Limits(Strict):
    """Physiological range of each joint angle: [lowest, highest] in degrees."""

    spine: Limit
    """Bend of the upper trunk on the lower trunk: flexion positive."""
    neck: Limit
    """Bend of the neck on the upper trunk: flexion (chin to chest) positive."""
    head: Limit
    """Nod of the head on the neck: flexion positive."""
    shoulder: Limit
    """Upper arm from hanging along the trunk: flexion (forward) positive."""
    elbow: Limit
    """Elbow flexion, 0 = straight."""
    wrist: Limit
    """Wrist flexion positive, extension negative."""
    hip: Limit
    """Thigh from in line with the trunk: flexion (forward) positive."""
    knee: Limit
    """Knee flexion, 0 = straight."""
    ankle: Limit
    """Foot from a right angle to the shank: dorsiflexion positive."""

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        for name, (low, high) in self:
            if high <= low:
                raise ValueError(f"'{name}': the highest angle ({high:g}) is not above the lowest")
        return self


class Body(Strict):
    """The body model: proportions, thickness and joint limits."""

    source: Text
    """Where the proportions come from."""
    height: Annotated[float, Field(ge=100, le=250)]
    """Body height H in centimetres; every length is a share of it."""
    ankle_height: Fraction
    """Height of the ankle joint above the sole, as a share of H."""
    heel: Fraction
    """Distance from the heel to below the ankle, as a share of the foot's length."""
    segments: Segments
    """Lengths and thicknesses."""
    limits: Limits
    """Joint ranges."""

    def length(self, name: str) -> float:
        """Return a segment's length in centimetres."""
        segment: Segment = getattr(self.segments, name)
        return segment.length * self.height

    def radius(self, name: str) -> float:
        """Return half a segment's thickness in centimetres."""
        segment: Segment = getattr(self.segments, name)
        return segment.thickness * self.height / 2


# --- the scene --------------------------------------------------------------------------------


class Rack(Strict):
    """The backrack™ in profile; its foot end is at x = 0, its head end at ``length``."""

    length: Annotated[float, Field(gt=10, le=200)]
    """Length in centimetres."""
    profile: Annotated[list[tuple[Length, Length]], Field(min_length=3)]
    """Height of the nodule tips along the rack, as [x, height] pairs from foot to head."""
    nodule_spacing: Annotated[float, Field(gt=1, le=50)]
    """Distance between rows of nodules."""
    nodule_radius: Annotated[float, Field(gt=0.2, le=5)]
    """Radius of a nodule seen from the side."""


class Bed(Strict):
    """A bed whose edge is at ``edge``; it reaches ``length`` to the left of it."""

    height: Annotated[float, Field(gt=10, le=120)]
    """Height of the mattress top."""
    length: Annotated[float, Field(gt=10, le=300)]
    """Length drawn."""
    edge: Length
    """x of the edge the legs hang over."""


class Palette(Strict):
    """Colours; every one but the background meets 3:1 contrast against it."""

    background: Colour
    near: Colour
    """Near-side limbs, trunk and head."""
    far: Colour
    """Far-side limbs."""
    rack: Colour
    nodule: Colour
    floor: Colour
    bed: Colour
    pressure: Colour
    arrow: Colour
    breath: Colour


class Scene(Strict):
    """The rack, the bed, the floor and how diagrams are drawn."""

    rack: Rack
    bed: Bed
    palette: Palette
    contact_tolerance: Annotated[float, Field(gt=0, le=10)]
    """How close (cm) a part must be to a surface to rest on it, and how far it may sink in."""
    margin: Annotated[float, Field(ge=0, le=50)]
    """Space around the drawing, in centimetres."""
    scale: Annotated[float, Field(gt=0.5, le=20)]
    """Pixels per centimetre for the SVG's width and height (all diagrams share one scale)."""


# --- poses ------------------------------------------------------------------------------------


class LimbAngles(Strict):
    """The joint angles of one side's arm and leg."""

    shoulder: Angle
    elbow: Angle
    wrist: Angle
    hip: Angle
    knee: Angle
    ankle: Angle


class Joints(Strict):
    """Every joint angle of a pose."""

    spine: Angle
    neck: Angle
    head: Angle
    near: LimbAngles
    """The limbs nearer the viewer, drawn darker and in front."""
    far: LimbAngles
    """The limbs further from the viewer, drawn lighter and behind."""


class Place(Strict):
    """Where the figure is: the hip joint's position."""

    x: Length
    """Horizontal position of the hip joint (the rack's foot end is at 0)."""
    y: Length | None = None
    """Height of the hip joint; left out, the figure is lowered until it rests on something."""


class Move(Strict):
    """A visible movement of one point from the pose of the phase before."""

    part: Marker
    """The point that moves (the same points an arrow can follow)."""
    direction: Direction
    at_least: Annotated[float, Field(gt=0, le=200)]
    """The least distance (cm) it moves that way."""


class Pose(Strict):
    """A posture: joint angles plus the figure's placement, drawn for a phase."""

    id: Slug
    """The pose's name, the same as its file name; phases refer to it."""
    description: Text
    """What the figure does, for the diagram's text description (starts in lower case)."""
    setting: Setting
    """The furniture drawn."""
    place: Place
    trunk: Angle
    """Direction of the lower trunk (hip to waist) in degrees: 0 = lying, head to the right."""
    joints: Joints
    rests_on: dict[Part, Surface] = Field(default_factory=dict)
    """Parts that must touch a surface somewhere, e.g. ``pelvis: rack``."""
    lies_along: dict[Part, Surface] = Field(default_factory=dict)
    """Parts that must touch a surface all along, e.g. ``back: rack`` (every point from the
    pelvis to the shoulders) or ``feet: floor`` (flat, heel to toe)."""
    touches: dict[Hand, Spot] = Field(default_factory=dict)
    """Hands on the body, e.g. ``near-hand: back-of-near-knee``, ``hands: back-of-head``."""
    moves: list[Move] = Field(default_factory=list)
    """Visible movements from the pose of the phase before, e.g. the shoulders up 6 cm."""

    @model_validator(mode="after")
    def _rests(self) -> Pose:
        if not self.rests_on and not self.lies_along:
            raise ValueError("give 'rests_on' or 'lies_along': a figure rests on something")
        for part in set(self.rests_on) & set(self.lies_along):
            raise ValueError(f"'{part}' is in both 'rests_on' and 'lies_along'; keep one")
        return self
