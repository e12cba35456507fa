"""The conformance check finds each fault it names in a good PDF broken on purpose, and none in it.

The good PDF/UA file is made by Typst the way the print outputs are; the good
PDF/X file is built with pypdf: a CMYK page with trim and bleed boxes and
crop marks outside the bleed, and an output intent whose ICC stream is a
structural fixture (it says N 4, its bytes are no real profile).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from generator.checks.conformance import Finding, check_pdf
from generator.outputs.print.typeset import compile_source

UA_SOURCE = """
#set document(title: "Cat stretch")
#set text(lang: "en", font: "Atkinson Hyperlegible")
= Cat stretch
Kneel on the rack.
#image(bytes("<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'>\
<path d='M0 20 L10 0 L20 20 Z' fill='orange'/></svg>"), format: "svg", alt: "A warning triangle")
#table(columns: 2, table.header([Step], [Time]), [Kneel], [10 s])
"""
TRANSPARENT_SOURCE = (
    UA_SOURCE + "\n#rect(width: 1cm, height: 1cm, fill: blue.transparentize(50%))\n"
)
XMP_PDFX = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Cat stretch card</rdf:li></rdf:Alt></dc:title>
<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>"""
MEDIA, BLEED, TRIM = (0, 0, 160, 160), (21, 21, 139, 139), (30, 30, 130, 130)
CROP_MARKS = (
    # drawn from the trim corner's coordinates, in a translated system, outside the bleed
    b"q 0 0 0 1 K 0.25 w 1 0 0 1 30 30 cm 0 -30 m 0 -12 l S -30 0 m -12 0 l S Q\n"
    b"q 0 0 0 1 K 0.25 w 0 148 m 0 160 l S 0 130 m 12 130 l S 130 148 m 130 160 l S Q\n"
)


def catalog(writer: PdfWriter) -> Any:
    """Return the writer's catalog, loosely typed for editing."""
    return writer._root_object


def info(writer: PdfWriter) -> Any:
    """Return the writer's Info dictionary, loosely typed for editing."""
    return writer._info.get_object() if writer._info is not None else None


def typst_pdf(source: str) -> bytes:
    """Compile ``source`` with Typst to a PDF/UA-1 file, as the print outputs are."""
    return compile_source(source.encode(), standards=["ua-1"], epoch=1764547200)


@cache
def good_ua() -> bytes:
    """Return the good PDF/UA file."""
    return typst_pdf(UA_SOURCE)


def stream(writer: PdfWriter, data: bytes, **entries: object) -> object:
    """Add a stream with ``data`` and dictionary ``entries`` to ``writer``; return its reference."""
    obj = DecodedStreamObject()
    obj.set_data(data)
    for key, value in entries.items():
        obj[NameObject("/" + key)] = value
    return writer._add_object(obj)


@cache
def good_x() -> bytes:
    """Return the good PDF/X file: CMYK content, boxes, crop marks outside the bleed, intent."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=MEDIA[2], height=MEDIA[3])
    page.bleedbox = RectangleObject(BLEED)
    page.trimbox = RectangleObject(TRIM)
    content = b"q 0 0.2 0.6 0 k 21 21 118 118 re f Q\n" + CROP_MARKS
    page[NameObject("/Contents")] = stream(writer, content)
    profile = stream(
        writer,
        b"structural test fixture: stands for a CMYK ICC profile, is none",
        N=NumberObject(4),
    )
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFX"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("FOGRA39"),
            NameObject("/DestOutputProfile"): profile,
        }
    )
    root = writer._root_object
    root[NameObject("/OutputIntents")] = ArrayObject([intent])
    root[NameObject("/Metadata")] = stream(
        writer, XMP_PDFX.encode(), Type=NameObject("/Metadata"), Subtype=NameObject("/XML")
    )
    writer.add_metadata({"/Title": "Cat stretch card", "/GTS_PDFXVersion": "PDF/X-4"})
    info(writer)[NameObject("/Trapped")] = NameObject("/False")
    writer.pdf_header = "%PDF-1.6"
    writer.generate_file_identifiers()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def edit(data: bytes, change: Callable[[PdfWriter], object]) -> bytes:
    """Return ``data`` rewritten by pypdf after ``change``, keeping its header."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)), keep_initial_header=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_content(writer: PdfWriter, data: bytes) -> None:
    """Append ``data`` to the first page's content."""
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    contents.set_data(contents.get_data() + b"\n" + data)
    page.replace_contents(contents)


