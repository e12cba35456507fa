"""The identity on paper (issue 18, items 3 and 4): the booklet's identification pages and
back-cover block, the cards' and the panel's identity lines, and the preview mark on every page
of every printed output of a preview build (none in a release build), read back from the PDFs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import settings_for, views_of
from test_site import catalogue

from generator.checks.extract import pdf_text
from generator.checks.parity import PAGE_BREAK, squeeze
from generator.outputs import paths
from generator.outputs.identity import identity
from generator.outputs.print.booklet import BOOKLET_WORDS, MARGINS, render_booklets
from generator.outputs.print.cards import CARD_SIZES, render_cards
from generator.outputs.print.panel import BLEED, panel_files, render_panel
from generator.outputs.print.sheets import impose_sheets
from generator.outputs.words import WORDS, display_date

MM = 72 / 25.4
SIGNALS = ("DANGER", "WARNING", "CAUTION", "NOTICE")


def pages(pdf: bytes) -> list[str]:
    """Return the text of each page, squeezed (line breaks and spacing evened out)."""
    return [squeeze(page) for page in pdf_text(pdf).split(PAGE_BREAK)]


@pytest.fixture(scope="module")
def printed() -> dict[bool, dict[str, bytes]]:
    """Every printed output of the real content, by release (False: a preview build)."""
    found = catalogue()
    views = views_of(found)
    made: dict[bool, dict[str, bytes]] = {}
    for release in (False, True):
        settings = replace(settings_for(), release=release)
        files = render_booklets(found, views, settings, "backrack-en")
        exercise = found.published[0]
        files |= render_cards(found, views[exercise.id], settings)
        files |= panel_files(found, views, settings, "backrack-en")
        size = CARD_SIZES[found.printing.cards.size.value]
        files["sheets"] = impose_sheets(
            settings.root,
            [(exercise.title, files[paths.card(exercise.id)])],
            "a4",
            size,
            settings.epoch,
            "en",
            light=False,
            preview=not release,
        )
        made[release] = files
    return made


def known() -> dict[str, Any]:
    return identity(catalogue())


def test_the_booklet_identifies_the_product_the_maker_and_the_instructions_first(
    printed: dict[bool, dict[str, bytes]],
) -> None:
    found = known()
    text = squeeze(" ".join(pages(printed[True][paths.booklet("backrack-en")])))
    front = text[: text.index(squeeze(WORDS["signals"]))]
    product, document = found["product"], found["document"]
    for needed in (
        WORDS["identity"],
        product["name"],
        product["description"],
        product["intended_use"],
        "1.55 m to 1.75 m",
        "5 ft 1 in to 5 ft 9 in",
        "1.75 m to 2.00 m",
        WORDS["identity_model"],
        WORDS["identity_maker_name"],
        WORDS["identity_postal_address"],
        WORDS["identity_email"],
        found["maker"]["trade_mark"],
        found["maker"]["web"],
        document["id"],
        f"{WORDS['identity_version']} {document['version']}",
        f"{WORDS['identity_issued']} {display_date(document['issued'])}",
    ):
        assert squeeze(str(needed)) in front, needed
    # The maker's name, postal address, e-mail and the two models are not known yet.
    assert front.count(squeeze(WORDS["to_be_confirmed"])) >= 5
    assert squeeze(f"{WORDS['identity_maker_name']} {WORDS['to_be_confirmed']}") in front
    assert text.index(squeeze(WORDS["identity"])) < text.index(squeeze("Important information"))


def test_the_booklet_explains_each_signal_word_before_its_sentence_and_the_triangle(
    printed: dict[bool, dict[str, bytes]],
) -> None:
    text = squeeze(" ".join(pages(printed[True][paths.booklet("backrack-en")])))
    start = text.index(squeeze(WORDS["signals"]))
    important = text.index(
        squeeze(WORDS[BOOKLET_WORDS["important_intro"]].format(product="backrack™"))
    )
    section = text[start:important]
    cursor = 0
    for signal in SIGNALS:
        word = section.index(signal, cursor)
        sentence = section.index(squeeze(WORDS[f"signal_{signal.lower()}"]), word)
        assert sentence == word + len(signal), signal  # the word, then at once its sentence
        cursor = sentence
    assert squeeze(WORDS["signal_triangle"]) in section[cursor:]


def test_the_outside_back_cover_carries_the_identification_block(
    printed: dict[bool, dict[str, bytes]],
) -> None:
    found = known()
    last = pages(printed[True][paths.booklet("backrack-en")])[-1]
    document = found["document"]
    for needed in (
        found["product"]["name"],
        f"{WORDS['identity_maker_name']} {WORDS['to_be_confirmed']}",
        f"{WORDS['identity_postal_address']} {WORDS['to_be_confirmed']}",
        f"{WORDS['identity_email']} {WORDS['to_be_confirmed']}",
        f"{WORDS['identity_trade_mark']} {found['maker']['trade_mark']}",
        f"{WORDS['identity_web']} {found['maker']['web']}",
        f"{WORDS['identity_document_id']} {document['id']}",
        f"{WORDS['identity_version']} {document['version']}",
        f"{WORDS['identity_issued']} {display_date(document['issued'])}",
    ):
        assert squeeze(needed) in last, needed


def test_side_2_of_a_card_carries_the_identity_line(
    printed: dict[bool, dict[str, bytes]],
) -> None:
    """Product and the card's own document id (the instructions' and the exercise's), after
    the revision line that gives the card's version and date: a card changes only with its
    exercise."""
    found = known()
    exercise = catalogue().published[0]
    line = f"{found['product']['name']} · document {found['document']['id']}/{exercise.id}"
    assert line == f"backrack™ · document backrack-en/{exercise.id}"
    for path in (paths.card(exercise.id), paths.light_card(exercise.id)):
        side_1, side_2 = pages(printed[True][path])[:2]
        assert squeeze(line) in side_2 and squeeze(line) not in side_1, path
        assert side_2.index(squeeze(exercise.id + " · version")) < side_2.index(squeeze(line))


def test_the_panel_carries_the_identity_line(printed: dict[bool, dict[str, bytes]]) -> None:
    found = known()
    document = found["document"]
    line = f"{found['product']['name']} · {found['maker']['web']} · "
    line += f"{document['id']}, version {document['version']}"
    for release in (False, True):
        assert squeeze(line) in pages(printed[release][paths.panel("backrack-en")])[0]


def test_every_page_of_a_preview_says_so_and_no_page_of_a_release(
    printed: dict[bool, dict[str, bytes]],
) -> None:
    assert set(printed[False]) == set(printed[True])
    # The booklet, its spreads and print-shop file; three cards; the panel; the sheets.
    assert len(printed[False]) == 8
    for release, files in printed.items():
        for path, pdf in files.items():
            for number, page in enumerate(pages(pdf), 1):
                assert ("PREVIEW" in page) is not release, (release, path, number)
                assert (squeeze(WORDS["preview"]) in page) is not release, (release, path, number)


def preview_boxes(pdf: bytes) -> list[tuple[int, tuple[float, ...], tuple[float, ...]]]:
    """Return (page, trim box, box of the preview mark's characters) on every page."""
    found = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            start = text.find(WORDS["preview"])
            assert start >= 0, number
            boxes = [textpage.get_charbox(i) for i in range(start, start + len(WORDS["preview"]))]
            boxes = [b for b, c in zip(boxes, WORDS["preview"], strict=True) if not c.isspace()]
            box = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            sizes = {pdfium.FPDFText_GetFontSize(textpage.raw, i) for i in range(start, start + 7)}
            found.append((number, page.get_trimbox(), (*box, min(sizes))))
            textpage.close()
            page.close()
    finally:
        document.close()
    return found


@pytest.mark.parametrize("output", ["booklet", "card", "panel"])
def test_a_print_shop_files_preview_mark_stands_in_the_bleed_and_is_cut_off(
    printed: dict[bool, dict[str, bytes]], output: str
) -> None:
    exercise = catalogue().published[0]
    path = {
        "booklet": paths.booklet_print("backrack-en"),
        "card": paths.print_card(exercise.id),
        "panel": paths.panel("backrack-en"),
    }[output]
    marks = preview_boxes(printed[False][path])
    assert marks
    for number, (_, trim_bottom, _, _), (_, bottom, _, top, size) in marks:
        assert top < trim_bottom, (number, "inside the trim")  # below the trim: cut off
        assert bottom > trim_bottom - BLEED * MM, (number, "outside the bleed")
        assert size >= 5, (number, size)


def test_the_plain_booklet_says_preview_in_the_footer(
    printed: dict[bool, dict[str, bytes]],
) -> None:
    """Under the text area (the covers' is higher), 5 mm or more inside the trim, 9 pt or more."""
    marks = preview_boxes(printed[False][paths.booklet("backrack-en")])
    bottom_margin = MARGINS[catalogue().printing.booklet.size.value].bottom
    for number, (_, trim_bottom, _, _), (_, bottom, _, top, size) in marks:
        margin = 30 if number in (1, len(marks)) else bottom_margin
        assert trim_bottom + 5 * MM <= bottom and top < trim_bottom + margin * MM, number
        assert size >= 9, (number, size)


def test_the_panel_is_marked_only_when_asked() -> None:
    found = catalogue()
    size = found.printing.panel
    for preview in (False, True):
        pdf = render_panel(
            found,
            views_of(found),
            settings_for().site_url,
            size.width,
            size.height,
            preview=preview,
        )
        assert (WORDS["preview"] in pdf_text(pdf)) is preview
