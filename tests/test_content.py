"""The fast content-stream lexicon: pypdf's operations and bytes, or pypdf itself."""

from __future__ import annotations

import io
import random

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    NameObject,
    create_string_object,
)

from generator.outputs.print import content, prepress
from generator.outputs.print.content import Lexicon

TRICKY = {
    "operator text in a string": b"BT /f0 9 Tf (1 0 0 rg) Tj ET 0 g",
    "escaped parentheses": b"BT (a\\) 1 0 0 rg \\() Tj ET 0.5 G",
    "nested parentheses": b"BT (a (1 0 0 rg) b) Tj ET",
    "deeply nested parentheses": b"BT (a (b (c (1 0 0 rg) c) b) a) Tj ET",
    "hexadecimal strings": b"BT <31 20 30 20 30 20 72 67> Tj <48656c6c6f> Tj <7> Tj ET",
    "a comment": b"q % 1 0 0 rg (not a string\n0 g Q",
    "a comment at the end": b"0 g % 1 0 0 rg",
    "a dictionary": b"/Span <</ActualText (1 0 0 rg) /MCID 3 /Alt (x (y)) >> BDC EMC",
    "a nested dictionary": b"/P <</A <</B [1 2 (3)] /C true /D null>> /E <00ff>>> BDC EMC",
    "a text array": b"BT [(1 0 0 rg) -250 (x) 3.5 <4142>] TJ ET",
    "nested arrays": b"[[1 2] [3]] 0 d [] 0 d",
    "escapes": b"BT (\\000\\1a\\12\\n\\r\\t\\b\\f\\\\\\/\\%\\q\\777\\\n.\\\r\n.) Tj ET",
    "text and byte strings": (
        b"BT (\\376\\377\\000A) Tj (\\357\\273\\277\\303\\251) Tj (\\177\\200) Tj ET"
    ),
    "numbers": b".5 -3. +2 0.0 -0 007 123456.78901234 1e5 g",
    "names": b"/a#20b cs /\xe9 CS /F1 12 Tf /  gs",
    "operands but no operator": b"0 g 1 2 3",
    "an empty stream": b"",
    "only whitespace": b" \n\r\t ",
    "no separators": b"q[(a)1(b)]TJ/F1 9 Tf(x)'(y)\"Q",
}
FALLBACK = {
    "an inline image": b"q BI /W 8 /H 1 /CS /G /BPC 8 ID 1 0 0 rg EI Q 0 g",
    "a number pypdf reads as one": b"1-2 g",
    "a NUL between tokens": b"0\x00g",
    "a form feed between tokens": b"0\x0cg",
    "an indirect reference": b"1 0 R",
    "a comment in an array": b"[1 % x\n2] 0 d",
    "a stray bracket": b"] 0 g",
    "parentheses nested too deep": b"BT (a (b (c (d (e) d) c) b) a) Tj ET",
    "an unterminated string": b"BT (abc Tj ET",
}


def pypdf_round_trip(data: bytes) -> tuple[list[tuple[object, bytes]], bytes]:
    content = ContentStream(None, None)
    content.set_data(data)
    operations = content.operations
    return operations, bytes(content.get_data())


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_the_lexicon_reads_and_writes_as_pypdf(name: str) -> None:
    data = TRICKY[name]
    lexicon = Lexicon()
    parsed = lexicon.parse(data)
    assert parsed is not None, "read fast, not left to pypdf"
    operations, written = pypdf_round_trip(data)
    assert lexicon.data(parsed) == written
    assert [parsed.tokens[i] for i in parsed.ops] == [op for _, op in operations]
    for number, (operands, _) in enumerate(operations):
        values = [lexicon.value(t) for t in parsed.operands(number)]
        assert values == operands
        assert [type(v) for v in values] == [type(o) for o in operands]


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_what_the_lexicon_cannot_read_exactly_is_left_to_pypdf(name: str) -> None:
    assert Lexicon().parse(FALLBACK[name]) is None


def test_no_operator_is_found_in_a_string_a_comment_or_an_image() -> None:
    """The colour operators are those pypdf finds; a naive search finds more."""
    for data in (TRICKY["operator text in a string"], TRICKY["a comment"]):
        parsed = Lexicon().parse(data)
        assert parsed is not None
        ops = [parsed.tokens[i] for i in parsed.ops]
        assert b"rg" not in ops
        assert b" rg" in data  # what a search of the bytes would have taken for one


def recoloured(data: bytes) -> tuple[bytes, bytes]:
    """Return a stream rewritten by the fast lexicon and by pypdf's operations."""
    recolour = prepress._Recolour(prepress.colour_table())
    fast = recolour.content(data, None, False, "test")
    content = ContentStream(None, None)
    content.set_data(data)
    slow = prepress._Recolour(prepress.colour_table())
    content.operations = slow.operations(content.operations, None, False, "test")
    return fast, bytes(content.get_data())


def test_the_rewrite_changes_colours_only_and_as_pypdf_did() -> None:
    data = b"q 0 g BT (1 0 0 rg 0.5 g) Tj [(0 g) 5] TJ ET 0.5 G % 1 0 0 rg\n Q"
    fast, slow = recoloured(data)
    assert fast == slow
    assert fast.count(b" k\n") == 1 and fast.count(b" K\n") == 1
    assert b"(1 0 0 rg 0\\0565 g) Tj" in fast  # the string kept: no colour set in it


def test_the_rewrite_of_an_inline_image_stream_goes_through_pypdf() -> None:
    data = b"q 0 g BI /W 8 /H 1 /CS /G /BPC 8 ID 1 0 0 rg EI Q"
    fast, slow = recoloured(data)
    assert fast == slow
    assert b"1 0 0 rg" in fast  # image data, untouched


