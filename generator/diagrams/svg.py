"""The SVG writer: a posed figure in its scene, as self-contained SVG text.

Everything geometric is computed before (``geometry.py``); this module only
formats. Coordinates are rounded to a millimetre, the y axis is flipped
(SVG's points down), ids are prefixed with the diagram's own id so several
diagrams can be inlined in one page, and every text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from generator.diagrams.geometry import Arrow, Capsule, Figure, Furniture, Point
from generator.diagrams.model import Palette, Setting, Surface

GAP = 0.7
"""Width (cm) of the white outline that sets near-side limbs off what is behind them."""
FLOOR_WIDTH = 0.8
ARROW_WIDTH = 1.1
PRESSURE_WIDTH = 2.6
LIMBS = ("upper_arm", "forearm", "thigh", "shank")


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
    for arrow in (diagram.arrow, diagram.breath):
        if arrow is not None:
            for x, y in (arrow.start, arrow.control, arrow.end, *arrow.head):
                xs.append(x)
                ys.append(y)
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
        *_pressure(diagram, palette),
        *_figure(diagram.figure, palette),
        *_arrow(diagram.arrow, palette.arrow, dashed=False),
        *_arrow(diagram.breath, palette.breath, dashed=True),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _furniture(furniture: Furniture, left: float, right: float) -> list[str]:
    scene, palette = furniture.scene, furniture.scene.palette
    parts: list[str] = []
    if furniture.setting is Setting.RACK:
        rack = scene.rack
        curve = furniture.rack_curve
        board = [(x, y - rack.nodule_radius) for x, y in curve]
        outline = [(0.0, 0.0), *board, (rack.length, 0.0)]
        parts.append(
            f'<path d="{_path(outline, close=True)}" fill="{palette.rack}"'
            f' stroke="{palette.nodule}" stroke-width="0.5" stroke-linejoin="round"/>'
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
    parts.append(
        f'<path d="M{number(left)} 0H{number(right)}" stroke="{palette.floor}"'
        f' stroke-width="{FLOOR_WIDTH}"/>'
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


def _pressure(diagram: Diagram, palette: Palette) -> list[str]:
    if diagram.pressure is None:
        return []
    return [
        f'<path d="{_path(list(diagram.pressure))}" stroke="{palette.pressure}"'
        f' stroke-width="{PRESSURE_WIDTH}" stroke-linecap="round"/>'
    ]


def _line(capsule: Capsule, extra: float = 0.0) -> str:
    width = number(2 * capsule.radius + 2 * extra)
    return f'<path d="{_path([capsule.start, capsule.end])}" stroke-width="{width}"/>'


def _foot(figure: Figure, side: str, extra: float = 0.0) -> str:
    p = figure.points
    capsule = figure.capsule(f"{side}.foot")
    ankle = p[f"{side}.ankle"]
    return (
        f'<path d="{_path([ankle, capsule.start, capsule.end], close=True)}"'
        f' stroke-width="{number(2 * capsule.radius + 2 * extra)}"/>'
    )


def _limbs(figure: Figure, side: str, extra: float = 0.0) -> str:
    lines = [_line(figure.capsule(f"{side}.{name}"), extra) for name in LIMBS]
    return "".join(lines) + _foot(figure, side, extra)


def _group(colour: str, body: str, fill: str | None = None) -> str:
    return (
        f'<g fill="{fill or "none"}" stroke="{colour}" stroke-linecap="round"'
        f' stroke-linejoin="round">{body}</g>'
    )


def _figure(figure: Figure, palette: Palette) -> list[str]:
    trunk = "".join(_line(figure.capsule(n)) for n in ("lower_trunk", "upper_trunk", "neck"))
    head, nose = figure.points["head"], figure.points["nose"]
    face = (
        f'<circle cx="{number(head[0])}" cy="{number(-head[1])}"'
        f' r="{number(figure.head_radius)}" stroke="none"/>'
        f'<circle cx="{number(nose[0])}" cy="{number(-nose[1])}"'
        f' r="{number(figure.head_radius * 0.22)}" stroke="none"/>'
    )
    far_hand, near_hand = (_line(figure.capsule(f"{side}.hand")) for side in ("far", "near"))
    # The near hand goes behind the head and the near arm and leg: hands behind the head
    # or behind a knee are hidden the way they are when seen from the side.
    return [
        _group(palette.far, _limbs(figure, "far") + far_hand, fill=palette.far),
        _group(palette.near, trunk + near_hand + face, fill=palette.near),
        _group(palette.background, _limbs(figure, "near", GAP), fill=palette.background),
        _group(palette.near, _limbs(figure, "near"), fill=palette.near),
    ]


def _arrow(arrow: Arrow | None, colour: str, dashed: bool) -> list[str]:
    if arrow is None:
        return []
    dash = ' stroke-dasharray="1.6 1.2"' if dashed else ""
    shaft = f"M{xy(arrow.start)}Q{xy(arrow.control)} {xy(arrow.end)}"
    return [
        f'<path d="{shaft}" fill="none" stroke="{colour}" stroke-width="{ARROW_WIDTH}"'
        f' stroke-linecap="round"{dash}/>',
        f'<path d="{_path(list(arrow.head), close=True)}" fill="{colour}"/>',
    ]
