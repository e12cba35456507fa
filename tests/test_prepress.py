"""The print-shop PDF: CMYK only, output intent, page boxes, crop marks, PDF/X-4 claims."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, StreamObject

from generator.errors import RenderError
from generator.outputs.print import prepress
from generator.outputs.print.typeset import compile_source

BLEED = 3.0
MM = 72 / 25.4
DELTA_E_LIMIT = 3.5
"""CIEDE2000: the most any table entry may miss its web colour by (see the table's header)."""

SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'>"
    "<rect width='20' height='10' fill='#00695c' fill-opacity='0.5'/>"
    "<g opacity='0.6'><svg x='0' y='0' width='20' height='10'>"
    "<circle cx='10' cy='5' r='4' fill='#ffd600' stroke='#000000'/></svg></g></svg>"
)


def typst_pdf(extra: str = "") -> bytes:
    """Return a small Typst page with bleed: black and palette text, a grey, an SVG."""
    source = f"""
#set page(width: {60 + 2 * BLEED}mm, height: {40 + 2 * BLEED}mm, margin: 8mm,
  fill: rgb("#fbf8f2"))
#set text(font: "Atkinson Hyperlegible", size: 9pt)
Black text. #text(fill: rgb("#b71c1c"))[Danger] #text(fill: rgb("#777777"))[grey]
#rect(width: 10mm, height: 4mm, fill: rgb("#0d47a1"), stroke: 0.5pt + rgb("#ff8f00"))
#box(image(bytes("{SVG}"), format: "svg", alt: "a shape", width: 15mm))
{extra}
"""
    # The stubs tie the source's type to the font paths' (bytes vs Path): both are fine.
    return compile_source(source.encode(), epoch=1764547200)


@pytest.fixture(scope="module")
def printed() -> bytes:
    return prepress.for_print_shop(typst_pdf(), bleed=BLEED, title="Test card", identifier=b"t")


def streams(reader: PdfReader) -> list[tuple[str, ContentStream]]:
    """Return every content stream of a PDF: pages and every form, however deep."""
    found = [(f"page {n}", p.get_contents()) for n, p in enumerate(reader.pages, 1)]
    for obj in all_objects(reader):
        if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Form":
            found.append(("object", ContentStream(obj, reader)))
    return [(w, c) for w, c in found if c is not None]


def all_objects(reader: PdfReader) -> list[object]:
    """Return every object reachable from the catalog."""
    seen: set[int] = set()
    out: list[object] = []

    def walk(obj: object) -> None:
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        out.append(obj)
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key != "/Parent":
                    walk(value)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value)

    walk(reader.trailer.raw_get("/Root"))
    return out


def test_no_rgb_anywhere(printed: bytes) -> None:
    reader = PdfReader(io.BytesIO(printed))
    forms = 0
    for where, content in streams(reader):
        forms += where.startswith("object")
        for operands, op in content.operations:
            assert op not in (b"rg", b"RG", b"g", b"G"), where
            if op in (b"cs", b"CS"):
                assert operands[0] == "/DeviceCMYK", where
            if op in (b"sc", b"scn", b"SC", b"SCN"):
                assert len(operands) == 4, where
    assert forms >= 2  # the SVG, its opacity group and the nested svg are forms
    names = {str(o) for o in all_objects(reader) if isinstance(o, str)}
    assert not names & {"/DeviceRGB", "/CalRGB", "/ICCBased", "/Lab"}
    groups: list[Any] = [
        o for o in all_objects(reader) if isinstance(o, DictionaryObject) and "/Group" in o
    ]
    assert groups
    assert all(g["/Group"].get_object().get("/CS", "/DeviceCMYK") == "/DeviceCMYK" for g in groups)
    assert prepress.rgb_left(printed) == []


def colours(printed: bytes) -> set[tuple[float, ...]]:
    reader = PdfReader(io.BytesIO(printed))
    return {
        tuple(round(float(v), 4) for v in operands)
        for _, content in streams(reader)
        for operands, op in content.operations
        if op in (b"k", b"K")
    }


def test_black_is_one_ink_and_palette_colour_from_table(printed: bytes) -> None:
    found = colours(printed)
    assert (0, 0, 0, 1) in found  # black text and the SVG's black stroke: K only
    table = prepress.colour_table()
    for colour in ("#b71c1c", "#0d47a1", "#ff8f00", "#00695c", "#ffd600", "#fbf8f2"):
        assert tuple(round(v, 4) for v in table[colour]) in found, colour
    grey = [c for c in found if c[:3] == (0, 0, 0) and 0 < c[3] < 1]
    assert grey == [(0, 0, 0, prepress.grey_ink(0x77 / 255))]
    registration = (1, 1, 1, 1)  # the crop marks
    assert not [c for c in found - {registration} if c[3] == 1 and any(c[:3])]


