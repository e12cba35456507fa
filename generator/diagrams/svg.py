"""The SVG writer: a posed figure in its scene, as self-contained SVG text.

The figure's joints and the overlays' anchor points are computed before
(``geometry.py``); this module gives them their drawn shape: tapered limbs
with round joints, a torso, a head with a face, and marks large enough to
see on a card. Coordinates are rounded to a millimetre, the y axis is flipped
(SVG's points down), ids are prefixed with the diagram's own id so several
diagrams can be inlined in one page, and every text is escaped.

Every part of the figure and every mark is drawn on an outline of the
background colour (a *halo*, as pictograms after ISO 7010 separate a figure
from what it touches), so a mark touches only the background, and the far
limbs, the near limbs and the trunk are set off from each other by a gap as
well as by their colour. ``colours.py`` lists the colour pairs that still
touch and holds them to 3:1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from generator.diagrams.geometry import Arrow, Figure, Furniture, Point
from generator.diagrams.model import Palette, Setting, Surface

GAP = 0.85
"""Width (cm) of the background-coloured outline around every part of the figure."""
MARK_GAP = 0.9
"""Width (cm) of the background-coloured outline around every mark."""
FLOOR_WIDTH = 0.8
ARROW_WIDTH = 2.2
"""Width (cm) of the shaft of the movement and breathing arrows."""
ARROW_HEAD = 9.0
"""Length (cm) of the head of the movement and breathing arrows."""
ARROW_HEAD_ANGLE = 30.0
"""Half the opening angle of an arrow head, in degrees."""
BREATH_START, BREATH_LENGTH = 3.0, 17.0
"""Distance (cm) from the nose at which the breathing arrow's near end is, and its length."""
PRESSURE_WIDTH = 3.6
"""Width (cm) of the pressure band."""
PRESSURE_SHIFT = 1.2
"""How much further (cm) than the anchor line the band is moved from the body, onto the rack."""

# The minimum size of each mark on a card, where the pictures are 17 to 40 mm tall
# (templates/print/card.typ). tests/test_legend.py measures every built diagram at the scale its
# card shows it and holds it to these.
MIN_STROKE_MM = 0.35
"""Least width of an arrow's shaft at card scale."""
MIN_HEAD_MM = 1.5
"""Least length of an arrow head at card scale."""
MIN_BREATH_MM = 3.0
"""Least length of the breathing arrow at card scale."""
MIN_PRESSURE_MM = 0.6
"""Least width of the pressure band at card scale."""
MIN_GAP_MM = 0.1
"""Least width of the background-coloured outline at card scale."""

MARK_CLASSES = {
    "pressure": "mark-pressure",
    "arrow": "mark-arrow",
    "in": "mark-breath-in",
    "out": "mark-breath-out",
}
"""The class of each kind of mark in the SVG (the legend names the same kinds)."""


@dataclass(frozen=True)
class Diagram:
    """Everything one diagram shows."""

    ident: str
    """Unique id of the diagram, prefixed to its element ids."""
    title: str
    description: str
    figure: Figure
    furniture: Furniture
    pressure: tuple[Point, Point] | None = None
    arrow: Arrow | None = None
    breath: Arrow | None = None


def number(value: float) -> str:
    """Return a coordinate rounded to a millimetre, without a needless ``.0`` or ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def xy(point: Point) -> str:
    """Return a point in SVG coordinates (y flipped)."""
    return f"{number(point[0])} {number(-point[1])}"


def _path(points: list[Point], close: bool = False) -> str:
    head, *rest = points
    text = "M" + xy(head) + "".join("L" + xy(p) for p in rest)
    return text + ("Z" if close else "")


def _towards(start: Point, degrees: float, distance: float) -> Point:
    rad = math.radians(degrees)
    return start[0] + math.cos(rad) * distance, start[1] + math.sin(rad) * distance


def _direction(start: Point, end: Point) -> float:
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


# --- the marks' drawn shapes ------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """An arrow as drawn: a shaft (straight or curved) and a head at its tip."""

    kind: str
    """``arrow``, ``in`` or ``out`` (see ``MARK_CLASSES``)."""
    start: Point
    control: Point
    shaft_end: Point
    """Where the shaft meets the head."""
    head: tuple[Point, Point, Point]
    """Tip and the two back corners."""

    @property
    def points(self) -> list[Point]:
        """Return every point that bounds the mark."""
        return [self.start, self.control, self.shaft_end, *self.head]

    @property
    def length(self) -> float:
        """Return the distance from the shaft's start to the tip (cm)."""
        tip = self.head[0]
        return math.hypot(tip[0] - self.start[0], tip[1] - self.start[1])


