"""Pure geometry: joint angles to points, and how far each part is from the furniture.

No drawing here (``svg.py`` writes the pictures). The scene's x axis runs
along the floor, from the rack's foot end (x = 0) towards its head end; y
points up from the floor. Angles are in degrees, counter-clockwise from +x.

The figure is a chain of segments rooted at the hip joint. Along the trunk,
flexion turns a segment counter-clockwise; along the limbs, which point the
other way, it turns them clockwise. With the lower trunk at 0° the figure
lies face up, head to the right; at 90° it stands or sits facing left.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass
from functools import cached_property

from generator.diagrams.model import (
    Body,
    Direction,
    Hand,
    Move,
    Part,
    Pose,
    Scene,
    Setting,
    Spot,
    Surface,
)
from generator.model import Breath, Marker, Zone

Point = tuple[float, float]

SIDES = ("near", "far")
SAMPLES = 12
"""Points tested along each segment for contact."""
FIELD_STEP = 0.5
"""Horizontal resolution (cm) of the furniture's height profile."""


def heading(degrees: float) -> Point:
    """Return the unit vector pointing ``degrees`` counter-clockwise from +x."""
    rad = math.radians(degrees)
    return math.cos(rad), math.sin(rad)


def along(start: Point, degrees: float, distance: float) -> Point:
    """Return the point ``distance`` from ``start`` in direction ``degrees``."""
    dx, dy = heading(degrees)
    return start[0] + dx * distance, start[1] + dy * distance


@dataclass(frozen=True)
class Capsule:
    """A segment as drawn and as tested for contact: a thick line with round ends."""

    name: str
    """e.g. ``near.shank`` or ``upper_trunk``."""
    start: Point
    end: Point
    radius: float
    joint: tuple[str, ...]
    """The pose field whose angle places this segment (for error positions)."""

    def samples(self) -> list[Point]:
        """Return evenly spaced points along the centre line, ends included."""
        (x0, y0), (x1, y1) = self.start, self.end
        steps = SAMPLES - 1
        return [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(SAMPLES)]


@dataclass(frozen=True)
class Figure:
    """The posed figure: named points and the capsules between them."""

    points: dict[str, Point]
    """Joint positions: ``hip``, ``waist``, ``shoulder``, ``neck``, ``head``, ``nose``,
    and per side ``<side>.knee``, ``.ankle``, ``.heel``, ``.toe``, ``.elbow``, ``.wrist``,
    ``.fingertip``."""
    capsules: tuple[Capsule, ...]
    head_radius: float
    angles: dict[str, float]
    """Global direction of every segment, e.g. ``near.thigh``."""

    def capsule(self, name: str) -> Capsule:
        """Return the capsule with this name."""
        return next(c for c in self.capsules if c.name == name)

    def moved(self, dx: float, dy: float) -> Figure:
        """Return the same figure translated."""

        def shift(p: Point) -> Point:
            return p[0] + dx, p[1] + dy

        return Figure(
            {k: shift(p) for k, p in self.points.items()},
            tuple(
                Capsule(c.name, shift(c.start), shift(c.end), c.radius, c.joint)
                for c in self.capsules
            ),
            self.head_radius,
            self.angles,
        )

    def marker(self, marker: Marker) -> Point:
        """Return the position of a point an arrow can follow."""
        return self.points[MARKER_POINTS[marker]]


MARKER_POINTS = {
    Marker.HEAD: "head",
    Marker.SHOULDER: "shoulder",
    Marker.HIP: "hip",
    Marker.NEAR_KNEE: "near.knee",
    Marker.FAR_KNEE: "far.knee",
    Marker.NEAR_FOOT: "near.ankle",
    Marker.FAR_FOOT: "far.ankle",
    Marker.NEAR_HAND: "near.wrist",
    Marker.FAR_HAND: "far.wrist",
}