def test_output_intent(printed: bytes) -> None:
    reader = PdfReader(io.BytesIO(printed))
    catalog: Any = reader.trailer["/Root"]
    (intent,) = [i.get_object() for i in catalog["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    assert intent["/RegistryName"] == "http://www.color.org"
    assert intent["/Info"] == "Coated FOGRA39 (ISO 12647-2:2004)"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 4
    assert profile.get_data()[16:20] == b"CMYK"


def test_boxes_and_marks_outside_the_bleed(printed: bytes) -> None:
    page = PdfReader(io.BytesIO(printed)).pages[0]
    width, height = (60 + 2 * BLEED) * MM, (40 + 2 * BLEED) * MM
    bleed_box = [float(v) / MM for v in page.bleedbox]
    trim = [float(v) / MM for v in page.trimbox]
    assert bleed_box == pytest.approx([0, 0, width / MM, height / MM], abs=0.01)
    assert trim == pytest.approx([BLEED, BLEED, 60 + BLEED, 40 + BLEED], abs=0.01)
    media = [float(v) / MM for v in page.mediabox]
    assert media[0] < -BLEED and media[2] > width / MM + BLEED
    content = page.get_contents()
    assert content is not None
    ops = content.operations
    start = next(
        i
        for i, (o, op) in enumerate(ops)
        if op == b"K" and len(o) == 4 and [float(v) for v in o] == [1, 1, 1, 1]
    )
    width_op = [float(o[0]) for o, op in ops[:start] if op == b"w"][-1]
    assert width_op == 0.25
    lines = 0
    point: tuple[float, float] = (0, 0)
    x0, y0, x1, y1 = (float(v) for v in page.bleedbox)
    for operands, op in ops[start:]:
        if op == b"m":
            point = (float(operands[0]), float(operands[1]))
        elif op == b"l":
            end = (float(operands[0]), float(operands[1]))
            for x, y in (point, end):
                outside = x < x0 or x > x1 or y < y0 or y > y1
                assert outside
                # at least bleed + 0.5 mm from the trim edge, along the mark's direction
                tx0, ty0, tx1, ty1 = (float(v) for v in page.trimbox)
                away = max(tx0 - x, x - tx1, ty0 - y, y - ty1) / MM
                assert away >= BLEED + 0.5
            assert point[0] == end[0] or point[1] == end[1]
            lines += 1
    assert lines == 8


def test_pdfx_claims(printed: bytes) -> None:
    assert printed.startswith(b"%PDF-1.6\n")
    reader = PdfReader(io.BytesIO(printed))
    info: Any = reader.trailer["/Info"].get_object()
    catalog: Any = reader.trailer["/Root"]
    assert info["/Title"] == "Test card"
    assert info["/Trapped"] == "/False"
    assert info["/GTS_PDFXVersion"] == "PDF/X-4"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert 'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"' in xmp
    assert '<rdf:li xml:lang="x-default">Test card</rdf:li>' in xmp
    assert "<xmp:CreateDate>2025-12-01T00:00:00+00:00</xmp:CreateDate>" in xmp
    assert "<xmp:ModifyDate>2025-12-01T00:00:00+00:00</xmp:ModifyDate>" in xmp
    assert info["/CreationDate"] == info["/ModDate"] == "D:20251201000000Z"
    assert "pdfuaid" not in xmp and "pdfaid" not in xmp
    ids: Any = reader.trailer["/ID"]
    assert ids[0] == ids[1] and len(ids[0].original_bytes) == 16
    assert "/Annots" not in reader.pages[0]


def test_deterministic(printed: bytes) -> None:
    again = prepress.for_print_shop(typst_pdf(), bleed=BLEED, title="Test card", identifier=b"t")
    assert again == printed
    other = prepress.for_print_shop(typst_pdf(), bleed=BLEED, title="Test card", identifier=b"u")
    assert re.search(rb"/ID \[[^]]*\]", other) != re.search(rb"/ID \[[^]]*\]", printed)


def test_unknown_colour_is_named() -> None:
    pdf = typst_pdf('#text(fill: rgb("#123456"))[odd]')
    with pytest.raises(RenderError, match="#123456"):
        prepress.for_print_shop(pdf, bleed=BLEED, title="t", identifier=b"t")


def test_unknown_colour_in_svg_is_named() -> None:
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'>"
        "<rect width='4' height='4' fill='#abcdef'/></svg>"
    )
    pdf = typst_pdf(f'#image(bytes("{svg}"), format: "svg", alt: "x", width: 4mm)')
    with pytest.raises(RenderError, match="#abcdef"):
        prepress.for_print_shop(pdf, bleed=BLEED, title="t", identifier=b"t")


def test_ciede2000_reference_pairs() -> None:
    """Sharma, Wu and Dalal's test data for CIEDE2000 (pairs 1, 7 and 17)."""
    assert prepress.delta_e_2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(
        2.0425, abs=1e-4
    )
    assert prepress.delta_e_2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert prepress.delta_e_2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def test_table_delta_e_is_what_the_profile_gives() -> None:
    data = yaml.safe_load((prepress.PROJECT / prepress.COLOURS_FILE).read_text(encoding="utf-8"))
    for colour, entry in data["colours"].items():
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        r, g, b = prepress.channels(colour)
        assert not r == g == b, f"{colour} is a grey: greys print in black ink, not from the table"
        measured = prepress.printed_difference(colour, tuple(entry["cmyk"]))
        assert measured == pytest.approx(entry["delta-e"], abs=0.01), colour
        assert measured <= DELTA_E_LIMIT, colour
        assert sum(entry["cmyk"]) <= 330, f"{colour} exceeds the 330 % total ink of FOGRA39"
        assert tuple(entry["cmyk"]) == prepress.profile_cmyk(colour), colour


def test_palette_and_diagram_colours_are_in_the_table() -> None:
    table = prepress.colour_table()
    palette = yaml.safe_load((prepress.PROJECT / "templates/palette.yaml").read_text())
    scene = yaml.safe_load((prepress.PROJECT / "diagrams/scene.yaml").read_text())
    used = {c for look in palette.values() for c in look.values()} | set(scene["palette"].values())
    for colour in used:
        r, g, b = prepress.channels(colour)
        assert r == g == b or colour in table, colour