def _arrow_head(towards: Point, tip: Point) -> tuple[Point, tuple[Point, Point, Point]]:
    """Return where the shaft stops and the head's corners, for an arrow ending at ``tip``."""
    direction = _direction(towards, tip)
    side = ARROW_HEAD / math.cos(math.radians(ARROW_HEAD_ANGLE))
    head = (
        tip,
        _towards(tip, direction + 180 - ARROW_HEAD_ANGLE, side),
        _towards(tip, direction + 180 + ARROW_HEAD_ANGLE, side),
    )
    return _towards(tip, direction + 180, ARROW_HEAD * 0.6), head


def movement_mark(arrow: Arrow) -> Mark:
    """Return the movement arrow as drawn: the computed curve with a head large enough to see."""
    shaft_end, head = _arrow_head(arrow.control, arrow.end)
    return Mark("arrow", arrow.start, arrow.control, shaft_end, head)


def _clearance(figure: Figure, point: Point) -> float:
    """Return how far a point is from the nearest part of the figure (negative: inside it)."""
    best = math.inf
    for capsule in figure.capsules:
        (x0, y0), (x1, y1) = capsule.start, capsule.end
        dx, dy = x1 - x0, y1 - y0
        length = dx * dx + dy * dy
        t = (
            0.0
            if length == 0
            else max(0.0, min(1.0, ((point[0] - x0) * dx + (point[1] - y0) * dy) / length))
        )
        gap = math.hypot(point[0] - x0 - t * dx, point[1] - y0 - t * dy) - capsule.radius
        best = min(best, gap)
    return best


def breath_mark(figure: Figure, breath: Arrow) -> Mark:
    """Return the breathing arrow as drawn: straight, at the nose, clear of the arms.

    ``breath`` says which way it points (its end nearer the nose: breathing in). The
    arrow leaves the face between the way the face looks and the top of the head,
    in whichever of those directions keeps it furthest from the rest of the figure
    (raised elbows are often right in front of the face).
    """
    nose, head = figure.points["nose"], figure.points["head"]
    face = _direction(head, nose)
    inward = math.dist(breath.end, nose) < math.dist(breath.start, nose)

    def clearance(degrees: float) -> float:
        near = _towards(nose, degrees, BREATH_START)
        far = _towards(near, degrees, BREATH_LENGTH + ARROW_HEAD)
        steps = 8
        return min(
            _clearance(
                figure,
                (
                    near[0] + (far[0] - near[0]) * i / steps,
                    near[1] + (far[1] - near[1]) * i / steps,
                ),
            )
            for i in range(steps + 1)
        )

    candidates = [face - offset for offset in range(0, 75, 5)]
    best = max(candidates, key=lambda d: (round(min(clearance(d), 6.0)), -abs(d - face)))
    near = _towards(nose, best, BREATH_START)
    far = _towards(near, best, BREATH_LENGTH)
    start, tip = (far, near) if inward else (near, far)
    shaft_end, corners = _arrow_head(start, tip)
    middle = ((start[0] + shaft_end[0]) / 2, (start[1] + shaft_end[1]) / 2)
    return Mark("in" if inward else "out", start, middle, shaft_end, corners)


def pressure_mark(figure: Figure, band: tuple[Point, Point]) -> tuple[Point, Point]:
    """Return the pressure band as drawn: the computed band moved a little further onto the rack."""
    (x0, y0), (x1, y1) = band
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    # Move away from the body: to the side of the band where the figure is not.
    plus = _clearance(figure, (middle[0] + nx, middle[1] + ny))
    minus = _clearance(figure, (middle[0] - nx, middle[1] - ny))
    sign = 1.0 if plus > minus else -1.0
    dx, dy = sign * nx * PRESSURE_SHIFT, sign * ny * PRESSURE_SHIFT
    return (x0 + dx, y0 + dy), (x1 + dx, y1 + dy)


@dataclass(frozen=True)
class Marks:
    """The marks of one diagram, as drawn."""

    pressure: tuple[Point, Point] | None
    arrow: Mark | None
    breath: Mark | None


def marks(diagram: Diagram) -> Marks:
    """Return the marks of a diagram in their drawn shape."""
    figure = diagram.figure
    return Marks(
        pressure_mark(figure, diagram.pressure) if diagram.pressure else None,
        movement_mark(diagram.arrow) if diagram.arrow else None,
        breath_mark(figure, diagram.breath) if diagram.breath else None,
    )


# --- the frame --------------------------------------------------------------------------------