PART_SEGMENTS: dict[Part, tuple[tuple[str, ...], ...]] = {
    # Each inner tuple is one thing that must touch; a pair (both feet) means both must.
    Part.PELVIS: (("lower_trunk",),),
    Part.BACK: (("upper_trunk",),),
    Part.HEAD: (("head",),),
    Part.FEET: (("near.foot",), ("far.foot",)),
    Part.NEAR_FOOT: (("near.foot",),),
    Part.FAR_FOOT: (("far.foot",),),
    Part.SHINS: (("near.shank",), ("far.shank",)),
    Part.HANDS: (("near.hand",), ("far.hand",)),
    Part.NEAR_HAND: (("near.hand",),),
    Part.FAR_HAND: (("far.hand",),),
    Part.FOREARMS: (("near.forearm",), ("far.forearm",)),
    Part.THIGHS: (("near.thigh",), ("far.thigh",)),
    Part.NECK: (("neck",),),
}

ALONG_SEGMENTS: dict[Part, tuple[str, ...]] = {
    # For ``lies_along``: every point of every one of these segments must touch.
    Part.PELVIS: ("lower_trunk",),
    Part.BACK: ("lower_trunk", "upper_trunk"),
    Part.HEAD: ("head",),
    Part.NECK: ("neck",),
    Part.FEET: ("near.foot", "far.foot"),
    Part.NEAR_FOOT: ("near.foot",),
    Part.FAR_FOOT: ("far.foot",),
    Part.SHINS: ("near.shank", "far.shank"),
    Part.HANDS: ("near.hand", "far.hand"),
    Part.NEAR_HAND: ("near.hand",),
    Part.FAR_HAND: ("far.hand",),
    Part.FOREARMS: ("near.forearm", "far.forearm"),
    Part.THIGHS: ("near.thigh", "far.thigh"),
}
"""The back is the whole trunk, from the pelvis (hip joint) to the shoulders."""

SEGMENT_ENDS = {
    "lower_trunk": ("pelvis", "waist"),
    "upper_trunk": ("waist", "shoulders"),
    "neck": ("shoulders", "head"),
}
"""Names of a segment's two ends, to say where along it a contact fails."""

HAND_SEGMENTS: dict[Hand, tuple[str, ...]] = {
    Hand.HANDS: ("near.hand", "far.hand"),
    Hand.NEAR_HAND: ("near.hand",),
    Hand.FAR_HAND: ("far.hand",),
}


def spot(figure: Figure, where: Spot) -> Point:
    """Return the point on the body's surface a hand touches at ``where``.

    The back of a knee is on the side the knee bends to, halfway between the thigh's
    and the shank's direction, at the leg's surface; the back of the head is opposite
    the nose, at the head's surface.
    """
    if where is Spot.BACK_OF_HEAD:
        return along(figure.points["head"], figure.angles["head"] + 80 + 180, figure.head_radius)
    side = "near" if where is Spot.BACK_OF_NEAR_KNEE else "far"
    thigh, shank = figure.angles[f"{side}.thigh"], figure.angles[f"{side}.shank"]
    depth = (figure.capsule(f"{side}.thigh").radius + figure.capsule(f"{side}.shank").radius) / 2
    return along(figure.points[f"{side}.knee"], thigh + 90 + (shank - thigh) / 2, depth)


def distance_to_segment(point: Point, start: Point, end: Point) -> float:
    """Return the distance from ``point`` to the segment ``start``–``end``."""
    (px, py), (x0, y0), (x1, y1) = point, start, end
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length2))
    return math.dist(point, (x0 + t * dx, y0 + t * dy))


def touch_gap(figure: Figure, hand: str, where: Spot) -> float:
    """Return how far the surface of a hand (e.g. ``near.hand``) is from a spot on the body."""
    capsule = figure.capsule(hand)
    target = spot(figure, where)
    return distance_to_segment(target, capsule.start, capsule.end) - capsule.radius


def movement(before: Figure, after: Figure, move: Move) -> float:
    """Return how far the point of ``move`` goes in its direction from ``before`` to ``after``."""
    (x0, y0), (x1, y1) = before.marker(move.part), after.marker(move.part)
    if move.direction is Direction.UP:
        return y1 - y0
    if move.direction is Direction.DOWN:
        return y0 - y1
    if move.direction is Direction.TOWARD_HEAD_END:
        return x1 - x0
    if move.direction is Direction.TOWARD_FOOT_END:
        return x0 - x1
    chest_before, chest_after = before.points["shoulder"], after.points["shoulder"]
    return math.dist((x0, y0), chest_before) - math.dist((x1, y1), chest_after)


