"""Exercise cards, read back as a print shop and a reader would.

Text is read page by page with PDFium, in the order it is drawn (as the
checks read it), and held to the completeness contract: side 1 of a card
holds everything to know before the first step, side 2 the steps and the
rest. Word boxes are read with pdftotext, sizes and boxes with pdfinfo, fonts
with pdffonts, and the file checked with qpdf (Debian's poppler-utils and
qpdf; .ci/run installs them).
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from conftest import SITE_URL, Check, edit, problem_lines, settings_for, views_of
from pypdf import PdfReader
from test_site import build, catalogue, copy_project

from generator.checks.verify import message_texts
from generator.outputs import paths
from generator.outputs.contract import BEFORE_STEPS, Part, Text, reading
from generator.outputs.print.cards import BLEED, CARD_SIZES, CardSettings, render_card, render_cards
from generator.outputs.print.source import squeeze

MM = 72 / 25.4
TOOLS = {name: shutil.which(name) for name in ("pdftotext", "pdfinfo", "pdffonts", "qpdf")}


def run(tool: str, *args: str) -> str:
    path = TOOLS[tool]
    if path is None:
        pytest.skip(f"{tool} is not installed (poppler-utils / qpdf); .ci/run installs it")
    return subprocess.run([path, *args], capture_output=True, text=True, check=True).stdout


def cards(site: Path, folder: str = "cards") -> list[tuple[str, Path]]:
    return [(e.id, site / folder / f"{e.id}.pdf") for e in catalogue().published]


def size() -> tuple[float, float]:
    found = catalogue()
    return CARD_SIZES[found.printing.cards.size.value]


def sides(pdf: Path) -> list[str]:
    """Return the text of each page of a PDF as PDFium reads it (as the checks do), without
    white space."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            pages.append(squeeze(text.get_text_range()))
            text.close()
            page.close()
        return pages
    finally:
        document.close()


SIDE_1 = BEFORE_STEPS | {Part.TITLE, Part.PURPOSE, Part.CAPTIONS}
"""The parts of an exercise that side 1 of its card holds; side 2 holds the rest."""


def in_order(side: str, texts: list[Text]) -> list[str]:
    """Return the texts that ``side`` lacks or gives out of the contract's order.

    The lines of one message (or of one part of one step) may stand in any order among
    themselves; each group must stand after the one before it.
    """
    wrong, cursor, group, start = [], 0, None, 0
    for t in texts:
        if (t.part, t.phase, t.step) != group:
            group, start = (t.part, t.phase, t.step), cursor
        found = side.find(squeeze(t.text), start)
        if found < 0:
            wrong.append(f"{t.part}: {t.text}")
        else:
            cursor = max(cursor, found + len(squeeze(t.text)))
    return wrong


def test_side_1_holds_the_safety_before_the_steps_on_side_2_every_part_in_order(
    built: Path,
) -> None:
    found = catalogue()
    views = views_of(found)
    for exercise_id, pdf in cards(built):
        view = views[exercise_id]
        exercise = view.exercise
        side_1, side_2 = sides(pdf)
        texts = reading(view)
        roles = {r.role.value for r in found.safety(exercise)}
        assert {"doctor-notice", "contraindications", "stop-rule"} <= roles
        # Side 1: everything to know before the first step, the pictures' captions last; or,
        # when side 1 cannot hold the pictures, they open side 2, before the steps.
        first = [t for t in texts if t.part in SIDE_1 and t.part is not Part.CAPTIONS]
        captions = [t for t in texts if t.part is Part.CAPTIONS]
        moved = squeeze("The pictures and steps are on side 2.") in side_1
        assert in_order(side_1, first) == [], exercise_id
        if not moved:  # below the two columns, or in the first with a single picture
            assert in_order(side_1, captions) == [], exercise_id
        else:
            steps = side_2.index(squeeze(view.steps[0].text))
            assert in_order(side_2[:steps], captions) == [], exercise_id
        assert squeeze("Side 1 of 2") in side_1 and squeeze("Side 2 of 2") in side_2
        notice = squeeze(message_texts(view.notice[0].message)[0])
        assert side_1.index(notice) < min(
            side_1.index(squeeze(message_texts(r.message)[-1])) for r in view.safety
        ), exercise_id
        # Side 2: the steps, each after its messages, then the dose and the rest.
        rest = [t for t in texts if t.part not in SIDE_1]
        assert in_order(side_2, rest) == [], exercise_id
        for t in rest:
            if t.part in {Part.STEPS, Part.STEP_MESSAGES}:
                assert squeeze(t.text) not in side_1, (exercise_id, t.text)
        revision = squeeze(f"{exercise.id} · version {exercise.version}")
        assert revision in side_2 and revision not in side_1
        assert squeeze(paths.page_url(SITE_URL, exercise.id)) in side_2


