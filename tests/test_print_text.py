"""Printed text is never clipped: long words and addresses break across lines in every printed
output, a text a layout cannot hold fails the build naming its source, and rendering leaves
nothing in the temporary folder.

One build of a copy of the project carries a 300-character word and a long address in a step
and in a safety message of an exercise; every PDF is read back with PDFium, text and character
boxes. The quick-start panel is given a long address of the site.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import REPO, SITE_URL, STOMACH_CRUNCH, edit, settings_for, views_of
from pypdf import PdfReader
from test_site import catalogue, copy_project

from generator.__main__ import main
from generator.checks.extract import pdf_text
from generator.checks.parity import squeeze
from generator.errors import RenderError
from generator.outputs import paths
from generator.outputs.print import cards
from generator.outputs.print.booklet import render_booklets
from generator.outputs.print.cards import CARD_SIZES, render_card, render_cards
from generator.outputs.print.panel import BLEED, MARGIN, render_panel
from generator.outputs.print.readback import text_outside
from generator.outputs.print.sheets import SHEETS, grid, impose_sheets
from generator.outputs.print.source import locate
from generator.outputs.print.typeset import compile_source
from generator.outputs.words import WORDS
from generator.sources.validate import load_catalogue

MM = 72 / 25.4
SAFE = 5.0
"""Text stays at least this far (mm) inside the trim, or inside its card on a sheet."""

STEP_WORD = ("Supercalifragilisticexpialidocious" * 9)[:300]
SAFETY_WORD = ("Pneumonoultramicroscopicsilicovolcanoconiosis" * 2)[:80]
"""Twice as wide as a column of side 1, where the exercise's own WARNING
stands: the stomach crunch's card has about 16 mm left there, and 28 mm on side 2."""
STEP_URL = "https://exercises.example.invalid/guides/getting-ready/hands-behind-your-head-without-pulling-on-the-neck/"
SAFETY_URL = "https://exercises.example.invalid/guides/safety/breathing-while-lifting-your-upper-body-on-the-rack/index.html"
LONG = (STEP_WORD, SAFETY_WORD, STEP_URL, SAFETY_URL)
URL = "https://exercises.example.invalid/"