def segment_angles(pose: Pose) -> dict[str, float]:
    """Return the global direction of every segment from the pose's joint angles."""
    j = pose.joints
    lower = pose.trunk
    upper = lower + j.spine
    neck = upper + j.neck
    angles = {"lower_trunk": lower, "upper_trunk": upper, "neck": neck, "head": neck + j.head}
    for side in SIDES:
        limb = getattr(j, side)
        thigh = lower + 180 - limb.hip
        shank = thigh + limb.knee
        arm = upper + 180 - limb.shoulder
        forearm = arm - limb.elbow
        angles |= {
            f"{side}.thigh": thigh,
            f"{side}.shank": shank,
            f"{side}.foot": shank - 90 - limb.ankle,
            f"{side}.upper_arm": arm,
            f"{side}.forearm": forearm,
            f"{side}.hand": forearm - limb.wrist,
        }
    return angles


def pose_figure(body: Body, pose: Pose, origin: Point = (0.0, 0.0)) -> Figure:
    """Return the figure of a pose with its hip joint at ``origin``."""
    a = segment_angles(pose)
    length, radius = body.length, body.radius
    p: dict[str, Point] = {"hip": origin}
    p["waist"] = along(p["hip"], a["lower_trunk"], length("lower_trunk"))
    p["shoulder"] = along(p["waist"], a["upper_trunk"], length("upper_trunk"))
    p["neck"] = along(p["shoulder"], a["neck"], length("neck"))
    head_r = length("head") / 2
    p["head"] = along(p["neck"], a["head"], head_r)
    p["nose"] = along(p["head"], a["head"] + 80, head_r)
    capsules = [
        Capsule("lower_trunk", p["hip"], p["waist"], radius("lower_trunk"), ("trunk",)),
        Capsule(
            "upper_trunk", p["waist"], p["shoulder"], radius("upper_trunk"), ("joints", "spine")
        ),
        Capsule("neck", p["shoulder"], p["neck"], radius("neck"), ("joints", "neck")),
        Capsule("head", p["head"], p["head"], head_r, ("joints", "head")),
    ]
    for side in SIDES:
        p |= _limb_points(body, a, side, p["hip"], p["shoulder"])
        capsules += _limb_capsules(body, side, p)
    return Figure(p, tuple(capsules), head_r, a)


def _limb_points(
    body: Body, a: dict[str, float], side: str, hip: Point, shoulder: Point
) -> dict[str, Point]:
    length = body.length
    knee = along(hip, a[f"{side}.thigh"], length("thigh"))
    ankle = along(knee, a[f"{side}.shank"], length("shank"))
    foot = a[f"{side}.foot"]
    # The foot's capsule runs along the sole, raised by its radius so its edge is the sole.
    sole = along(ankle, foot + 90, body.ankle_height * body.height - body.radius("foot"))
    heel = along(sole, foot, -body.heel * length("foot"))
    elbow = along(shoulder, a[f"{side}.upper_arm"], length("upper_arm"))
    wrist = along(elbow, a[f"{side}.forearm"], length("forearm"))
    return {
        f"{side}.knee": knee,
        f"{side}.ankle": ankle,
        f"{side}.heel": heel,
        f"{side}.toe": along(heel, foot, length("foot")),
        f"{side}.elbow": elbow,
        f"{side}.wrist": wrist,
        f"{side}.fingertip": along(wrist, a[f"{side}.hand"], length("hand")),
    }