def bounds(diagram: Diagram) -> tuple[float, float, float, float]:
    """Return the drawing's extent (left, bottom, right, top) in scene coordinates."""
    xs: list[float] = []
    ys: list[float] = [0.0]
    for c in diagram.figure.capsules:
        for x, y in (c.start, c.end):
            xs += [x - c.radius, x + c.radius]
            ys += [y - c.radius, y + c.radius]
    scene, setting = diagram.furniture.scene, diagram.furniture.setting
    if setting is Setting.RACK:
        xs += [0.0, scene.rack.length]
        ys += [y + scene.rack.nodule_radius for _, y in scene.rack.profile]
    if setting is Setting.BED:
        xs += [scene.bed.edge - scene.bed.length, scene.bed.edge]
        ys.append(scene.bed.height)
    drawn = marks(diagram)
    for mark in (drawn.arrow, drawn.breath):
        if mark is not None:
            for x, y in mark.points:
                xs += [x - MARK_GAP, x + MARK_GAP]
                ys += [y - MARK_GAP, y + MARK_GAP]
    return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Frame:
    """The part of the scene a diagram shows, in whole centimetres, and its size in pixels."""

    left: int
    top: int
    width: int
    height: int
    scale: float

    @property
    def pixels(self) -> tuple[int, int]:
        """Return the width and height in CSS pixels (every diagram has the same scale)."""
        return round(self.width * self.scale), round(self.height * self.scale)


def frame(diagram: Diagram) -> Frame:
    """Return the frame around everything the diagram draws, with the scene's margin."""
    scene = diagram.furniture.scene
    margin = scene.margin
    left, bottom, right, top = bounds(diagram)
    left, right = math.floor(left - margin), math.ceil(right + margin)
    bottom, top = math.floor(bottom - margin / 2), math.ceil(top + margin)
    return Frame(left, top, right - left, top - bottom, scene.scale)


def render_svg(diagram: Diagram) -> str:
    """Return the diagram as an SVG document."""
    furniture = diagram.furniture
    palette = furniture.scene.palette
    box = frame(diagram)
    left, top, width, height = box.left, box.top, box.width, box.height
    right = left + width
    ident = diagram.ident
    drawn = marks(diagram)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1"'
        f' viewBox="{left} {-top} {width} {height}"'
        f' width="{box.pixels[0]}" height="{box.pixels[1]}"'
        f' role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(diagram.title)}</title>',
        f'<desc id="{ident}-desc">{escape(diagram.description)}</desc>',
        f'<rect x="{left}" y="{-top}" width="{width}" height="{height}"'
        f" fill={quoteattr(palette.background)}/>",
        *_furniture(furniture, left, right),
        *_pressure(drawn.pressure, palette),
        *_figure(diagram.figure, palette),
        *_arrow(drawn.arrow, palette.arrow, palette.background),
        *_arrow(drawn.breath, palette.breath, palette.background),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


# --- the furniture ----------------------------------------------------------------------------