def elements(writer: PdfWriter, tag: str) -> list[DictionaryObject]:
    """Return the structure elements of type ``tag``."""
    found: list[DictionaryObject] = []
    stack = [catalog(writer)["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, DictionaryObject):
            if node.get("/S") == tag:
                found.append(node)
            kids = node.get("/K")
            stack += list(kids) if isinstance(kids, ArrayObject) else [kids]
        else:
            node = node.get_object() if hasattr(node, "get_object") else node
            if isinstance(node, DictionaryObject):
                stack.append(node)
    return found


def rules(data: bytes) -> set[str]:
    """Return the names of the rules ``data`` breaks."""
    return {f.rule for f in check_pdf(data)}


def findings(data: bytes, rule: str) -> list[Finding]:
    """Return the findings of one rule."""
    return [f for f in check_pdf(data) if f.rule == rule]


def test_good_files_pass() -> None:
    assert check_pdf(good_ua()) == []
    assert check_pdf(good_x()) == []
    assert check_pdf(edit(good_ua(), lambda w: None)) == [], "a pypdf round trip keeps it good"
    assert check_pdf(typst_pdf(TRANSPARENT_SOURCE)) == [], "PDF 1.7 may use transparency"


def test_the_good_files_are_what_they_claim() -> None:
    """The fixtures really hold what the rules look for, so a pass means something."""
    ua: Any = PdfReader(io.BytesIO(good_ua())).trailer["/Root"]
    assert b"<pdfuaid:part>1</pdfuaid:part>" in ua["/Metadata"].get_data()
    assert ua["/StructTreeRoot"]["/K"] is not None
    x = PdfReader(io.BytesIO(good_x()))
    x_catalog: Any = x.trailer["/Root"]
    assert x_catalog["/OutputIntents"][0]["/DestOutputProfile"]["/N"] == 4
    assert x.pdf_header == "%PDF-1.6"


# ---------------------------------------------------------------- PDF/X


def test_pdfx_without_output_intent() -> None:
    broken = edit(good_x(), lambda w: w._root_object.pop("/OutputIntents"))
    assert rules(broken) == {"pdfx-output-intent"}


def test_pdfx_output_intent_not_cmyk() -> None:
    def rgb_profile(writer: PdfWriter) -> None:
        intent = catalog(writer)["/OutputIntents"][0]
        intent["/DestOutputProfile"].get_object()[NameObject("/N")] = NumberObject(3)

    assert [f.detail for f in findings(edit(good_x(), rgb_profile), "pdfx-output-intent")] == [
        "the output intent's profile has /N 3, not 4 (CMYK)"
    ]


def test_pdfx_claimed_in_info_only() -> None:
    def info_claim_only(writer: PdfWriter) -> None:
        writer._root_object.pop("/Metadata")
        writer._root_object.pop("/OutputIntents")

    assert rules(edit(good_x(), info_claim_only)) == {"pdfx-output-intent"}


@pytest.mark.parametrize(
    ("operators", "expected"),
    [
        (b"1 0 0 rg 40 40 10 10 re f", "a 'rg' operator sets an RGB colour"),
        (b"0 0 1 RG 40 40 m 50 50 l S", "a 'RG' operator sets an RGB colour"),
        (b"/DeviceRGB cs 1 0 0 sc 40 40 10 10 re f", "'/DeviceRGB cs' selects DeviceRGB"),
    ],
)
def test_pdfx_rgb_operators(operators: bytes, expected: str) -> None:
    broken = edit(good_x(), lambda w: add_content(w, operators))
    assert [f.detail for f in findings(broken, "pdfx-rgb-content")] == [f"page content: {expected}"]
    assert findings(broken, "pdfx-rgb-content")[0].page == 1


def test_pdfx_rgb_in_a_nested_form_an_icc_space_and_an_image() -> None:
    def nested(writer: PdfWriter) -> None:
        icc = stream(writer, b"structural fixture, not a profile", N=NumberObject(3))
        inner = stream(
            writer,
            b"/CS0 cs 1 0 0 sc 0 0 5 5 re f /Im0 Do",
            Type=NameObject("/XObject"),
            Subtype=NameObject("/Form"),
            BBox=ArrayObject([NumberObject(0)] * 2 + [NumberObject(10)] * 2),
            Resources=DictionaryObject(
                {
                    NameObject("/ColorSpace"): DictionaryObject(
                        {NameObject("/CS0"): ArrayObject([NameObject("/ICCBased"), icc])}
                    ),
                    NameObject("/XObject"): DictionaryObject(
                        {
                            NameObject("/Im0"): stream(
                                writer,
                                b"\xff\x00\x00",
                                Type=NameObject("/XObject"),
                                Subtype=NameObject("/Image"),
                                Width=NumberObject(1),
                                Height=NumberObject(1),
                                BitsPerComponent=NumberObject(8),
                                ColorSpace=NameObject("/DeviceRGB"),
                            )
                        }
                    ),
                }
            ),
        )
        outer = stream(
            writer,
            b"/Fm1 Do",
            Type=NameObject("/XObject"),
            Subtype=NameObject("/Form"),
            BBox=ArrayObject([NumberObject(0)] * 2 + [NumberObject(10)] * 2),
            Resources=DictionaryObject(
                {NameObject("/XObject"): DictionaryObject({NameObject("/Fm1"): inner})}
            ),
        )
        page = writer.pages[0]
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Fm0"): outer})}
        )
        add_content(writer, b"q 1 0 0 1 50 50 cm /Fm0 Do Q")

    details = [f.detail for f in findings(edit(good_x(), nested), "pdfx-rgb-content")]
    assert details == [
        "page content, form /Fm0, form /Fm1: '/CS0 cs' selects ICCBased RGB (/N 3)",
        "page content, form /Fm0, form /Fm1: the image /Im0 is in DeviceRGB",
    ]


def test_pdfx_rgb_in_an_annotation_appearance() -> None:
    def annotate(writer: PdfWriter) -> None:
        appearance = stream(
            writer,
            b"0 1 0 rg 0 0 5 5 re f",
            Type=NameObject("/XObject"),
            Subtype=NameObject("/Form"),
            BBox=ArrayObject([NumberObject(0)] * 2 + [NumberObject(5)] * 2),
        )
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Square"),
                NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (40, 40, 45, 45)]),
                NameObject("/AP"): DictionaryObject({NameObject("/N"): appearance}),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    assert [f.detail for f in findings(edit(good_x(), annotate), "pdfx-rgb-content")] == [
        "a /Square annotation's /N appearance: a 'rg' operator sets an RGB colour"
    ]


