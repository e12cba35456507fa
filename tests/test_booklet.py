"""The operating-instructions booklet, its imposition, its place in the parity check, and the
house rules (issue 17, item 5), each read back from the real booklet's PDF with PDFium."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import edit, settings_for, site_files, views_of
from pypdf import PdfReader
from test_site import build, catalogue, copy_project

from generator.checks.extract import PdfTexts, pdf_text
from generator.checks.parity import check_booklet, squeeze
from generator.errors import RenderError
from generator.outputs import paths
from generator.outputs.contract import reading
from generator.outputs.print import booklet as booklet_module
from generator.outputs.print.booklet import (
    BOOKLET_SIZES,
    BOOKLET_WORDS,
    FONT_SIZES,
    MARGINS,
    booklet_data,
    impose,
    render_booklet,
    render_booklets,
    revision_line,
    saddle_stitch_order,
)
from generator.outputs.words import LEGEND, WORDS, keep_together, legend_marks
from generator.sources.print_config import BookletSize

PDFINFO = shutil.which("pdfinfo")
MM = 72 / 25.4
EMPTY = 1 / 3
"""No page more than this much empty, but before a part, the notes and the covers."""


def sized(size: str) -> Any:
    """Return the real catalogue with the booklet in ``size``."""
    found = catalogue()
    printing = found.printing
    booklet = printing.booklet.model_copy(update={"size": BookletSize(size)})
    return replace(found, printing=printing.model_copy(update={"booklet": booklet}), _by_id={})


@pytest.fixture(scope="module", params=["a5", "a6"])
def booklet(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    """The real content's booklet, in each page size."""
    found = sized(request.param)
    return request.param, render_booklet(found, views_of(found), settings_for())


@dataclass(frozen=True)
class Line:
    """A line of text on a page, as PDFium reads it."""

    text: str
    smallest: float
    """The smallest font size in it (pt)."""
    largest: float
    left: float
    right: float
    bottom: float
    top: float


def page_lines(pdf: bytes) -> list[list[Line]]:
    """Return the lines of each page, their font sizes and boxes (points)."""
    pages = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        textpage = page.get_textpage()
        lines: list[Line] = []
        chars: list[tuple[str, float, tuple[float, ...]]] = []

        def flush(chars: list[tuple[str, float, tuple[float, ...]]], lines: list[Line]) -> None:
            if chars:
                sizes = [size for _, size, _ in chars]
                boxes = [box for _, _, box in chars]
                lines.append(
                    Line(
                        "".join(c for c, _, _ in chars).strip(),
                        min(sizes),
                        max(sizes),
                        min(b[0] for b in boxes),
                        max(b[2] for b in boxes),
                        min(b[1] for b in boxes),
                        max(b[3] for b in boxes),
                    )
                )
                chars.clear()

        for index in range(textpage.count_chars()):
            char = chr(pdfium.FPDFText_GetUnicode(textpage.raw, index))
            if char in "\r\n":
                flush(chars, lines)
                continue
            if pdfium.FPDFText_IsGenerated(textpage.raw, index) or char.isspace():
                chars.append((" ", chars[-1][1], chars[-1][2])) if chars else None
                continue
            size = pdfium.FPDFText_GetFontSize(textpage.raw, index)
            chars.append((char, size, textpage.get_charbox(index)))
        flush(chars, lines)
        pages.append(lines)
    document.close()
    return pages


def lowest_marks(pdf: bytes, top: float, bottom: float) -> list[float]:
    """Return how full each page is between its top and bottom margins (0 to 1), by its lowest
    text or graphic (the running head and footer, outside them, left out)."""
    fills = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        _, height = page.get_size()
        high, low = height - top * MM, bottom * MM
        lowest = None
        for item in page.get_objects(max_depth=1):
            _, y0, _, y1 = item.get_bounds()
            if y1 <= low + 0.5 or y0 >= high - 0.5:
                continue
            lowest = y0 if lowest is None else min(lowest, y0)
        fills.append(0.0 if lowest is None else (high - max(lowest, low)) / (high - low))
    document.close()
    return fills


def part_titles() -> set[str]:
    return {info.title for info, _ in catalogue().sections()}


# --- structure -------------------------------------------------------------------------------