def _furniture(furniture: Furniture, left: float, right: float) -> list[str]:
    scene, palette = furniture.scene, furniture.scene.palette
    parts: list[str] = [
        f'<path d="M{number(left)} 0H{number(right)}" stroke="{palette.floor}"'
        f' stroke-width="{FLOOR_WIDTH}"/>'
    ]
    if furniture.setting is Setting.RACK:
        rack = scene.rack
        curve = furniture.rack_curve
        board = [(x, y - rack.nodule_radius) for x, y in curve]
        outline = [(0.0, 0.0), *board, (rack.length, 0.0)]
        # The outline is as wide as the floor line, so the wood never touches the floor.
        parts.append(
            f'<path d="{_path(outline, close=True)}" fill="{palette.rack}"'
            f' stroke="{palette.nodule}" stroke-width="{FLOOR_WIDTH}" stroke-linejoin="round"/>'
        )
        count = int(rack.length // rack.nodule_spacing)
        start = (rack.length - (count - 1) * rack.nodule_spacing) / 2
        circles = []
        for i in range(count):
            x = start + i * rack.nodule_spacing
            y = furniture.top(Surface.RACK, x)
            if y is not None:
                circles.append(
                    f'<circle cx="{number(x)}" cy="{number(-(y - rack.nodule_radius))}"'
                    f' r="{number(rack.nodule_radius)}"/>'
                )
        parts.append(f'<g fill="{palette.nodule}">' + "".join(circles) + "</g>")
    if furniture.setting is Setting.BED:
        bed = scene.bed
        x0 = bed.edge - bed.length
        parts.append(
            f'<path d="{_path(_bed_outline(x0, bed.edge, bed.height), close=True)}"'
            f' fill="none" stroke="{palette.bed}" stroke-width="1.2" stroke-linejoin="round"/>'
        )
    return parts


def _bed_outline(x0: float, x1: float, height: float) -> list[Point]:
    """Return a bed seen from the side: mattress on a frame with two legs."""
    frame = height - 18
    return [
        (x0, 0.0),
        (x0, height),
        (x1, height),
        (x1, 0.0),
        (x1 - 5, 0.0),
        (x1 - 5, frame),
        (x0 + 5, frame),
        (x0 + 5, 0.0),
    ]


# --- the marks --------------------------------------------------------------------------------


def _pressure(band: tuple[Point, Point] | None, palette: Palette) -> list[str]:
    if band is None:
        return []
    line = _path(list(band))
    halo = number(PRESSURE_WIDTH + 2 * MARK_GAP)
    return [
        f'<g class="{MARK_CLASSES["pressure"]}" fill="none" stroke-linecap="round">'
        f'<path d="{line}" stroke="{palette.background}" stroke-width="{halo}"/>'
        f'<path d="{line}" stroke="{palette.pressure}" stroke-width="{number(PRESSURE_WIDTH)}"/>'
        "</g>"
    ]


def _arrow(mark: Mark | None, colour: str, background: str) -> list[str]:
    if mark is None:
        return []
    shaft = f"M{xy(mark.start)}Q{xy(mark.control)} {xy(mark.shaft_end)}"
    head = _path(list(mark.head), close=True)
    halo = number(ARROW_WIDTH + 2 * MARK_GAP)
    return [
        f'<g class="{MARK_CLASSES[mark.kind]}" stroke-linecap="round" stroke-linejoin="round">'
        f'<path d="{shaft}" fill="none" stroke="{background}" stroke-width="{halo}"/>'
        f'<path d="{head}" fill="{background}" stroke="{background}"'
        f' stroke-width="{number(2 * MARK_GAP)}"/>'
        f'<path d="{shaft}" fill="none" stroke="{colour}" stroke-width="{number(ARROW_WIDTH)}"/>'
        f'<path d="{head}" fill="{colour}"/>'
        "</g>"
    ]


# --- the figure -------------------------------------------------------------------------------


def _disc(centre: Point, radius: float) -> str:
    return f'<circle cx="{number(centre[0])}" cy="{number(-centre[1])}" r="{number(radius)}"/>'


def _taper(a: Point, ra: float, b: Point, rb: float) -> str:
    """Return a limb segment from a disc of radius ``ra`` at ``a`` to one of ``rb`` at ``b``.

    The two discs and the quadrilateral between their outer tangents.
    """
    d = math.dist(a, b)
    discs = _disc(a, ra) + _disc(b, rb)
    if d <= abs(ra - rb) + 0.01:
        return discs
    theta = _direction(a, b)
    phi = math.degrees(math.asin((ra - rb) / d))
    corners = []
    for sign in (1, -1):
        angle = theta + sign * (90 + phi)
        corners.append((_towards(a, angle, ra), _towards(b, angle, rb)))
    (a1, b1), (a2, b2) = corners
    return f'<path d="{_path([a1, b1, b2, a2], close=True)}"/>' + discs


JOINTS = {
    # Radius of each limb at its joints, as a share of the segment's contact radius:
    # limbs taper from the trunk outwards, so knees, elbows and wrists read.
    "thigh": (1.0, 0.8),
    "shank": (1.08, 0.75),
    "upper_arm": (1.0, 0.86),
    "forearm": (1.0, 0.75),
    "hand": (0.97, 0.75),
}


def _limb(figure: Figure, side: str, gap: float = 0.0, which: str = "arm and leg") -> str:
    """Return the arm and leg of one side (or only its ``"arm"`` or ``"leg"``); ``gap``: the
    width of the outline being drawn."""
    p = figure.points
    parts = []
    chain = (
        ("thigh", "hip", f"{side}.knee"),
        ("shank", f"{side}.knee", f"{side}.ankle"),
        ("upper_arm", "shoulder", f"{side}.elbow"),
        ("forearm", f"{side}.elbow", f"{side}.wrist"),
    )
    for name, start, end in chain:
        if ("arm" in name) != ("arm" in which) and which != "arm and leg":
            continue
        radius = figure.capsule(f"{side}.{name}").radius
        ra, rb = JOINTS[name]
        parts.append(_taper(p[start], radius * ra, p[end], radius * rb))
    return "".join(parts) + (_foot(figure, side, gap) if "leg" in which else "")


def _behind_head(figure: Figure, side: str) -> bool:
    """Return whether a hand is at the head (behind it, seen from the side)."""
    hand, head = figure.capsule(f"{side}.hand").end, figure.points["head"]
    return math.dist(hand, head) < 1.6 * figure.head_radius


def _hand(figure: Figure, side: str) -> str:
    capsule = figure.capsule(f"{side}.hand")
    ra, rb = JOINTS["hand"]
    wrist = figure.capsule(f"{side}.forearm").radius * JOINTS["forearm"][1]
    return _taper(capsule.start, max(wrist, capsule.radius * ra), capsule.end, capsule.radius * rb)


def _foot(figure: Figure, side: str, gap: float) -> str:
    capsule = figure.capsule(f"{side}.foot")
    ankle = figure.points[f"{side}.ankle"]
    return (
        f'<path d="{_path([ankle, capsule.start, capsule.end], close=True)}"'
        f' stroke-width="{number(2 * (capsule.radius + gap))}"/>'
    )


def _trunk(figure: Figure) -> str:
    """Return the trunk: pelvis, a chest that fills out in front, the neck."""
    p = figure.points
    lower, upper = figure.capsule("lower_trunk"), figure.capsule("upper_trunk")
    neck = figure.capsule("neck")
    # The back keeps the contact radius (the back rests on the rack); the chest is a disc
    # set forward of the spine, on the side the face is on.
    front = figure.angles["upper_trunk"] + 90
    chest_at = (
        p["waist"][0] + (p["shoulder"][0] - p["waist"][0]) * 0.6,
        p["waist"][1] + (p["shoulder"][1] - p["waist"][1]) * 0.6,
    )
    chest = _towards(chest_at, front, upper.radius * 0.08)
    return (
        _taper(p["hip"], lower.radius, p["waist"], lower.radius * 0.96)
        + _taper(p["waist"], lower.radius * 0.96, p["shoulder"], upper.radius)
        + _disc(chest, upper.radius)
        + _taper(p["shoulder"], neck.radius * 1.1, p["neck"], neck.radius)
    )


def _head(figure: Figure, eye: str | None = None) -> str:
    """Return the head: a disc with a nose on the side the face is on, and an eye of ``eye``."""
    head, nose = figure.points["head"], figure.points["nose"]
    r = figure.head_radius
    face = _direction(head, nose)
    tip = _towards(head, face, r * 1.22)
    base = [_towards(head, face + 30, r * 0.9), _towards(head, face - 24, r * 0.9)]
    shape = _disc(head, r) + f'<path d="{_path([base[0], tip, base[1]], close=True)}"/>'
    if eye is None:
        return shape
    # The eye sits between the nose and the crown (the crown is the head's direction).
    crown = figure.angles["head"]
    between = crown + ((face - crown + 180) % 360 - 180) * 0.55
    spot = _towards(head, between, r * 0.52)
    return shape + (
        f'<circle cx="{number(spot[0])}" cy="{number(-spot[1])}" r="{number(r * 0.14)}"'
        f' fill="{eye}"/>'
    )


def _group(colour: str, body: str, width: float) -> str:
    return (
        f'<g fill="{colour}" stroke="{colour}" stroke-width="{number(width)}"'
        f' stroke-linecap="round" stroke-linejoin="round">{body}</g>'
    )


def _figure(figure: Figure, palette: Palette) -> list[str]:
    bg, halo = palette.background, 2 * GAP
    hidden = _behind_head(figure, "near")
    trunk = _trunk(figure) + (_hand(figure, "near") if hidden else "")
    arm = _limb(figure, "near", which="arm") + ("" if hidden else _hand(figure, "near"))
    # Each group is drawn on its own outline of background colour: the far arm and leg,
    # then the trunk and head (with the near hand when it is behind the head, hidden as it
    # is seen from the side), then the near leg, then the near arm on top, so that a hand
    # that holds the back of the knee is seen there, set off from the leg by its outline.
    return [
        _group(bg, _limb(figure, "far", GAP) + _hand(figure, "far"), halo),
        _group(palette.far, _limb(figure, "far") + _hand(figure, "far"), 0),
        _group(bg, trunk + _head(figure), halo),
        _group(palette.near, trunk + _head(figure, eye=bg), 0),
        _group(bg, _limb(figure, "near", GAP, which="leg"), halo),
        _group(palette.near, _limb(figure, "near", which="leg"), 0),
        _group(bg, arm, halo),
        _group(palette.near, arm, 0),
    ]