def _limb_capsules(body: Body, side: str, p: dict[str, Point]) -> list[Capsule]:
    def capsule(segment: str, start: str, end: str, joint: str) -> Capsule:
        return Capsule(
            f"{side}.{segment}", p[start], p[end], body.radius(segment), ("joints", side, joint)
        )

    return [
        capsule("thigh", "hip", f"{side}.knee", "hip"),
        capsule("shank", f"{side}.knee", f"{side}.ankle", "knee"),
        capsule("foot", f"{side}.heel", f"{side}.toe", "ankle"),
        capsule("upper_arm", "shoulder", f"{side}.elbow", "shoulder"),
        capsule("forearm", f"{side}.elbow", f"{side}.wrist", "elbow"),
        capsule("hand", f"{side}.wrist", f"{side}.fingertip", "wrist"),
    ]


# --- the furniture ------------------------------------------------------------------------------


def smooth_profile(scene: Scene) -> list[Point]:
    """Return the rack's nodule-tip line as a smooth curve (Catmull-Rom through the profile)."""
    points = [(float(x), float(y)) for x, y in scene.rack.profile]
    padded = [points[0], *points, points[-1]]
    curve: list[Point] = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        for step in range(4):
            t = step / 4
            curve.append(_catmull_rom(p0, p1, p2, p3, t))
    curve.append(points[-1])
    return curve