def test_saddle_stitch_order_nests_the_sheets() -> None:
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    for pages in (4, 12, 24):
        order = saddle_stitch_order(pages)
        assert sorted(p for spread in order for p in spread) == list(range(1, pages + 1))
        assert all(left + right == pages + 1 for left, right in order)


def test_booklet_pages_are_a_multiple_of_four_with_the_important_information_first(
    built: Path,
) -> None:
    if PDFINFO is None:
        pytest.skip("pdfinfo is not installed (poppler-utils); .ci/run installs it")
    pdf = built / "print" / "backrack-en" / "booklet.pdf"
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages % 4 == 0 and pages >= 8
    width, height = BOOKLET_SIZES[catalogue().printing.booklet.size.value]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None
    assert abs(float(size[1]) / MM - width) < 0.1 and abs(float(size[2]) / MM - height) < 0.1
    text = pdf_text(pdf.read_bytes())
    assert text.index("Important information") < text.index("Contents")
    found = catalogue()
    assert check_booklet(site_files(built), found, views_of(found), PdfTexts()) == []


def test_every_size_is_a_multiple_of_four_pages_of_its_size(booklet: tuple[str, bytes]) -> None:
    size, pdf = booklet
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) % 4 == 0
    width, height = BOOKLET_SIZES[size]
    for page in reader.pages:
        assert abs(float(page.mediabox.width) / MM - width) < 0.1
        assert abs(float(page.mediabox.height) / MM - height) < 0.1
    found = sized(size)
    files = {paths.booklet("backrack-en"): pdf}
    assert check_booklet(files, found, views_of(found), PdfTexts()) == []


def test_imposed_booklet_puts_the_last_page_beside_the_cover(built: Path) -> None:
    booklet = PdfReader(built / "print" / "backrack-en" / "booklet.pdf")
    imposed = PdfReader(built / "print" / "backrack-en" / "booklet-imposed.pdf")
    assert len(imposed.pages) == len(booklet.pages) // 2
    width = float(booklet.pages[0].mediabox.width)
    assert abs(float(imposed.pages[0].mediabox.width) - 2 * width) < 0.01
    first_sheet = " ".join(imposed.pages[0].extract_text().split())
    cover = " ".join(booklet.pages[0].extract_text().split())
    last = " ".join(booklet.pages[-1].extract_text().split())
    assert cover[:40] in first_sheet and last[:20] in first_sheet


def version(header: str) -> tuple[int, ...]:
    return tuple(int(n) for n in header.removeprefix("%PDF-").split("."))


def test_the_imposed_booklet_declares_a_version_as_new_as_its_features() -> None:
    """The spreads carry the pages' transparency groups and compressed forms (PDF 1.4) and
    whatever else the pages use: they declare at least 1.4 and their pages' version."""
    found = catalogue()
    pdf = render_booklet(found, views_of(found), settings_for())
    imposed = impose(pdf)
    declared = version(PdfReader(io.BytesIO(imposed)).pdf_header)
    assert declared >= (1, 4)
    assert declared >= version(PdfReader(io.BytesIO(pdf)).pdf_header)
    assert b"/Group" not in imposed or declared >= (1, 4)


def test_a_booklet_that_loses_an_exercises_notices_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path)
    edit(
        root,
        "templates/print/booklet.typ",
        "for msg in ex.notice + ex.own { message(msg) }",
        "for msg in ex.own { message(msg) }",
    )
    code, printed = build(root, capsys)
    assert code == 1
    source = "content/shared.yaml: messages.consult-doctor.text.0"
    lacks = "booklet of stomach-crunch: doctor notice: lacks 'If you are in any doubt"
    assert f"{source}: {lacks}" in printed, printed
    assert not (root / "site").exists()


def test_the_booklet_and_its_print_shop_variant_equal_those_laid_out_alone() -> None:
    found = catalogue()
    views, settings = views_of(found), settings_for()
    made = render_booklets(found, views, settings, "backrack-en")
    plain, shop = made[paths.booklet("backrack-en")], made[paths.booklet_print("backrack-en")]
    assert plain != shop
    assert plain == render_booklet(found, views, settings)
    assert shop == render_booklet(found, views, settings, bleed=True)