def test_pdfx_page_boxes() -> None:
    no_trim = edit(good_x(), lambda w: w.pages[0].pop("/TrimBox"))
    assert [f.detail for f in findings(no_trim, "pdfx-page-boxes")] == [
        "the page has neither a TrimBox nor an ArtBox"
    ]

    def wide_bleed(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/BleedBox")] = ArrayObject(
            [NumberObject(v) for v in (-5, 21, 139, 139)]
        )

    assert [f.detail for f in findings(edit(good_x(), wide_bleed), "pdfx-page-boxes")] == [
        "the BleedBox [-5 21 139 139] is not within the MediaBox [0 0 160 160]"
    ]

    def trim_past_bleed(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/TrimBox")] = ArrayObject(
            [NumberObject(v) for v in (30, 30, 130, 145)]
        )

    assert "pdfx-page-boxes" in rules(edit(good_x(), trim_past_bleed))


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (
            lambda info: info.__setitem__(NameObject("/Trapped"), NameObject("/Unknown")),
            "pdfx-trapped",
        ),
        (lambda info: info.pop("/Trapped"), "pdfx-trapped"),
        (lambda info: info.pop("/Title"), "pdfx-title"),
    ],
)
def test_pdfx_info(change: Callable[[DictionaryObject], object], rule: str) -> None:
    broken = edit(good_x(), lambda w: change(info(w)))
    assert rules(broken) == {rule}


def test_pdfx_document_id() -> None:
    data = good_x()
    without_id = re.sub(rb"/ID\s*\[[^\]]*\]", lambda m: b" " * len(m[0]), data)
    assert without_id != data
    assert rules(without_id) == {"pdfx-id"}