def test_cards_have_two_pages_of_the_configured_size(built: Path) -> None:
    width, height = size()
    for _, pdf in cards(built):
        info = run("pdfinfo", "-box", str(pdf))
        assert "Pages:           2" in info
        trim = re.search(r"TrimBox:\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", info)
        assert trim is not None
        x0, y0, x1, y1 = (float(v) for v in trim.groups())
        assert abs((x1 - x0) / MM - width) < 0.1 and abs((y1 - y0) / MM - height) < 0.1


def test_print_variant_has_bleed_trim_box_and_pdf_x(built: Path) -> None:
    width, height = size()
    for _, pdf in cards(built, "cards/print"):
        info = run("pdfinfo", "-box", str(pdf))
        boxes = {
            name: [float(v) for v in values.split()]
            for name, values in re.findall(r"(\w+Box):\s+([-\d. ]+)\n", info)
        }
        tx0, ty0, tx1, ty1 = boxes["TrimBox"]
        bx0, by0, bx1, by1 = boxes["BleedBox"]
        assert abs((tx1 - tx0) / MM - width) < 0.1 and abs((ty1 - ty0) / MM - height) < 0.1
        assert abs((bx1 - bx0) / MM - (width + 2 * BLEED)) < 0.1
        assert abs((by1 - by0) / MM - (height + 2 * BLEED)) < 0.1


def test_fonts_are_embedded_the_pdf_is_tagged_and_sound(built: Path) -> None:
    for _, pdf in cards(built) + cards(built, "cards/print"):
        fonts = run("pdffonts", str(pdf)).splitlines()[2:]
        assert fonts, pdf
        for line in fonts:
            assert "+AtkinsonHyperlegible-" in line, line
            assert re.search(r"\byes\s+yes\s+yes\b", line), line  # embedded, subset, unicode
        info = run("pdfinfo", str(pdf))
        if "print" not in pdf.parts:  # the print shop's file is for the press, not tagged
            assert re.search(r"Tagged:\s+yes", info)
        run("qpdf", "--check", str(pdf))


def test_no_text_outside_the_safe_area(built: Path) -> None:
    width, height = size()
    safe = 5 * MM
    for exercise_id, pdf in cards(built):
        words = run("pdftotext", "-bbox", str(pdf), "-")
        boxes = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', words
        )
        assert boxes
        for x0, y0, x1, y1 in ((float(v) for v in box) for box in boxes):
            assert x0 >= safe and y0 >= safe, (exercise_id, x0, y0)
            assert x1 <= width * MM - safe and y1 <= height * MM - safe, (exercise_id, x1, y1)


def test_each_exercise_page_links_to_its_card(built: Path) -> None:
    for exercise_id, pdf in cards(built):
        page = (built / "exercises" / exercise_id / "index.html").read_text(encoding="utf-8")
        assert f'href="../../cards/{exercise_id}.pdf"' in page and pdf.is_file()


def test_a_card_with_too_much_text_fails_the_build_saying_by_how_much(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path)
    edit(root, "print.yaml", "  size: a5", "  size: a6")
    code, printed = build(root, capsys)
    assert code == 1
    fields = {
        "front": "safety, suitable_for, not_suitable_for, prerequisites, phases\\.\\*\\.caption",
        "back": "phases, dose, expect, tips, links",
    }
    for side, field in fields.items():
        assert re.search(
            rf"content/exercises/stomach-crunch\.yaml: {field}: "
            rf"card stomach-crunch: the {side} is \d+\.\d mm too long for a A6 card "
            r"\(\d+\.\d mm of text for 136\.0 mm\); shorten its text or choose a larger card size",
            printed,
        ), (side, printed)
    assert not (root / "site").exists()


def test_a_character_the_font_lacks_is_an_error_where_it_was_written(
    project: Path, check: Check
) -> None:
    name = "content/exercises/stomach-crunch.yaml"
    edit(
        project, name, "- Put your hands behind your head.", "- Put your hands → behind your head."
    )
    text = (project / name).read_text(encoding="utf-8")
    offset = text.index("Put your hands →")
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    code, _, err = check(project)
    assert code == 1
    assert problem_lines(err, name) == [
        f"{name}:{line}:{column}: phases.0.steps.1: character U+2192 (rightwards arrow) is not "
        "in the font Atkinson Hyperlegible; it would print as an empty box"
    ]


