"""Print-shop PDFs: a Typst PDF made into PDF/X-4 in CMYK, with page boxes and crop marks.

Typst writes every colour in an ICC-based sRGB or grey space. A print shop's
preflight wants the colours in the printing condition's own inks, a profile
that names that condition (the output intent), the trimmed size and the bleed
as page boxes, and crop marks outside the bleed. ``for_print_shop`` does all
of it on the finished PDF and checks the result:

- every grey (``r == g == b``, or a grey colour space) becomes black ink only,
  the tint matched in lightness through the profile (black stays 100 % K, white
  0 %), so text is never printed in four inks;
- every other colour is looked up in ``templates/print-colours.yaml``, the one
  table of the CMYK values the outputs print (each computed through the
  profile, its colour difference stated); a colour not in the table stops the
  build, so nothing reaches the press as RGB;
- the output intent carries ``icc/FOGRA39L-coated.icc`` (coated offset paper,
  ISO 12647-2), made from Fogra's characterisation data (``icc/README.md``);
- the page is widened by a mark zone, the original page becomes the BleedBox,
  the page less the bleed the TrimBox, and crop marks are drawn in the mark
  zone only, clear of the bleed;
- the file says PDF/X-4 (Info and XMP) because it meets it. It is not tagged
  for accessibility any more: a press file need not be, and claims none.

The header says ``%PDF-1.6``, the version PDF/X-4 is defined on: nothing in the
file needs more (pypdf writes a classic cross-reference table, no object or
cross-reference streams; transparency and XMP are PDF 1.4). Typst's own
``%PDF-1.7`` header is not kept, as a preflight for PDF/X-4 rejects it.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from PIL import Image, ImageCms
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from generator.errors import RenderError
from generator.outputs.print.content import Lexicon, line

PROJECT = Path(__file__).resolve().parents[3]
"""The project the generator belongs to, for the colour table."""
COLOURS_FILE = "templates/print-colours.yaml"
PROFILE = Path(__file__).with_name("icc") / "FOGRA39L-coated.icc"
"""The CMYK characterisation of coated offset (FOGRA39), the output intent's profile."""
OUTPUT_CONDITION = "FOGRA39"
OUTPUT_INFO = "Coated FOGRA39 (ISO 12647-2:2004)"
MM = 72 / 25.4
"""Points per millimetre."""
MARK_ZONE = 10.0
"""Millimetres of paper beyond the bleed on each side, where the crop marks are drawn."""
MARK_GAP = 1.0
"""Millimetres between the bleed's edge and where a crop mark starts."""
MARK_LENGTH = 6.0
"""Millimetres of each crop mark (it ends 3 mm short of the paper's edge)."""
MARK_WIDTH = 0.25
"""Points: the width of a crop mark's line."""

Cmyk = tuple[float, float, float, float]
"""C, M, Y, K as fractions 0-1, as PDF operators take them."""


# --- colour science: how the table is computed and checked -------------------------------


_SRGB_TO_XYZ_D50 = (
    (0.4360747, 0.3850649, 0.1430804),
    (0.2225045, 0.7168786, 0.0606169),
    (0.0139322, 0.0971045, 0.7141733),
)
"""sRGB's primaries adapted to D50 (Bradford), as the ICC sRGB profile has them."""
_D50 = (0.9642, 1.0, 0.8249)


def channels(colour: str) -> tuple[int, int, int]:
    """Return the red, green and blue of a ``#rrggbb`` colour, 0-255."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def srgb_lab(colour: str) -> tuple[float, float, float]:
    """Return CIELAB (D50, as an ICC profile connects) of a ``#rrggbb`` colour, exactly."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in channels(colour))
    ]
    xyz = [sum(m * c for m, c in zip(row, linear, strict=True)) for row in _SRGB_TO_XYZ_D50]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _D50, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


@cache
def _transforms() -> tuple[ImageCms.ImageCmsTransform, ImageCms.ImageCmsTransform]:
    profile = ImageCms.getOpenProfile(str(PROFILE))
    lab = ImageCms.createProfile("LAB", 5000)
    intent = ImageCms.Intent.RELATIVE_COLORIMETRIC
    srgb = ImageCms.createProfile("sRGB")
    to_cmyk = ImageCms.buildTransform(srgb, profile, "RGB", "CMYK", intent)
    to_lab = ImageCms.buildTransform(profile, lab, "CMYK", "LAB", intent)
    return to_cmyk, to_lab


