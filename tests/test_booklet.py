"""The operating-instructions booklet, its imposition, and its place in the parity check."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import edit, settings_for, site_files, views_of
from test_site import build, catalogue, copy_project

from generator.checks.extract import PdfTexts, pdf_text
from generator.checks.parity import check_booklet
from generator.outputs import paths
from generator.outputs.print.booklet import (
    BOOKLET_SIZES,
    render_booklet,
    render_booklets,
    saddle_stitch_order,
)

PDFINFO = shutil.which("pdfinfo")
MM = 72 / 25.4


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
    pdf = built / "print" / "booklet.pdf"
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


def test_imposed_booklet_puts_the_last_page_beside_the_cover(built: Path) -> None:
    from pypdf import PdfReader

    booklet = PdfReader(built / "print" / "booklet.pdf")
    imposed = PdfReader(built / "print" / "booklet-imposed.pdf")
    assert len(imposed.pages) == len(booklet.pages) // 2
    width = float(booklet.pages[0].mediabox.width)
    assert abs(float(imposed.pages[0].mediabox.width) - 2 * width) < 0.01
    first_sheet = " ".join(imposed.pages[0].extract_text().split())
    cover = " ".join(booklet.pages[0].extract_text().split())
    last = " ".join(booklet.pages[-1].extract_text().split())
    assert cover[:40] in first_sheet and last[:20] in first_sheet


def test_a_booklet_that_loses_an_exercises_notices_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path)
    edit(
        root,
        "templates/booklet/booklet.html.j2",
        "{% for resolved in e.notice + e.own %}",
        "{% for resolved in [] %}",
    )
    code, printed = build(root, capsys)
    assert code == 1
    source = "content/shared.yaml: messages.consult-doctor.text.0"
    lacks = "booklet of stomach-crunch: doctor notice: lacks 'If you are in any doubt"
    assert f"{source}: {lacks}" in printed, printed
    assert not (root / "site").exists()


def test_the_booklet_and_its_print_shop_variant_from_one_layout_equal_those_laid_out_alone() -> (
    None
):
    found = catalogue()
    views, settings = views_of(found), settings_for()
    made = render_booklets(found, views, settings)
    plain, shop = made[paths.BOOKLET], made[paths.BOOKLET_PRINT]
    assert plain != shop
    assert plain == render_booklet(found, views, settings)
    assert shop == render_booklet(found, views, settings, bleed=True)