def test_a_line_out_of_the_margins_fails_naming_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The read-back fit check: a booklet whose lines stand closer to the trim than allowed
    (here: a clearance no line can keep) fails, naming the file and field of each line."""
    monkeypatch.setattr(booklet_module, "CLEAR", 40.0)
    found = catalogue()
    with pytest.raises(RenderError) as failure:
        render_booklet(found, views_of(found), settings_for())
    message = str(failure.value)
    assert re.search(
        r"content/exercises/[\w-]+\.yaml: phases\.\d+\.steps\.\d+: booklet: a line", message
    )
    assert "content/shared.yaml: messages." in message


# --- house rules ----------------------------------------------------------------------------


def test_body_text_is_11_pt_and_captions_running_heads_and_footers_9_pt(
    booklet: tuple[str, bytes],
) -> None:
    """Every text run is 9 pt or more; a run under 11 pt is a caption, the key to the
    pictures, a running head, a page number or the revision line, nothing else."""
    _, pdf = booklet
    found = catalogue()
    views = views_of(found)
    small = [revision_line(found), WORDS["legend"], *LEGEND.values(), *part_titles()]
    small += [
        WORDS[BOOKLET_WORDS["important"]],
        WORDS[BOOKLET_WORDS["contents"]],
        WORDS["preview"],
        WORDS["identity"],
    ]
    small += [p.phase.caption or "" for v in views.values() for p in v.phases]
    small += [
        " ".join([WORDS["legend"], *(LEGEND[mark] for mark in legend_marks(v.phases))])
        for v in views.values()
    ]
    allowed = [squeeze(text) for text in small if text]
    checked = 0
    for number, lines in enumerate(page_lines(pdf), 1):
        for line in lines:
            assert line.smallest >= min(FONT_SIZES.values()) - 0.01 >= 9, (number, line)
            if line.smallest < FONT_SIZES["body"] - 0.01:
                words = squeeze(line.text).strip("0123456789")  # page and phase numbers
                ok = not words or any(words in a for a in allowed)
                assert ok, (number, line.text, line.smallest)
            else:
                checked += 1
    assert checked > 500


def test_the_outside_back_cover_is_a_back_cover(booklet: tuple[str, bytes]) -> None:
    """Product, address and QR code, revision: no exercise text."""
    _, pdf = booklet
    found = catalogue()
    last = squeeze(" ".join(line.text for line in page_lines(pdf)[-1]))
    for needed in (found.shared.product, settings_for().site_url, revision_line(found)):
        assert squeeze(needed) in last, needed
    for view in views_of(found).values():
        for t in reading(view):
            if len(t.text) > len(found.shared.product) + 2:
                assert squeeze(t.text) not in last, (view.id, t.part, t.text)
    document = pypdfium2.PdfDocument(pdf)
    page = document[len(document) - 1]
    squares = []
    for item in page.get_objects(max_depth=3):
        x0, y0, x1, y1 = item.get_bounds()
        if item.type != pdfium.FPDF_PAGEOBJ_TEXT and abs((x1 - x0) - (y1 - y0)) < 1 * MM:
            squares.append((x1 - x0) / MM)
    assert any(side >= 20 for side in squares), "the QR code, at least 20 mm"
    document.close()


def exempt_pages(pdf: bytes) -> set[int]:
    """Return the pages that may be more than a third empty: the covers, the page before a
    part starts, the notes pages and the page before them (the end of the last part)."""
    pages = page_lines(pdf)
    titles = {squeeze(title) for title in part_titles()}
    notes = squeeze(WORDS[BOOKLET_WORDS["notes"]])
    exempt = {1, len(pages)}
    for number, lines in enumerate(pages, 1):
        headings = {squeeze(line.text) for line in lines if line.largest >= 17}
        if headings & titles:
            exempt.add(number - 1)
        if notes in headings:
            exempt |= {number - 1, number}
    exempt.add(len(pages) - 1)  # the end of the last part, when there are no notes
    return exempt


A6_KNOWN_EMPTY = {41}
"""The A6 pages known to be more than a third empty: on page 41 a phase's picture (30 mm),
which stays with the breathing and step after it, does not fit below the phase before."""


def test_no_page_is_more_than_a_third_empty_but_before_a_part(booklet: tuple[str, bytes]) -> None:
    size, pdf = booklet
    margins = MARGINS[size]
    fills = lowest_marks(pdf, margins.top, margins.bottom)
    exempt = exempt_pages(pdf)
    empty = {
        number: round(1 - fill, 2)
        for number, fill in enumerate(fills, 1)
        if number not in exempt and 1 - fill > EMPTY
    }
    # A6 (not the configured size): one page is known to break the rule (A6_KNOWN_EMPTY).
    # Any other page, the known one filled, or any page at A5, fails.
    known = A6_KNOWN_EMPTY if size == "a6" else set()
    assert set(empty) == known, (size, empty, [f"{n}:{f:.0%}" for n, f in enumerate(fills, 1)])


def test_no_heading_is_printed_twice_on_a_page(booklet: tuple[str, bytes]) -> None:
    """A part of one exercise of its own title ("Getting on the rack") has one heading, and no
    running head repeats a heading on its page."""
    size, pdf = booklet
    margins = MARGINS[size]
    found = catalogue()
    for number, lines in enumerate(page_lines(pdf), 1):
        height = PdfReader(io.BytesIO(pdf)).pages[number - 1].mediabox.height
        heads = [
            squeeze(line.text)
            for line in lines
            if line.largest <= FONT_SIZES["small"] + 0.01
            and line.bottom > float(height) - margins.top * MM
        ]
        headings = [squeeze(line.text) for line in lines if line.largest >= 12.5]
        assert len(headings) == len(set(headings)), (number, headings)
        assert not set(heads) & set(headings), (number, heads)
    text = squeeze(pdf_text(pdf))
    for _, exercises in found.sections():
        for exercise in exercises:
            # The contents list it once, the booklet heads its section once.
            assert text.count(squeeze(exercise.title + exercise.purpose)) == 1, exercise.id


def test_running_heads_and_page_numbers_stand_on_the_outer_edge(
    booklet: tuple[str, bytes],
) -> None:
    size, pdf = booklet
    margins = MARGINS[size]
    pages = page_lines(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    heads = 0
    for number, lines in enumerate(pages[1:-1], 2):
        width = float(reader.pages[number - 1].mediabox.width)
        height = float(reader.pages[number - 1].mediabox.height)
        outer_left = number % 2 == 0  # a left-hand (even) page's outer edge is its left
        edge = margins.outside * MM
        small = [line for line in lines if line.largest <= FONT_SIZES["small"] + 0.01]
        head = [line for line in small if line.bottom > height - margins.top * MM]
        footer = [line for line in small if line.top < margins.bottom * MM]
        for line in head:
            heads += 1
            if outer_left:
                assert abs(line.left - edge) < 1 * MM, (number, line)
            else:
                assert abs(line.right - (width - edge)) < 1 * MM, (number, line)
        assert footer, number
        if outer_left:
            outer = min(footer, key=lambda line: line.left)
            assert outer.text.split()[0] == str(number), (number, outer.text)
            assert abs(outer.left - edge) < 1 * MM, (number, outer)
        else:
            outer = max(footer, key=lambda line: line.right)
            assert outer.text.split()[-1] == str(number), (number, outer.text)
            assert abs(outer.right - (width - edge)) < 1 * MM, (number, outer)
    assert heads > len(pages) / 2


def test_numbers_and_units_never_break_across_lines(booklet: tuple[str, bytes]) -> None:
    _, pdf = booklet
    text = pdf_text(pdf)
    assert "more than 45°." in " ".join(text.split())
    units = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|times?|cm|mm|kg|m|°|to)\b"
    broken = re.findall(rf"\d[ \t]*[\r\n]+\s*{units}", text)
    assert broken == []
    found = catalogue()
    strings: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("svg", "qr", "palette"):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(booklet_data(found, views_of(found), settings_for(), bleed=False)["booklet"])
    assert [s for s in strings if keep_together(s) != s] == []


def test_the_inner_margin_is_wider_and_every_character_stays_inside_the_margins(
    booklet: tuple[str, bytes],
) -> None:
    size, pdf = booklet
    margins = MARGINS[size]
    assert margins.inside > margins.outside
    reader = PdfReader(io.BytesIO(pdf))
    for number, lines in enumerate(page_lines(pdf), 1):
        width = float(reader.pages[number - 1].mediabox.width)
        left = margins.inside if number % 2 else margins.outside
        right = margins.outside if number % 2 else margins.inside
        for line in lines:
            assert line.left >= left * MM - 0.5 * MM, (number, line.text)
            assert line.right <= width - right * MM + 0.5 * MM, (number, line.text)