def _catmull_rom(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    t2, t3 = t * t, t * t * t

    def axis(i: int) -> float:
        return 0.5 * (
            2 * p1[i]
            + (-p0[i] + p2[i]) * t
            + (2 * p0[i] - 5 * p1[i] + 4 * p2[i] - p3[i]) * t2
            + (-p0[i] + 3 * p1[i] - 3 * p2[i] + p3[i]) * t3
        )

    return axis(0), axis(1)


def _interpolate(curve: list[Point], x: float, xs: list[float] | None = None) -> float | None:
    """Return the height of the polyline ``curve`` at ``x`` (``None`` outside it).

    ``xs``, the curve's x values in ascending order, finds the segment by
    bisection: the first segment whose right end is at or beyond ``x``, as
    the scan along the curve would.
    """
    if x < curve[0][0] or x > curve[-1][0]:
        return None
    if xs is not None:
        index = max(bisect.bisect_left(xs, x) - 1, 0)
        (x0, y0), (x1, y1) = curve[index], curve[index + 1]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    for (x0, y0), (x1, y1) in itertools.pairwise(curve):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return None


@dataclass(frozen=True)
class Furniture:
    """The solids a figure can rest on, as tops over x (all stand on the floor)."""

    scene: Scene
    setting: Setting

    @cached_property
    def rack_curve(self) -> list[Point]:
        """The rack's top line."""
        return smooth_profile(self.scene)

    @cached_property
    def rack_xs(self) -> list[float] | None:
        """The rack curve's x values when they ascend (for bisection), else ``None``."""
        xs = [x for x, _ in self.rack_curve]
        return xs if len(xs) > 1 and all(a <= b for a, b in itertools.pairwise(xs)) else None

    def top(self, surface: Surface, x: float) -> float | None:
        """Return the height of a surface's top at ``x``, or ``None`` where it is not."""
        if surface is Surface.FLOOR:
            return 0.0
        if surface is Surface.RACK and self.setting is Setting.RACK:
            return _interpolate(self.rack_curve, x, self.rack_xs)
        bed = self.scene.bed
        if surface is Surface.BED and self.setting is Setting.BED:
            return bed.height if bed.edge - bed.length <= x <= bed.edge else None
        return None

    def surfaces(self) -> tuple[Surface, ...]:
        """Return the surfaces in this setting."""
        extra = {Setting.RACK: (Surface.RACK,), Setting.BED: (Surface.BED,)}
        return (Surface.FLOOR, *extra.get(self.setting, ()))

    def support(self, surface: Surface, x: float, radius: float) -> float:
        """Return the lowest height at which a disc centred above ``x`` clears the surface."""
        best = -math.inf
        steps = int(radius / FIELD_STEP)
        for i in range(-steps, steps + 1):
            dx = i * FIELD_STEP
            top = self.top(surface, x + dx)
            if top is not None:
                best = max(best, top + math.sqrt(max(radius * radius - dx * dx, 0.0)))
        return best

    def clearance(self, capsule: Capsule, surface: Surface) -> float:
        """Return how far a capsule is above a surface (negative: it sinks into it)."""
        return min(self.gaps(capsule, surface), default=math.inf)

    def gaps(self, capsule: Capsule, surface: Surface) -> list[float]:
        """Return how far each sample of a capsule is above a surface (``inf`` where there
        is no surface under it; negative where it sinks in)."""
        supports = [(y, self.support(surface, x, capsule.radius)) for x, y in capsule.samples()]
        return [y - s if s > -math.inf else math.inf for y, s in supports]


def rest(figure: Figure, furniture: Furniture) -> Figure:
    """Lower (or raise) the figure until it rests on the highest thing under it."""
    lowest = min(furniture.clearance(c, s) for c in figure.capsules for s in furniture.surfaces())
    return figure.moved(0.0, -lowest)


def place_figure(body: Body, scene: Scene, pose: Pose) -> Figure:
    """Return the figure of a pose where the pose puts it in the scene."""
    if pose.place.y is not None:
        return pose_figure(body, pose, (pose.place.x, pose.place.y))
    return rest(pose_figure(body, pose, (pose.place.x, 0.0)), Furniture(scene, pose.setting))


# --- overlays ----------------------------------------------------------------------------------

PRESSURE_SEGMENTS = {Zone.LUMBAR: "lower_trunk", Zone.THORACIC: "upper_trunk", Zone.NECK: "neck"}
PRESSURE_GAP = 1.6
"""Distance (cm) of the pressure band from the body's back."""


def pressure_band(figure: Figure, zone: Zone) -> tuple[Point, Point]:
    """Return the ends of the band drawn along the back where the pressure is."""
    capsule = figure.capsule(PRESSURE_SEGMENTS[zone])
    back = figure.angles[capsule.name] - 90  # the back is clockwise of the trunk's direction
    offset = capsule.radius + PRESSURE_GAP
    (x0, y0), (x1, y1) = capsule.start, capsule.end
    start = along((x0 + (x1 - x0) * 0.1, y0 + (y1 - y0) * 0.1), back, offset)
    end = along((x0 + (x1 - x0) * 0.9, y0 + (y1 - y0) * 0.9), back, offset)
    return start, end


@dataclass(frozen=True)
class Arrow:
    """A curved arrow: start, control point, end of the shaft, and the head's three corners."""

    start: Point
    control: Point
    end: Point
    head: tuple[Point, Point, Point]


ARROW_HEAD = 3.2
"""Length of an arrow head, in centimetres."""


def movement_arrow(start: Point, end: Point, clearance: float = 6.0) -> Arrow:
    """Return an arrow that bows out of the way between two positions of a point."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    distance = math.hypot(dx, dy)
    ux, uy = dx / distance, dy / distance
    start = start[0] + ux * clearance, start[1] + uy * clearance
    end = end[0] - ux * clearance, end[1] - uy * clearance
    bow = 0.25 * (distance - 2 * clearance)
    # Bow to the upper side of the path, away from the floor.
    nx, ny = (-uy, ux) if ux >= 0 else (uy, -ux)
    control = ((start[0] + end[0]) / 2 + nx * bow, (start[1] + end[1]) / 2 + ny * bow)
    return Arrow(start, control, end, _head(control, end))


def _head(towards: Point, tip: Point) -> tuple[Point, Point, Point]:
    direction = math.degrees(math.atan2(tip[1] - towards[1], tip[0] - towards[0]))
    return (
        along(tip, direction, 0.4),
        along(tip, direction + 180 - 28, ARROW_HEAD),
        along(tip, direction + 180 + 28, ARROW_HEAD),
    )


BREATH_NEAR, BREATH_FAR = 2.5, 11.0
"""Distances (cm) from the nose at which the breathing arrow starts and ends."""


def breath_arrow(figure: Figure, breath: Breath) -> Arrow:
    """Return the arrow at the nose: pointing in for breathing in, out for breathing out."""
    nose = figure.points["nose"]
    outward = figure.angles["head"] + 80
    near, far = along(nose, outward, BREATH_NEAR), along(nose, outward, BREATH_FAR)
    start, end = (far, near) if breath is Breath.IN else (near, far)
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    return Arrow(start, middle, end, _head(start, end))