# --- the check can fail --------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed() -> bytes:
    from test_prepress import BLEED, typst_pdf

    return prepress.for_print_shop(typst_pdf(), bleed=BLEED, title="Test card", identifier=b"t")


def with_page_content(pdf: bytes, extra: bytes) -> bytes:
    """Return ``pdf`` with ``extra`` drawn at the end of its first page."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    stream = DecodedStreamObject()
    stream.set_data(contents.get_data() + b"\n" + extra)
    page.replace_contents(ContentStream(stream, None))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("extra", "found"),
    [
        (b"0.5 0.2 0.1 rg 0 0 1 1 re f", "page 1: rg"),
        (b"0 0 1 RG", "page 1: RG"),
        (b"/DeviceRGB cs 1 0 0 sc", "page 1: /DeviceRGB cs"),
        (b"/DeviceCMYK CS 1 0 0 SCN", "page 1: SCN with three components"),
        (b"BI /W 8 /H 1 /CS /G /BPC 8 ID 12345678 EI 1 0 0 rg", "page 1: rg"),
        (b"BT (x) Tj ET 1 0 0 rg", "page 1: rg"),
    ],
)
def test_rgb_left_finds_rgb_put_back(printed: bytes, extra: bytes, found: str) -> None:
    assert prepress.rgb_left(printed) == []
    assert found in prepress.rgb_left(with_page_content(printed, extra))


@pytest.mark.parametrize(
    "extra",
    [
        b"BT /f0 9 Tf (1 0 0 rg) Tj ET",
        b"% 1 0 0 rg",
        b"BT [(/DeviceRGB cs) 5 (1 0 0 sc)] TJ ET",
        b"/Span <</ActualText (1 0 0 RG)>> BDC EMC",
    ],
)
def test_rgb_left_does_not_take_text_for_an_operator(printed: bytes, extra: bytes) -> None:
    assert prepress.rgb_left(with_page_content(printed, extra)) == []


def test_rgb_left_finds_rgb_in_a_form(printed: bytes) -> None:
    reader = PdfReader(io.BytesIO(printed))
    writer = PdfWriter(clone_from=reader)
    forms = [
        obj
        for obj in (writer.get_object(i) for i in range(1, len(writer._objects) + 1))
        if obj is not None and getattr(obj, "get", lambda _: None)("/Subtype") == "/Form"
    ]
    assert forms
    forms[0].set_data(forms[0].get_data() + b"\n0 1 0 rg")
    out = io.BytesIO()
    writer.write(out)
    assert any(
        f.endswith(": rg") and f.startswith("object") for f in prepress.rgb_left(out.getvalue())
    )


def test_a_name_is_the_object_pypdf_reads() -> None:
    lexicon = Lexicon()
    assert lexicon.value(b"/DeviceRGB") == NameObject("/DeviceRGB")
    assert lexicon.value(b"/Device#52GB") == NameObject("/DeviceRGB")


def test_text_and_byte_strings_are_told_apart_as_pypdf_does() -> None:
    """pypdf writes a string it reads as text in parentheses, any other in hexadecimal."""
    rng = random.Random(21)
    alphabet = [0, 0, 65, 0x7F, 0x80, 0xAD, 0xBB, 0xBF, 0xD8, 0xDC, 0xEF, 0xFE, 0xFF]
    cases = [bytes(rng.choice(alphabet) for _ in range(rng.randrange(7))) for _ in range(5000)]
    cases += [bytes(rng.randrange(256) for _ in range(rng.randrange(5))) for _ in range(5000)]
    for value in cases:
        assert content._text(value) == (
            not isinstance(create_string_object(value), ByteStringObject)
        ), value


PIECES = [
    b"0", b"1", b"-2.5", b".5", b"+3", b"1.", b"007", b"1-2", b"1,2", b"--", b".",
    b"/F1", b"/a#20b", b"/", b"/\xe9", b"q", b"Q", b"rg", b"g", b"k", b"cs", b"scn", b"Tj", b"TJ",
    b"BDC", b"true", b"null", b"R", b"stream", b"BI", b"ID", b"EI",
    b"(x)", b"(1 0 0 rg)", b"(a(b)c)", b"(\\()", b"(\\))", b"(\\\\)", b"(\\101\\7777)", b"(\\q)",
    b"(\\\n)", b"(\xfe\xff\x00A)", b"(\x00\x01)", b"(", b")",
    b"<41>", b"<4 1>", b"<>", b"<z>", b"<<", b">>", b"<</A 1>>", b"<</A (x) /A 2>>",
    b"[", b"]", b"[1 (a) /N]", b"[]", b"{", b"}", b"%c\n", b"%c(\n", b"\x00", b"\x0c",
]  # fmt: skip
SEPARATORS = [b" ", b"\n", b"", b"\r\n", b"\t"]


def test_random_streams_read_as_pypdf_reads_them_or_are_left_to_it() -> None:
    """Streams of tricky pieces in any order: the same operations and bytes as pypdf's, or
    ``None`` (and pypdf parses them); never different ones."""
    rng = random.Random(2126)
    fast = 0
    for _ in range(1000):
        data = b"".join(
            rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randrange(1, 12))
        )
        try:
            operations, written = pypdf_round_trip(data)
        except Exception:  # pypdf cannot read it: neither may the lexicon
            assert Lexicon().parse(data) is None, data
            continue
        lexicon = Lexicon()
        parsed = lexicon.parse(data)
        if parsed is None:
            continue
        fast += 1
        assert lexicon.data(parsed) == written, data
        assert [parsed.tokens[i] for i in parsed.ops] == [op for _, op in operations], data
    assert fast > 150  # many are read fast (the pieces are chosen to be awkward)