# --- home-print sheets ------------------------------------------------------------------------


def test_sheet_grid_mirrors_backs_and_keeps_every_cards_text_printable() -> None:
    from generator.outputs.print.cards import MARGIN
    from generator.outputs.print.sheets import PRINTER_MARGIN, SHEETS, grid

    layout = grid(SHEETS["a4"], CARD_SIZES["a6"])
    assert layout.per_sheet >= 2 and layout.columns == 2
    width = layout.sheet[0]
    for index in range(layout.per_sheet):
        front_left, front_top = layout.slot(index, back=False)
        back_left, back_top = layout.slot(index, back=True)
        assert back_top == front_top
        # Turned over like a book page, the back's left edge lands on the front's right edge.
        assert abs((width - back_left - layout.card[0]) - front_left) < 1e-9
    assert grid(SHEETS["a4"], CARD_SIZES["a5"]).per_sheet == 2  # two A5 cards on A4, landscape
    for sheet in SHEETS.values():
        for card in CARD_SIZES.values():
            found = grid(sheet, card)
            # Every card on the paper; every card's text inside the printer's reach.
            assert found.columns * card[0] <= found.sheet[0]
            assert found.rows * card[1] <= found.sheet[1]
            left, top = found.slot(0, back=False)
            assert left + MARGIN >= PRINTER_MARGIN and top + MARGIN >= PRINTER_MARGIN
            # One more card would not fit either way.
            assert (found.columns + 1) * card[0] > found.sheet[0] + 2 * (MARGIN - PRINTER_MARGIN)