def profile_cmyk(colour: str) -> tuple[int, int, int, int]:
    """Return the CMYK in whole percent the profile gives a ``#rrggbb`` colour.

    sRGB to the FOGRA39 profile, relative colorimetric, through littlecms
    (Pillow's ImageCms); how ``templates/print-colours.yaml`` was filled in.
    """
    pixel = Image.new("RGB", (1, 1), channels(colour))
    converted = ImageCms.applyTransform(pixel, _transforms()[0])
    assert converted is not None
    c, m, y, k = converted.getpixel((0, 0))  # type: ignore[misc]
    return round(c / 2.55), round(m / 2.55), round(y / 2.55), round(k / 2.55)


def printed_lab(percent: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """Return CIELAB (D50, relative to the paper) that the profile says a CMYK prints as.

    Read through littlecms in 8 bits: L* to 0.4, a* and b* to 1 unit.
    """
    pixel = Image.new("CMYK", (1, 1), tuple(round(p * 2.55) for p in percent))
    converted = ImageCms.applyTransform(pixel, _transforms()[1])
    assert converted is not None
    light, a, b = converted.getpixel((0, 0))  # type: ignore[misc]
    return light * 100 / 255, a - 128, b - 128


def delta_e_2000(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """Return the CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0
    if c1p and c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    h_mean = h1p + h2p
    if c1p and c2p:
        if abs(h1p - h2p) <= 180:
            h_mean = (h1p + h2p) / 2
        else:
            h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = (
        -2
        * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh)
    )


def printed_difference(colour: str, percent: tuple[float, float, float, float]) -> float:
    """Return CIEDE2000 between a web colour and what the profile says its CMYK prints as."""
    return delta_e_2000(srgb_lab(colour), printed_lab(percent))


@cache
def _black_ramp() -> tuple[float, ...]:
    """Return L* (relative to the paper) of black ink alone at 0, 1, … 100 %."""
    return tuple(printed_lab((0, 0, 0, k))[0] for k in range(101))


def grey_ink(level: float) -> float:
    """Return the black ink, 0-1, that prints a grey ``level`` (0 black - 1 white).

    The tint is matched in lightness: the grey's L* is scaled from the screen's
    range (0-100) to the press's (black ink's darkest to the paper) and looked
    up on the profile's black-ink ramp. Black is 100 % and white 0 % exactly.
    """
    if level <= 0:
        return 1.0
    if level >= 1:
        return 0.0
    value = round(level * 255)
    light = srgb_lab(f"#{value:02x}{value:02x}{value:02x}")[0]
    ramp = _black_ramp()
    target = ramp[100] + light / 100 * (ramp[0] - ramp[100])
    for k in range(100):
        lighter, darker = ramp[k], ramp[k + 1]
        if darker <= target <= lighter:
            share = (lighter - target) / (lighter - darker) if lighter > darker else 0.0
            return round(k + share) / 100
    return 0.0 if target > ramp[0] else 1.0


# --- the colour table ------------------------------------------------------------------------


@cache
def colour_table(root: Path = PROJECT) -> dict[str, Cmyk]:
    """Return ``templates/print-colours.yaml``: each ``#rrggbb`` and its CMYK, 0-1."""
    path = root / COLOURS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table: dict[str, Cmyk] = {}
    for colour, entry in data["colours"].items():
        c, m, y, k = (float(v) / 100 for v in entry["cmyk"])
        table[str(colour).lower()] = (c, m, y, k)
    return table


# --- rewriting the colours -------------------------------------------------------------------

_GREY_SPACES = {"/DeviceGray", "/CalGray", "/G"}
_RGB_SPACES = {"/DeviceRGB", "/CalRGB", "/RGB"}
_CMYK_SPACES = {"/DeviceCMYK", "/CMYK"}
_COMPONENTS = {"grey": 1, "rgb": 3, "cmyk": 4}


def _number(value: float) -> FloatObject | NumberObject:
    value = round(value, 4)
    return NumberObject(int(value)) if value == int(value) else FloatObject(value)


@dataclass
class _Painting:
    """What fill and stroke colour spaces are current (saved by ``q``, restored by ``Q``)."""

    fill: str = "grey"
    stroke: str = "grey"
    saved: list[tuple[str, str]] = field(default_factory=list)


_HANDLED = {
    b"q", b"Q", b"cs", b"CS", b"sc", b"scn", b"SC", b"SCN",
    b"rg", b"RG", b"g", b"G", b"k", b"K", b"Do", b"gs", b"sh", b"Tf",
}  # fmt: skip
"""The operators the rewrite follows (an inline image makes pypdf parse its stream)."""


class _Recolour:
    """Rewrite every colour of a document to DeviceCMYK (and of soft masks to DeviceGray)."""

    def __init__(self, table: Mapping[str, Cmyk]) -> None:
        self.table = table
        self.done: set[int] = set()
        self.unused: list[tuple[DictionaryObject, str]] = []
        self.lexicon = Lexicon()
        self.lines: dict[tuple[Any, ...], bytes] = {}
        self.painted: dict[tuple[Any, ...], tuple[list[Any], bytes]] = {}
        self.kinds: dict[tuple[NameObject, int], str] = {}

    # colours

    def cmyk(self, rgb: tuple[float, float, float], where: str) -> Cmyk:
        """Return the CMYK of an sRGB colour: a grey in black ink, any other from the table."""
        r, g, b = (min(255, max(0, round(v * 255))) for v in rgb)
        if r == g == b:
            return 0.0, 0.0, 0.0, grey_ink(r / 255)
        colour = f"#{r:02x}{g:02x}{b:02x}"
        if colour not in self.table:
            raise RenderError(
                f"{where}: colour {colour} is not in {COLOURS_FILE}: add its CMYK for print "
                "(computed through the profile, see the file's header) or use a colour it has"
            )
        return self.table[colour]

    def kind(self, space: Any, resources: DictionaryObject | None, where: str) -> str:
        """Return ``grey``, ``rgb``, ``cmyk`` or ``pattern`` for a colour space (or its name)."""
        if isinstance(space, NameObject):  # a name means the same in the same resources
            key = (space, id(resources))
            known = self.kinds.get(key)
            if known is None:
                known = self.kinds[key] = self._kind(space, resources, where)
            return known
        return self._kind(space, resources, where)

    def _kind(self, space: Any, resources: DictionaryObject | None, where: str) -> str:
        space = space.get_object() if isinstance(space, IndirectObject) else space
        if isinstance(space, NameObject):
            if space in _GREY_SPACES:
                return "grey"
            if space in _RGB_SPACES:
                return "rgb"
            if space in _CMYK_SPACES:
                return "cmyk"
            if space == "/Pattern":
                return "pattern"
            spaces = _dict(resources, "/ColorSpace") if resources is not None else None
            if spaces is not None and space in spaces:
                return self.kind(spaces[space], None, where)
            raise RenderError(f"{where}: colour space {space} is not defined")
        if isinstance(space, ArrayObject) and space:
            family = space[0]
            if family == "/ICCBased":
                profile = space[1].get_object()
                n = int(profile.get("/N", 0))
                if n in (1, 3, 4):
                    return {1: "grey", 3: "rgb", 4: "cmyk"}[n]
            if family in ("/CalGray", "/CalRGB"):
                return "grey" if family == "/CalGray" else "rgb"
            if family == "/Pattern" and len(space) == 1:
                return "pattern"
            raise RenderError(
                f"{where}: colour space {family} is not supported in print-shop PDFs "
                "(only grey, sRGB and CMYK are converted)"
            )
        raise RenderError(f"{where}: unreadable colour space {space!r}")

    # streams

    def stream(
        self, stream: StreamObject, resources: DictionaryObject | None, mask: bool, where: str
    ) -> None:
        """Rewrite one content stream (a form, pattern or glyph) and what it draws, once."""
        key = stream.indirect_reference.idnum if stream.indirect_reference else id(stream)
        if key in self.done:
            return
        self.done.add(key)
        own = _dict(stream, "/Resources")
        resources = own if own is not None else resources
        _group(stream, mask)
        stream.set_data(self.content(stream.get_data(), resources, mask, where))

    def content(
        self, data: bytes, resources: DictionaryObject | None, mask: bool, where: str
    ) -> bytes:
        """Return a content stream with every colour in CMYK (grey in a mask), as pypdf writes it.

        The stream is read by the fast lexicon; one it cannot read exactly as
        pypdf does (an inline image, say) is parsed by pypdf. Either way the
        bytes are those of pypdf's ``ContentStream`` with the same operations.
        """
        parsed = self.lexicon.parse(data)
        if parsed is None:
            content = ContentStream(None, None)
            content.set_data(data)
            content.operations = self.operations(content.operations, resources, mask, where)
            return bytes(content.get_data())
        painting = _Painting()
        replaced: dict[int, bytes] = {}
        value = self.lexicon.value
        tokens, saved = parsed.tokens, painting.saved
        handled = [(n, tokens[i]) for n, i in enumerate(parsed.ops) if tokens[i] in _HANDLED]
        for number, op in handled:
            if op == b"q":
                saved.append((painting.fill, painting.stroke))
                continue
            if op == b"Q":
                if saved:
                    painting.fill, painting.stroke = saved.pop()
                continue
            operands = [value(t) for t in parsed.operands(number)]
            changed = self.operation(operands, op, painting, resources, mask, where)
            if changed is not None:
                key = (changed[1], *((type(o), o) for o in changed[0]))
                written = self.lines.get(key)
                if written is None:
                    written = self.lines[key] = line(*changed)
                replaced[number] = written
        return self.lexicon.data(parsed, replaced)

    def operations(
        self,
        operations: list[tuple[Any, bytes]],
        resources: DictionaryObject | None,
        mask: bool,
        where: str,
    ) -> list[tuple[Any, bytes]]:
        """Return a content stream's operations with every colour in CMYK (grey in a mask)."""
        out: list[tuple[Any, bytes]] = []
        painting = _Painting()
        for operands, op in operations:
            changed = self.operation(operands, op, painting, resources, mask, where)
            out.append(changed if changed is not None else (operands, op))
        return out

    def operation(
        self,
        operands: Any,
        op: bytes,
        painting: _Painting,
        resources: DictionaryObject | None,
        mask: bool,
        where: str,
    ) -> tuple[list[Any], bytes] | None:
        """Follow one operation; return its operands and operator in CMYK, if they change."""
        if op == b"q":
            painting.saved.append((painting.fill, painting.stroke))
        elif op == b"Q" and painting.saved:
            painting.fill, painting.stroke = painting.saved.pop()
        elif op in (b"cs", b"CS"):
            kind = self.kind(operands[0], resources, where)
            if op == b"cs":
                painting.fill = kind
            else:
                painting.stroke = kind
            if kind != "pattern":
                return [NameObject("/DeviceGray" if mask else "/DeviceCMYK")], op
        elif op in (b"sc", b"scn", b"SC", b"SCN"):
            kind = painting.fill if op.islower() else painting.stroke
            if kind == "pattern":
                self.pattern(operands[-1], resources, mask, where)
            else:
                values = tuple(float(v) for v in operands[: _COMPONENTS[kind]])
                return self.paint(kind, values, mask, fill=op.islower(), where=where)
        elif op in (b"rg", b"RG", b"g", b"G", b"k", b"K"):
            kind = {b"r": "rgb", b"g": "grey", b"k": "cmyk"}[op.lower()[:1]]
            if op.islower():
                painting.fill = kind
            else:
                painting.stroke = kind
            values = tuple(float(v) for v in operands)
            return self.paint(kind, values, mask, fill=op.islower(), where=where)
        elif op == b"Do":
            self.xobject(operands[0], resources, mask, where)
        elif op == b"gs":
            self.graphics_state(operands[0], resources, where)
        elif op == b"sh":
            self.shading(_entry(resources, "/Shading", operands[0], where), resources, where)
        elif op == b"Tf":
            self.font(operands[0], resources, mask, where)
        elif op == b"INLINE IMAGE":
            self.inline_image(operands, resources, where)
        return None

    def paint(
        self, kind: str, values: tuple[float, ...], mask: bool, *, fill: bool, where: str
    ) -> tuple[list[Any], bytes]:
        """Return the operands and operator that set a colour in CMYK (grey in a mask)."""
        key = (kind, values, mask, fill)
        known = self.painted.get(key)
        if known is None:
            known = self.painted[key] = self._paint(kind, values, mask, fill=fill, where=where)
        return list(known[0]), known[1]

    def _paint(
        self, kind: str, values: tuple[float, ...], mask: bool, *, fill: bool, where: str
    ) -> tuple[list[Any], bytes]:
        if kind == "grey":
            rgb = (values[0],) * 3
        elif kind == "rgb":
            rgb = (values[0], values[1], values[2])
        else:
            c, m, y, k = values
            rgb = (1 - min(1.0, c + k), 1 - min(1.0, m + k), 1 - min(1.0, y + k))
        if mask:  # a soft mask keeps its luminosity (PDF's weights for RGB to grey)
            luma = 0.3 * rgb[0] + 0.59 * rgb[1] + 0.11 * rgb[2]
            return [_number(luma)], b"g" if fill else b"G"
        cmyk = values if kind == "cmyk" else self.cmyk(rgb, where)
        return [_number(v) for v in cmyk], b"k" if fill else b"K"

    def resources(self, resources: DictionaryObject | None) -> None:
        """Note the grey and RGB colour spaces of a resource dictionary, to drop them at the end."""
        spaces = _dict(resources, "/ColorSpace") if resources is not None else None
        if spaces is None or resources is None:
            return
        for name in list(spaces):
            if self.kind(spaces[name], None, name) in ("grey", "rgb"):
                self.unused.append((spaces, name))

    def xobject(
        self, name: Any, resources: DictionaryObject | None, mask: bool, where: str
    ) -> None:
        """Rewrite a form; check (and set in a device space) an image."""
        xobject = _entry(resources, "/XObject", name, where)
        if xobject.get("/Subtype") == "/Form":
            self.stream(xobject, resources, mask, f"{where}, form {name}")
            self.resources(_dict(xobject, "/Resources"))
        elif xobject.get("/Subtype") == "/Image":
            self.image(xobject, resources, f"{where}, image {name}")

    def image(
        self, image: DictionaryObject, resources: DictionaryObject | None, where: str
    ) -> None:
        """Put a grey image in DeviceGray; stop at an RGB image (photos are not converted)."""
        if image.get("/ImageMask"):
            return
        soft = image.get("/SMask")
        if soft is not None:
            self.image(soft.get_object(), resources, f"{where}, soft mask")
        kind = self.kind(image.get("/ColorSpace", NameObject("/DeviceGray")), resources, where)
        if kind == "grey":
            image[NameObject("/ColorSpace")] = NameObject("/DeviceGray")
        elif kind != "cmyk":
            raise RenderError(
                f"{where}: a raster image in RGB cannot go to the print shop; "
                "use a vector (SVG) drawing, or a greyscale or CMYK image"
            )

    def inline_image(self, operands: Any, resources: DictionaryObject | None, where: str) -> None:
        """Check an inline image's colour space (grey or CMYK only)."""
        settings = operands["settings"]
        for key in ("/CS", "/ColorSpace"):
            if key in settings:
                kind = self.kind(settings[key], resources, where)
                if kind == "grey":
                    settings[NameObject(key)] = NameObject("/DeviceGray")
                elif kind != "cmyk":
                    raise RenderError(
                        f"{where}: an inline image in RGB cannot go to the print shop"
                    )

    def graphics_state(self, name: Any, resources: DictionaryObject | None, where: str) -> None:
        """Rewrite a soft mask's group in grey, its backdrop too."""
        state = _entry(resources, "/ExtGState", name, where)
        soft = state.get("/SMask")
        if not isinstance(soft, (DictionaryObject, IndirectObject)):
            return
        soft = soft.get_object()
        if not isinstance(soft, DictionaryObject) or "/G" not in soft:
            return
        group = soft["/G"].get_object()
        if not isinstance(group, StreamObject):
            raise RenderError(f"{where}: soft mask {name} has no group to draw")
        if "/BC" in soft:
            backdrop = [float(v) for v in _array(soft["/BC"])]
            luma = backdrop[0] if len(backdrop) == 1 else 0.3 * backdrop[0] + 0.59 * backdrop[1]
            if len(backdrop) == 3:
                luma += 0.11 * backdrop[2]
            soft[NameObject("/BC")] = ArrayObject([_number(luma)])
        self.stream(group, resources, True, f"{where}, soft mask {name}")
        self.resources(_dict(group, "/Resources"))

    def pattern(
        self, name: Any, resources: DictionaryObject | None, mask: bool, where: str
    ) -> None:
        """Rewrite a tiling pattern's cell; check a shading pattern."""
        pattern = _entry(resources, "/Pattern", name, where)
        if pattern.get("/PatternType") == 1 and isinstance(pattern, StreamObject):
            self.stream(pattern, resources, mask, f"{where}, pattern {name}")
            self.resources(_dict(pattern, "/Resources"))
        else:
            self.shading(pattern["/Shading"].get_object(), resources, f"{where}, pattern {name}")

    def shading(
        self, shading: DictionaryObject, resources: DictionaryObject | None, where: str
    ) -> None:
        """Accept a shading in grey or CMYK; stop at an RGB gradient."""
        kind = self.kind(shading["/ColorSpace"], resources, where)
        if kind == "grey":
            shading[NameObject("/ColorSpace")] = NameObject("/DeviceGray")
        elif kind != "cmyk":
            raise RenderError(
                f"{where}: a gradient in RGB cannot go to the print shop: it is not converted; "
                "use flat colours"
            )

    def font(self, name: Any, resources: DictionaryObject | None, mask: bool, where: str) -> None:
        """Rewrite the glyph procedures of a Type 3 font (their colours are drawn too)."""
        font = _entry(resources, "/Font", name, where)
        if font.get("/Subtype") != "/Type3":
            return
        own = _dict(font, "/Resources")
        for glyph, procedure in font["/CharProcs"].get_object().items():
            self.stream(procedure.get_object(), own or resources, mask, f"{where}, glyph {glyph}")
        self.resources(own)

    def finish(self) -> None:
        """Drop the grey and RGB colour spaces no operator names any more."""
        for spaces, name in self.unused:
            if name in spaces:
                del spaces[name]


def _dict(owner: DictionaryObject | None, key: str) -> DictionaryObject | None:
    if owner is None or key not in owner:
        return None
    value = owner[key].get_object()
    return value if isinstance(value, DictionaryObject) else None


def _array(value: Any) -> ArrayObject:
    value = value.get_object()
    if not isinstance(value, ArrayObject):
        raise RenderError(f"expected an array, found {value!r}")
    return value


def _entry(resources: DictionaryObject | None, kind: str, name: Any, where: str) -> Any:
    group = _dict(resources, kind)
    if group is None or name not in group:
        raise RenderError(f"{where}: {kind[1:]} {name} is used but not defined")
    return group[name].get_object()


def _group(owner: DictionaryObject, mask: bool) -> None:
    """Set a transparency group's blending space to DeviceCMYK (DeviceGray in a soft mask)."""
    group = _dict(owner, "/Group")
    if group is not None and "/CS" in group:
        group[NameObject("/CS")] = NameObject("/DeviceGray" if mask else "/DeviceCMYK")


# --- boxes and marks -------------------------------------------------------------------------


def crop_marks(trim: tuple[float, float, float, float], bleed: float) -> bytes:
    """Return the content that draws the crop marks of a trim box, in the mark zone only.

    Two lines at each corner, on the trim lines extended, each starting
    ``MARK_GAP`` beyond the bleed: 0.25 pt, registration (all four inks).
    """
    left, bottom, right, top = trim
    start = (bleed + MARK_GAP) * MM
    end = (bleed + MARK_GAP + MARK_LENGTH) * MM
    lines = []
    for x, dx in ((left, -1), (right, 1)):
        for y, dy in ((bottom, -1), (top, 1)):
            lines.append((x + dx * start, y, x + dx * end, y))  # along the horizontal trim line
            lines.append((x, y + dy * start, x, y + dy * end))  # along the vertical trim line
    paths = "".join(f"{_f(x1)} {_f(y1)} m {_f(x2)} {_f(y2)} l S\n" for x1, y1, x2, y2 in lines)
    return f"q\n{MARK_WIDTH:g} w 0 J [] 0 d 1 1 1 1 K\n{paths}Q\n".encode()


def _f(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _boxes(page: PageObject, bleed: float) -> None:
    """Widen the page by the mark zone: the page as it was is the bleed box, less bleed the trim."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    b, zone = bleed * MM, MARK_ZONE * MM
    if x1 - x0 <= 2 * b or y1 - y0 <= 2 * b:
        raise RenderError(
            f"a page of {x1 - x0:.1f} by {y1 - y0:.1f} pt is no larger than its bleed"
        )
    page.bleedbox = RectangleObject((x0, y0, x1, y1))
    page.trimbox = RectangleObject((x0 + b, y0 + b, x1 - b, y1 - b))
    page.mediabox = RectangleObject((x0 - zone, y0 - zone, x1 + zone, y1 + zone))
    for key in ("/CropBox", "/ArtBox"):
        if key in page:
            del page[key]


# --- metadata --------------------------------------------------------------------------------


def _xmp_date(pdf_date: str) -> str:
    """Return a PDF date (``D:YYYYMMDDHHmmSS`` and zone) as an XMP date."""
    text = pdf_date.removeprefix("D:")
    stamp = datetime.strptime(text[:14], "%Y%m%d%H%M%S")
    zone = text[14:].replace("'", "")
    offset = timedelta(0)
    if zone and zone[0] in "+-":
        hours, minutes = int(zone[1:3]), int(zone[3:5] or 0)
        offset = timedelta(hours=hours, minutes=minutes) * (1 if zone[0] == "+" else -1)
    return stamp.replace(tzinfo=timezone(offset)).isoformat()


def _uuid(identifier: bytes, salt: bytes) -> str:
    digest = hashlib.sha256(salt + identifier).hexdigest()
    return f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def xmp(info: Mapping[str, str], identifier: bytes) -> bytes:
    """Return the XMP of a print-shop PDF: PDF/X-4, the Info dict's title, tools and dates."""
    created, modified = _xmp_date(info["/CreationDate"]), _xmp_date(info["/ModDate"])
    fields = {
        "dc:format": "application/pdf",
        "xmp:CreateDate": created,
        "xmp:ModifyDate": modified,
        "xmp:MetadataDate": modified,
        "xmp:CreatorTool": info.get("/Creator", ""),
        "pdf:Producer": info["/Producer"],
        "pdf:Trapped": "False",
        "xmpMM:DocumentID": _uuid(identifier, b"document"),
        "xmpMM:InstanceID": _uuid(identifier, b"instance"),
        "xmpMM:VersionID": "1",
        "xmpMM:RenditionClass": "default",
        "pdfxid:GTS_PDFXVersion": "PDF/X-4",
    }
    simple = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    title = (
        "<dc:title><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{escape(info["/Title"])}</rdf:li>'
        "</rdf:Alt></dc:title>"
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">'
        f"{title}{simple}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


@cache
def _compressed_profile() -> bytes:
    """Return the output intent's profile as it is written, compressed (once a process)."""
    plain = DecodedStreamObject()
    plain.set_data(PROFILE.read_bytes())
    return bytes(plain.flate_encode()._data)


def _output_intent(writer: PdfWriter) -> DictionaryObject:
    profile = EncodedStreamObject()
    profile[NameObject("/N")] = NumberObject(4)
    profile[NameObject("/Filter")] = NameObject("/FlateDecode")
    profile._data = _compressed_profile()
    intent = DictionaryObject()
    intent.update(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFX"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(OUTPUT_CONDITION),
            NameObject("/OutputCondition"): TextStringObject(OUTPUT_INFO),
            NameObject("/RegistryName"): TextStringObject("http://www.color.org"),
            NameObject("/Info"): TextStringObject(OUTPUT_INFO),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    return intent


# --- the whole ------------------------------------------------------------------------------

PRODUCER = "backrack generator (Typst, pypdf)"


def for_print_shop(
    pdf: bytes, *, bleed: float, title: str, identifier: bytes, root: Path = PROJECT
) -> bytes:
    """Return a Typst PDF as PDF/X-4 for the print shop: CMYK, output intent, boxes, marks.

    ``pdf``'s pages are the trimmed size plus ``bleed`` mm on each side, the
    background painted to the edge. ``title`` is the document's title (Info and
    XMP); ``identifier`` seeds the document's ``/ID`` and XMP identifiers, so
    the same input gives the same bytes. Raises ``RenderError`` naming any
    colour not in ``templates/print-colours.yaml`` under ``root`` and any
    content that cannot be printed in CMYK (RGB raster images, RGB gradients).
    """
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    recolour = _Recolour(colour_table(root))
    for number, page in enumerate(writer.pages, start=1):
        where = f"page {number}"
        resources = _dict(page, "/Resources")
        _group(page, False)
        content = page.get_contents()
        artwork = recolour.content(
            content.get_data() if content is not None else b"", resources, False, where
        )
        recolour.resources(resources)
        _boxes(page, bleed)
        marks = crop_marks(tuple(float(v) for v in page.trimbox), bleed)  # type: ignore[arg-type]
        whole = DecodedStreamObject()
        whole.set_data(b"q\n" + artwork + b"\nQ\n" + marks)
        page.replace_contents(ContentStream(whole, None))
        page.compress_content_streams()
        if "/Annots" in page:  # links: no annotation may lie on the printed sheet (PDF/X)
            del page["/Annots"]
    recolour.finish()
    _document(writer, reader, title, identifier)
    writer.compress_identical_objects()  # drops the profiles no longer used
    writer.pdf_header = b"%PDF-1.6"
    file_id = hashlib.sha256(b"pdf-id" + identifier).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(file_id), ByteStringObject(file_id)])
    out = io.BytesIO()
    writer.write(out)
    result = out.getvalue()
    left = rgb_left(result, recolour.lexicon)
    if left:
        raise RenderError("print-shop PDF still has RGB: " + "; ".join(left[:5]))
    return result


def _document(writer: PdfWriter, reader: PdfReader, title: str, identifier: bytes) -> None:
    """Write the Info dict, the XMP, the output intent and the ``/ID`` of a PDF/X-4 file."""
    old: Mapping[str, Any] = reader.metadata or {}
    for key in ("/CreationDate", "/ModDate"):
        if key not in old:
            raise RenderError(f"the PDF has no {key}: PDF/X needs both dates")
    info = {
        "/Title": title,
        "/Creator": str(old.get("/Creator", "Typst")),
        "/Producer": PRODUCER,
        "/CreationDate": str(old["/CreationDate"]),
        "/ModDate": str(old["/ModDate"]),
        "/GTS_PDFXVersion": "PDF/X-4",
    }
    writer.add_metadata(info)
    assert writer._info is not None
    writer._info[NameObject("/Trapped")] = NameObject("/False")
    root = writer.root_object
    for key in ("/Metadata", "/OutputIntents"):
        if key in root:
            del root[key]
    metadata = DecodedStreamObject()
    metadata.set_data(xmp(info, identifier))
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    root[NameObject("/OutputIntents")] = ArrayObject([_output_intent(writer)])


# --- the check -------------------------------------------------------------------------------


def rgb_left(pdf: bytes, lexicon: Lexicon | None = None) -> list[str]:
    """Return where a PDF still has an RGB colour: a colour space, or an RGB operator.

    Every content stream is read again from ``pdf``; ``lexicon`` (the rewrite's)
    only remembers what each distinct token reads as.
    """
    reader = PdfReader(io.BytesIO(pdf))
    found: list[str] = []
    seen: set[int] = set()
    lexicon = lexicon or Lexicon()

    def walk(root: PdfObject | None, where: str) -> Iterator[tuple[PdfObject | None, str]]:
        """Yield every object reachable from ``root`` once, depth first, and where it is."""
        stack = [(root, where)]  # a stack, not recursion: structure trees are deep
        while stack:
            obj, where = stack.pop()
            if isinstance(obj, IndirectObject):
                if obj.idnum in seen:
                    continue
                seen.add(obj.idnum)
                where = f"object {obj.idnum}"
                obj = obj.get_object()
            yield obj, where
            if isinstance(obj, DictionaryObject):
                children = [v for k, v in obj.items() if k not in ("/Parent", "/P")]
            elif isinstance(obj, ArrayObject):
                children = list(obj)
            else:
                continue
            stack.extend((child, where) for child in reversed(children))

    for obj, where in walk(reader.trailer.raw_get("/Root"), "catalog"):
        if isinstance(obj, NameObject) and obj in (_RGB_SPACES | {"/ICCBased", "/Lab"}):
            found.append(f"{where}: {obj}")
        if isinstance(obj, StreamObject) and _is_content(obj):
            found += [f"{where}: {op}" for op in _rgb_operators(obj.get_data(), lexicon, reader)]
    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        if contents is not None:
            operators = _rgb_operators(contents.get_data(), lexicon, reader)
            found += [f"page {number}: {op}" for op in operators]
    return found


def _is_content(stream: StreamObject) -> bool:
    return stream.get("/Subtype") == "/Form" or stream.get("/PatternType") == 1


def _rgb_operators(data: bytes, lexicon: Lexicon, reader: PdfReader) -> Iterator[str]:
    """Yield each RGB operator of a content stream: ``rg``, ``RG``, an RGB space, 3 components."""
    parsed = lexicon.parse(data, write=False)
    if parsed is None:
        content = ContentStream(None, reader)
        content.set_data(data)
        operations: Iterable[tuple[Any, bytes]] = content.operations
    else:
        tokens = parsed.tokens
        checked = [(n, tokens[i]) for n, i in enumerate(parsed.ops) if tokens[i] in _CHECKED]
        operations = (([lexicon.value(t) for t in parsed.operands(n)], op) for n, op in checked)
    for operands, op in operations:
        if op in (b"rg", b"RG"):
            yield op.decode()
        elif op in (b"cs", b"CS") and operands[0] not in ("/DeviceCMYK", "/DeviceGray", "/Pattern"):
            yield f"{operands[0]} {op.decode()}"
        elif op in (b"sc", b"scn", b"SC", b"SCN") and len(operands) == 3:
            yield f"{op.decode()} with three components"


_CHECKED = {b"rg", b"RG", b"cs", b"CS", b"sc", b"scn", b"SC", b"SCN"}