def test_pdfx_4_is_pdf_1_6() -> None:
    broken = good_x().replace(b"%PDF-1.6", b"%PDF-1.7", 1)
    assert [f.detail for f in findings(broken, "pdfx-version")] == [
        "claims PDF/X-4, built on PDF 1.6, but declares PDF 1.7"
    ]


# ---------------------------------------------------------------- PDF/UA


def test_pdfua_figure_without_alt() -> None:
    def drop_alt(writer: PdfWriter) -> None:
        (figure,) = elements(writer, "/Figure")
        figure.pop("/Alt")

    found = findings(edit(good_ua(), drop_alt), "pdfua-figure-alt")
    assert [(f.page, f.detail) for f in found] == [(1, "a /Figure element has no /Alt text")]


def test_pdfua_role_mapped_figure_without_alt() -> None:
    def picture(writer: PdfWriter) -> None:
        (figure,) = elements(writer, "/Figure")
        figure.pop("/Alt")
        figure[NameObject("/S")] = NameObject("/Picture")
        root = catalog(writer)["/StructTreeRoot"].get_object()
        root["/RoleMap"][NameObject("/Picture")] = NameObject("/Figure")

    assert rules(edit(good_ua(), picture)) == {"pdfua-figure-alt"}


def test_pdfua_header_without_scope() -> None:
    def drop_scope(writer: PdfWriter) -> None:
        headers: list[Any] = elements(writer, "/TH")
        assert len(headers) == 2
        attributes: Any
        for attributes in headers[0]["/A"]:
            attributes.get_object().pop("/Scope", None)

    found = findings(edit(good_ua(), drop_scope), "pdfua-header-scope")
    assert [f.detail for f in found] == ["a /TH element has no Table /Scope attribute"]


def test_pdfua_without_language() -> None:
    assert rules(edit(good_ua(), lambda w: w._root_object.pop("/Lang"))) == {"pdfua-language"}


def test_pdfua_without_title() -> None:
    def drop_title(writer: PdfWriter) -> None:
        metadata = catalog(writer)["/Metadata"].get_object()
        xmp = re.sub(rb"<dc:title>.*?</dc:title>", b"", metadata.get_data(), flags=re.DOTALL)
        metadata.set_data(xmp)

    assert [f.detail for f in findings(edit(good_ua(), drop_title), "pdfua-title")] == [
        "the XMP metadata has no dc:title"
    ]

    def hide_title(writer: PdfWriter) -> None:
        preferences = catalog(writer)["/ViewerPreferences"]
        preferences[NameObject("/DisplayDocTitle")] = BooleanObject(False)

    assert rules(edit(good_ua(), hide_title)) == {"pdfua-title"}


def test_pdfua_not_marked_and_no_structure() -> None:
    def untag(writer: PdfWriter) -> None:
        writer._root_object.pop("/StructTreeRoot")
        catalog(writer)["/MarkInfo"][NameObject("/Marked")] = BooleanObject(False)

    assert rules(edit(good_ua(), untag)) == {"pdfua-marked", "pdfua-structure"}


def test_pdfua_untagged_content() -> None:
    broken = edit(good_ua(), lambda w: add_content(w, b"0 g 10 10 m 20 20 l S"))
    assert [f.detail for f in findings(broken, "pdfua-untagged-content")] == [
        "page content: 'S' outside marked content"
    ]


def test_pdfua_standard_type_remapped() -> None:
    def remap(writer: PdfWriter) -> None:
        root = catalog(writer)["/StructTreeRoot"].get_object()
        root["/RoleMap"][NameObject("/Figure")] = NameObject("/Span")

    assert rules(edit(good_ua(), remap)) == {"pdfua-role-map"}


# ---------------------------------------------------------------- crop marks


def test_crop_mark_inside_the_bleed() -> None:
    # a mark continuing the left trim line down, 4 pt below the trim: inside the 9 pt bleed
    broken = edit(
        good_x(), lambda w: add_content(w, b"q 0 0 0 1 K 1 0 0 1 30 0 cm 0 10 m 0 26 l S Q")
    )
    found = findings(broken, "crop-marks")
    assert [(f.page, f.detail) for f in found] == [
        (
            1,
            "a stroked line from (30.00, 10.00) to (30.00, 26.00) lies between "
            "the TrimBox [30 30 130 130] and the BleedBox [21 21 139 139]",
        )
    ]