@dataclass(frozen=True)
class Built:
    root: Path
    code: int
    printed: str
    left_in_temp: list[str]

    @property
    def site(self) -> Path:
        return self.root / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build a copy of the project with the long texts, with a temporary folder of its own."""
    work = tmp_path_factory.mktemp("long-texts")
    root = copy_project(work / "project")
    edit(
        root,
        STOMACH_CRUNCH,
        "      - Put your hands behind your head.\n",
        f"      - Put your hands behind your head {STEP_WORD} {STEP_URL}\n",
    )
    edit(
        root,
        STOMACH_CRUNCH,
        "      - Breathe out as you lift. Breathe in as you lower.\n",
        f"      - Breathe out as you lift. Read {SAFETY_URL} and {SAFETY_WORD}.\n",
    )
    temporary = work / "tmp"
    temporary.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(temporary))
        patch.setenv("TMPDIR", str(temporary))
        out = StringIO()
        with redirect_stdout(out), redirect_stderr(out):
            code = main(["--root", str(root), "build", "--no-cache", "--site-url", SITE_URL])
    return Built(root, code, out.getvalue(), sorted(os.listdir(temporary)))


def outputs(site: Path) -> dict[str, Path]:
    """Return every printed PDF that shows the exercise, by what it is."""
    return {
        "card": site / "cards" / "stomach-crunch.pdf",
        "print-shop card": site / "cards" / "print" / "stomach-crunch.pdf",
        "booklet": site / "print" / "backrack-en" / "booklet.pdf",
        "print-shop booklet": site / "print" / "backrack-en" / "booklet-print.pdf",
        **{
            f"{name} sheets": site / "print" / "backrack-en" / f"cards-{name}.pdf"
            for name in SHEETS
        },
    }


def char_boxes(
    pdf: Path,
) -> list[tuple[int, str, tuple[float, float, float, float], tuple[float, ...]]]:
    """Return (page, character, trim box, character box) of each drawn character, in points."""
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document):
            trim = page.get_trimbox()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                char = chr(pdfium.FPDFText_GetUnicode(text.raw, index))
                if pdfium.FPDFText_IsGenerated(text.raw, index) or char.isspace():
                    continue
                found.append((number, char, trim, text.get_charbox(index)))
            text.close()
            page.close()
    finally:
        document.close()
    return found


def test_the_build_with_long_words_succeeds_and_leaves_no_temporary_files(built: Built) -> None:
    assert built.code == 0, built.printed
    assert built.left_in_temp == []


def test_rendering_removes_its_temporary_fonts_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering writes nothing to the temporary folder (WeasyPrint did, and left it behind in
    worker processes): cards, the booklet and the sheets are made in memory."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    found = catalogue()
    views, settings = views_of(found), settings_for(url=URL)
    render_cards(found, views[found.published[0].id], settings)
    assert os.listdir(tmp_path) == []
    render_booklets(found, views, settings, "backrack-en")
    assert os.listdir(tmp_path) == []
    made = render_cards(found, views[found.published[0].id], settings)
    impose_sheets(
        REPO,
        [("card", made[paths.card(found.published[0].id)])],
        "a4",
        CARD_SIZES[found.printing.cards.size.value],
        settings.epoch,
        "en",
        light=False,
    )
    assert os.listdir(tmp_path) == []


def test_every_printed_output_shows_the_whole_word_and_address(built: Built) -> None:
    assert built.code == 0, built.printed
    for output, pdf in outputs(built.site).items():
        text = squeeze(pdf_text(pdf.read_bytes()))
        for long in LONG:
            assert squeeze(long) in text, (output, long[:30])


@pytest.mark.parametrize("output", ["card", "print-shop card", "booklet", "print-shop booklet"])
def test_every_character_stays_inside_the_trim(built: Built, output: str) -> None:
    assert built.code == 0, built.printed
    boxes = char_boxes(outputs(built.site)[output])
    assert len(boxes) > 2 * sum(len(long) for long in LONG)
    cut_off: dict[int, str] = {}  # page → what lies wholly outside the trim, cut away
    for page, char, (x0, y0, x1, y1), (left, bottom, right, top) in boxes:
        if right <= x0 or left >= x1 or top <= y0 or bottom >= y1:
            cut_off[page] = cut_off.get(page, "") + char
            continue
        inset = min(left - x0, bottom - y0, x1 - right, y1 - top) / MM
        assert inset >= SAFE, (output, page, char, round(inset, 1))
    # Only a preview's mark lies outside the trim of a print-shop file (in the bleed).
    mark = "".join(WORDS["preview"].split())
    assert all(text == mark for text in cut_off.values()), cut_off


@pytest.mark.parametrize("sheet", sorted(SHEETS))
def test_every_character_on_a_sheet_stays_inside_its_card(built: Built, sheet: str) -> None:
    """A sheet places each card's own page unscaled (a translation only) at its slot: every
    character of that page, where the placement puts it, is inside the slot's card. (PDFium
    misplaces some characters of a page drawn as a form, so the characters are read from the
    card's own PDF and moved by the placement read from the sheet.)"""
    assert built.code == 0, built.printed
    found, _ = load_catalogue(built.root)
    assert found is not None
    card = CARD_SIZES[found.printing.cards.size.value]
    places = grid(SHEETS[sheet], card)
    sheet_pdf = PdfReader(outputs(built.site)[f"{sheet} sheets"])
    height = float(sheet_pdf.pages[2].mediabox.height)
    checked = 0
    for number, exercise in enumerate(found.published):
        first_page = 2 + 2 * (number // places.per_sheet)
        index = number % places.per_sheet
        for side in (0, 1):
            content = b"".join(
                part.get_object().get_data()
                for part in sheet_pdf.pages[first_page + side].raw_get("/Contents")
            )
            placed = re.search(rb"q 1 0 0 1 ([\d.-]+) ([\d.-]+) cm /Card%d Do Q" % index, content)
            assert placed, (sheet, exercise.id, side)
            dx, dy = float(placed.group(1)), float(placed.group(2))
            sx, sy = places.slot(index, back=side == 1)
            boxes = char_boxes(built.site / paths.card(exercise.id))
            for page, char, _, (left, bottom, right, top) in boxes:
                if page != side:
                    continue
                x0, x1 = (left + dx) / MM, (right + dx) / MM
                y0, y1 = (height - top - dy) / MM, (height - bottom - dy) / MM
                inside = min(x0 - sx, y0 - sy, sx + card[0] - x1, sy + card[1] - y1)
                assert inside >= SAFE, (sheet, exercise.id, side, char, round(inside, 1))
                checked += 1
    assert checked > 1000


def test_a_line_a_layout_lets_out_of_its_page_fails_naming_its_source(
    built: Built, tmp_path: Path
) -> None:
    """The safety net under the templates: without the breaking of long words (the show rule
    of templates/print/common.typ), the card fails, naming the file and field of the word,
    instead of printing it out of the page."""
    root = copy_project(tmp_path / "project")
    for name in (STOMACH_CRUNCH,):
        (root / name).write_bytes((built.root / name).read_bytes())
    common = root / "templates" / "print" / "common.typ"
    rule = 'show regex("[^\\s\\u{00a0}/.\\-]{22,}"): it => it.text.clusters().join(sym.zws)'
    assert rule in common.read_text(encoding="utf-8")
    edit(root, "templates/print/common.typ", rule, "")
    found, _ = load_catalogue(root)
    assert found is not None
    exercise = found.get("stomach-crunch")
    assert exercise is not None
    with pytest.raises(RenderError) as failure:
        view = views_of(found)[exercise.id]
        render_card(found, view, settings_for(root, url=URL), cards.CardSettings("a5"))
    message = str(failure.value)
    lines = message.splitlines()
    steps = [line for line in lines if ": phases.0.steps.1: " in line]
    assert steps, message
    assert steps[0].startswith(
        f"{STOMACH_CRUNCH}: phases.0.steps.1: card stomach-crunch: a line of the back runs "
    ), message
    assert " mm out of the page: 'Supercalifragilisticexpialidocious" in steps[0], message


def test_text_outside_finds_lines_off_the_page() -> None:
    source = b"""#set page(width: 100mm, height: 100mm, margin: 10mm)
#set text(font: "Atkinson Hyperlegible", hyphenate: false)
short

#box(width: 200mm)[wide wide wide wide wide wide wide wide wide wide wide wide wide]

#place(dx: 70mm, dy: 30mm)[out out out]
"""
    pdf = compile_source(source)
    lines = text_outside(pdf, 10.0)
    assert [line.text.split()[0] for line in lines] == ["wide", "out"]
    assert all(line.page == 1 and line.by > 0 for line in lines)
    assert lines[0].by > 30 and 0 < lines[1].by < lines[0].by


def test_locate_names_the_file_and_field_a_text_was_written_in(built: Built) -> None:
    found, _ = load_catalogue(built.root)
    assert found is not None
    crunch = found.get("stomach-crunch")
    assert crunch is not None
    assert locate(found, STEP_WORD[100:160], crunch) == f"{STOMACH_CRUNCH}: phases.0.steps.1"
    assert locate(found, "Never hold your breath to keep your muscles tight.", crunch) == (
        f"{STOMACH_CRUNCH}: safety.4.avoid.0"
    )
    assert locate(found, "Let your hands hold the weight of your head.", crunch) == (
        f"{STOMACH_CRUNCH}: phases.1.steps.0.safety.0.avoid.0"
    )
    doctor = "If you are in any doubt whether this is right for you, consult your doctor."
    assert locate(found, doctor, crunch, "consult-doctor") == (
        "content/shared.yaml: messages.consult-doctor.text.0"
    )
    assert locate(found, doctor) == "content/shared.yaml: messages.consult-doctor.text.0"


@pytest.mark.parametrize(
    "address",
    [SAFETY_URL.removesuffix("index.html"), f"https://{STEP_WORD[:120]}.invalid/"],
    ids=["long address", "long word"],
)
def test_the_panel_shows_a_long_site_address_broken_across_lines(
    built: Built, address: str, tmp_path: Path
) -> None:
    """Read back from the PDF: the whole address, broken across lines, every character inside
    the panel's margins."""
    found, _ = load_catalogue(built.root)
    assert found is not None
    size = found.printing.panel
    height = size.height + 10  # the address takes two lines more than the usual one
    pdf = render_panel(found, views_of(found), address, size.width, height)
    assert squeeze(address) in squeeze(pdf_text(pdf))
    file = tmp_path / "panel.pdf"
    file.write_bytes(pdf)
    boxes = char_boxes(file)
    width, height = size.width + 2 * BLEED, height + 2 * BLEED
    inside = (MARGIN + BLEED - 0.3) * MM
    for _, char, _, (left, bottom, right, top) in boxes:
        assert left >= inside and right <= width * MM - inside, char
        assert bottom >= inside and top <= height * MM - inside, char
    lines = [line.replace("\u200b", "") for line in pdf_text(pdf).splitlines()]
    assert not any(address in line for line in lines)  # broken across lines, not clipped


def test_a_panel_text_that_does_not_fit_names_its_source(built: Built) -> None:
    found, _ = load_catalogue(built.root)
    assert found is not None
    with pytest.raises(
        RenderError,
        match=r"^content/shared\.yaml: messages\.[\w-]+\.[\w.]+: quick-start panel: the text is "
        r"\d+\.\d mm too long",
    ):
        render_panel(found, views_of(found), URL, 150, 100)