def test_home_print_sheets_hold_every_card_side_1_then_side_2(built: Path) -> None:
    from generator.outputs.print.sheets import SHEETS, grid

    found = catalogue()
    layout_size = CARD_SIZES[found.printing.cards.size.value]
    for (name, paper), light in itertools.product(SHEETS.items(), (False, True)):
        pdf = built / paths.sheets("backrack-en", name, light)
        layout = grid(paper, layout_size)
        sheets = -(-len(found.published) // layout.per_sheet)
        info = run("pdfinfo", str(pdf))
        assert re.search(rf"Pages:\s+{2 + 2 * sheets}\b", info), info  # instructions first
        pages = sides(pdf)
        edge = "short" if layout.landscape else "long"
        assert squeeze(f"Flip on the {edge} edge") in pages[0]
        assert squeeze("at 100 %") in pages[0]
        for number, exercise in enumerate(found.published):
            sheet = 1 + number // layout.per_sheet
            front, back = pages[2 * sheet], pages[2 * sheet + 1]
            # Side 1 of each card on the sheet's front: the safety; side 2 on its back.
            assert squeeze(f"{exercise.title} {exercise.purpose}") in front
            assert squeeze(f"{exercise.id} · version {exercise.version}") in back
            for resolved in found.safety(exercise):
                for part in message_texts(resolved.message):
                    assert squeeze(part) in front, (name, exercise.id, part)
            for phase in exercise.phases:
                for step in phase.steps:
                    assert squeeze(step.text) in back, (name, exercise.id, step.text)


def test_the_sheets_place_each_cards_own_pages_unscaled_and_back_to_back(built: Path) -> None:
    """The sheets are imposed from the cards' PDFs: each side is the card's page, placed at
    full size, and each side 2 lies behind its side 1 when the sheet is turned over."""
    from generator.outputs.print.sheets import SHEETS, grid

    found = catalogue()
    card = CARD_SIZES[found.printing.cards.size.value]
    for name, paper in SHEETS.items():
        layout = grid(paper, card)
        reader = PdfReader(built / paths.sheets("backrack-en", name, light=True))
        width = float(reader.pages[2].mediabox.width) / MM
        for side in (2, 3):
            placements = re.findall(
                rb"q 1 0 0 1 ([\d.-]+) ([\d.-]+) cm /Card(\d+) Do Q",
                b"".join(
                    c.get_object().get_data() for c in reader.pages[side].raw_get("/Contents")
                ),
            )
            assert len(placements) == min(layout.per_sheet, len(found.published))
            for x, _, index in placements:
                left, _ = layout.slot(int(index), back=side == 3)
                assert abs(float(x) / MM - left) < 0.01
        fronts = [
            float(x)
            for x, _, _ in re.findall(
                rb"q 1 0 0 1 ([\d.-]+) ([\d.-]+) cm /Card(\d+)",
                reader.pages[2].raw_get("/Contents")[0].get_object().get_data(),
            )
        ]
        backs = [
            float(x)
            for x, _, _ in re.findall(
                rb"q 1 0 0 1 ([\d.-]+) ([\d.-]+) cm /Card(\d+)",
                reader.pages[3].raw_get("/Contents")[0].get_object().get_data(),
            )
        ]
        for front, back in zip(fronts, backs, strict=True):  # mirrored about the middle
            assert abs(front / MM + back / MM + card[0] - width) < 0.01


def figures(pdf: Path) -> list[str]:
    """Return the alt text of every figure in the PDF's structure tree, in tree order."""
    found: list[str] = []

    def walk(node: object) -> None:
        node = getattr(node, "get_object", lambda: node)()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_cards_name_their_language_and_give_each_diagram_its_alt_text(built: Path) -> None:
    found = catalogue()
    for exercise_id, pdf in cards(built):
        exercise = found.get(exercise_id)
        assert exercise is not None
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == exercise.language
        alts = figures(pdf)
        assert len(alts) == len(exercise.phases) + 1  # the diagrams and the QR code
        assert all(alt.startswith(exercise.title.split(" (")[0][:10]) for alt in alts[:-1]), alts
        assert alts[-1].startswith("QR code: https://"), alts


def test_plain_and_print_shop_cards_from_one_layout_equal_cards_laid_out_on_their_own() -> None:
    found = catalogue()
    card_size = found.printing.cards.size.value
    views, settings = views_of(found), settings_for(url="https://example.org/backrack")
    for exercise in found.published[:2]:
        view = views[exercise.id]
        made = render_cards(found, view, settings)
        plain, shop = made[paths.card(exercise.id)], made[paths.print_card(exercise.id)]
        assert plain != shop
        assert plain == render_card(found, view, settings, CardSettings(card_size))
        assert shop == render_card(found, view, settings, CardSettings(card_size, True))


def floor_lines(pdf: Path, floor: str) -> list[tuple[float, float]]:
    """Return (left, middle height) in points of every floor line drawn on the side of a card
    that holds the pictures: each picture draws its floor as one stroke of the floor colour."""
    import ctypes

    import pypdfium2.raw as raw

    wanted = tuple(int(floor[i : i + 2], 16) for i in (1, 3, 5))
    document = pypdfium2.PdfDocument(pdf)
    found = []
    try:
        side = (
            document[0]
            if "Key to the pictures" in document[0].get_textpage().get_text_range()
            else document[1]
        )
        for obj in side.get_objects():
            if obj.type != raw.FPDF_PAGEOBJ_PATH:
                continue
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            if not raw.FPDFPageObj_GetStrokeColor(obj.raw, r, g, b, a):
                continue
            if (r.value, g.value, b.value) == wanted:
                box = [ctypes.c_float() for _ in range(4)]
                raw.FPDFPageObj_GetBounds(obj.raw, *box)
                found.append((box[0].value, (box[1].value + box[3].value) / 2))
    finally:
        document.close()
    return sorted(found)


def test_the_pictures_of_a_cards_row_stand_on_one_baseline(built: Path) -> None:
    """A card shows the phases' pictures in a row: their floors are one line (within 0.5 mm),
    so no panel sits lower than the others."""
    found = catalogue()
    floor = found.kit.scene.palette.floor
    for exercise in found.published:
        lines = floor_lines(built / "cards" / f"{exercise.id}.pdf", floor)
        assert len(lines) == len(exercise.phases), exercise.id
        heights = [height for _, height in lines]
        assert (max(heights) - min(heights)) / 72 * 25.4 <= 0.5, (exercise.id, heights)


def test_the_pictures_move_to_side_2_only_when_side_1_cannot_hold_them(tmp_path: Path) -> None:
    """Side 1 keeps the pictures when they fit; otherwise they open side 2 (which must then
    hold them), and side 1 says so."""
    from dataclasses import replace

    from generator.outputs.print.cards import FACES, CardFace, fitting_face
    from generator.outputs.view import exercise_views
    from generator.sources.validate import load_catalogue

    root = copy_project(tmp_path / "project")
    extra = "".join(f"      - Take care with this, reason number {n}.\n" for n in range(24))
    edit(
        root,
        "content/exercises/getting-on.yaml",
        "      - Do the steps in order, one at a time.\n",
        "      - Do the steps in order, one at a time.\n" + extra,
    )
    found, problems = load_catalogue(root)
    assert found is not None, problems
    settings = settings_for(root)
    card = CardSettings(found.printing.cards.size.value)
    views = exercise_views(found)
    decided = {}
    for exercise_id in ("getting-on", "stomach-crunch"):
        face, pdf_bytes = fitting_face(views[exercise_id], settings, card)
        assert len(PdfReader(io.BytesIO(pdf_bytes)).pages) == len(FACES), exercise_id
        decided[exercise_id] = face
    default = CardFace(views["getting-on"], decided["getting-on"].url)
    assert decided["getting-on"] == replace(default, pictures=2)
    assert decided["stomach-crunch"].pictures == 1
    pdf = tmp_path / "getting-on.pdf"
    pdf.write_bytes(render_card(found, views["getting-on"], settings, card))
    side_1, side_2 = sides(pdf)
    assert squeeze("The pictures and steps are on side 2.") in side_1
    caption = squeeze(found.get("getting-on").phases[0].caption)
    assert caption in side_2 and caption not in side_1
    assert side_2.index(caption) < side_2.index(squeeze("Put the rack on the floor."))


def claims(pdf: Path) -> set[str]:
    """Return the standards a PDF claims in its XMP metadata: "PDF/UA", "PDF/X"."""
    metadata = PdfReader(pdf).trailer["/Root"].get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    return {name for key, name in ((b"pdfuaid", "PDF/UA"), (b"pdfxid", "PDF/X")) if key in xmp}


def test_every_pdf_meets_what_it_claims_and_claims_what_it_should(built: Path) -> None:
    """The conformance check (generator/checks/conformance.py) passes on every built PDF; the
    cards and booklet for reading claim PDF/UA-1, the print shop's files PDF/X-4."""
    from generator.checks.conformance import check_pdf

    pdfs = sorted(built.rglob("*.pdf"))
    assert len(pdfs) > 12
    for pdf in pdfs:
        assert check_pdf(pdf.read_bytes(), str(pdf)) == [], pdf
    for exercise_id, pdf in cards(built):
        assert claims(pdf) == {"PDF/UA"}, exercise_id
        assert claims(built / paths.light_card(exercise_id)) == {"PDF/UA"}, exercise_id
        assert claims(built / paths.print_card(exercise_id)) == {"PDF/X"}, exercise_id
    assert claims(built / paths.booklet("backrack-en")) == {"PDF/UA"}
    assert claims(built / paths.booklet_print("backrack-en")) == {"PDF/X"}
    assert claims(built / paths.panel("backrack-en")) == {"PDF/X"}
    for sheet in ("a4", "letter"):
        assert claims(built / paths.sheets("backrack-en", sheet)) == set()


def resolved(value: object) -> object:
    """Return a PDF object itself, not a reference to it."""
    get = getattr(value, "get_object", None)
    return get() if get is not None else value


def struct_elements(node: object) -> Iterator[dict[str, object]]:
    """Yield every structure element under ``node``, in tree order."""
    node = resolved(node)
    if isinstance(node, list):
        for child in node:
            yield from struct_elements(child)
    elif isinstance(node, dict):
        if "/S" in node:
            yield node
        if "/K" in node:
            yield from struct_elements(node["/K"])


def test_every_tagged_pdf_gives_each_figure_alt_text_and_each_header_a_scope(built: Path) -> None:
    """Whatever a file claims: no figure without alt text, no table header without a scope, in
    any PDF that has a structure tree (the print shop's files keep Typst's tags unclaimed)."""
    tagged = 0
    for pdf in sorted(built.rglob("*.pdf")):
        root = PdfReader(pdf).trailer["/Root"]
        if "/StructTreeRoot" not in root:
            continue
        tagged += 1
        for element in struct_elements(root["/StructTreeRoot"]):
            if element["/S"] == "/Figure":
                assert str(element.get("/Alt", "")).strip(), pdf
            if element["/S"] == "/TH":
                attributes = resolved(element.get("/A"))
                found = attributes if isinstance(attributes, list) else [attributes]
                scopes = [resolved(a) for a in found]
                assert any(isinstance(a, dict) and "/Scope" in a for a in scopes), pdf
    assert tagged >= 14  # cards, light-ink cards, print-shop cards, booklets, panel