def test_lines_on_the_page_and_outside_the_bleed_are_no_crop_marks() -> None:
    frame = b"0 0 0 1 K 30 30 100 100 re S 40 40 m 120 120 l S 0 150 m 5 155 l S"
    assert rules(edit(good_x(), lambda w: add_content(w, frame))) == set()


# ---------------------------------------------------------------- PDF version


def test_version_older_than_transparency() -> None:
    data = typst_pdf(TRANSPARENT_SOURCE)
    assert data.startswith(b"%PDF-1.7")
    broken = data.replace(b"%PDF-1.7", b"%PDF-1.3", 1)
    found = findings(broken, "pdf-version")
    assert found
    assert all(f.detail.startswith("declares PDF 1.3 but uses transparency") for f in found)
    assert {f.detail for f in found} >= {
        "declares PDF 1.3 but uses transparency (/ca below 1), which needs PDF 1.4"
    }


def test_pypdf_rewrites_say_pdf_1_3_unless_told_to_keep_the_header() -> None:
    """pypdf's own default header is %PDF-1.3: a rewrite without keep_initial_header is caught."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(typst_pdf(TRANSPARENT_SOURCE))))
    out = io.BytesIO()
    writer.write(out)
    assert rules(out.getvalue()) == {"pdf-version"}


def test_typst_colours_are_rgb_for_pdfx() -> None:
    """Typst's screen PDF paints in ICC-based RGB: claimed as PDF/X, it is caught."""
    claimed = edit(good_ua(), lambda w: w.add_metadata({"/GTS_PDFXVersion": "PDF/X-4"}))
    assert {"pdfx-output-intent", "pdfx-rgb-content", "pdfx-page-boxes"} <= rules(claimed)


def test_catalog_version_overrides_an_older_header() -> None:
    broken = typst_pdf(TRANSPARENT_SOURCE).replace(b"%PDF-1.7", b"%PDF-1.3", 1)
    fixed = edit(
        broken, lambda w: w._root_object.__setitem__(NameObject("/Version"), NameObject("/1.4"))
    )
    assert rules(fixed) == set()


@pytest.mark.parametrize(
    ("change", "needs"),
    [
        (
            lambda w: w._root_object.__setitem__(NameObject("/OCProperties"), DictionaryObject()),
            "optional content (/OCProperties), which needs PDF 1.5",
        ),
        (
            lambda w: catalog(w)["/OutputIntents"][0].__setitem__(  # any dictionary will do
                NameObject("/ExtraFont"),
                DictionaryObject(
                    {NameObject("/FontFile3"): stream(w, b"OTTO", Subtype=NameObject("/OpenType"))}
                ),
            ),
            "an OpenType font file (/FontFile3 /OpenType), which needs PDF 1.6",
        ),
    ],
)
def test_version_older_than_other_features(
    change: Callable[[PdfWriter], object], needs: str
) -> None:
    broken = edit(good_x(), change).replace(b"%PDF-1.6", b"%PDF-1.4", 1)
    assert [f.detail for f in findings(broken, "pdf-version")] == [
        f"declares PDF 1.4 but uses {needs}"
    ]


def test_unreadable_file() -> None:
    assert check_pdf(b"not a pdf", "card.pdf")[0].rule == "pdf-unreadable"
    assert check_pdf(b"not a pdf", "card.pdf")[0].detail.startswith("card.pdf: ")


def test_version_older_than_a_constant_alpha() -> None:
    """A graphics state with a stroking alpha below 1, written by hand, counts as transparency."""

    def gstate(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/ExtGState"): DictionaryObject(
                    {NameObject("/G0"): DictionaryObject({NameObject("/CA"): FloatObject(0.5)})}
                )
            }
        )

    broken = edit(good_x(), gstate).replace(b"%PDF-1.6", b"%PDF-1.3", 1)
    assert "declares PDF 1.3 but uses transparency (/CA below 1), which needs PDF 1.4" in {
        f.detail for f in findings(broken, "pdf-version")
    }
