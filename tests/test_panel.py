"""The quick-start panel for the box artwork, read back from its PDF (PDFium)."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import REPO, SITE_URL, views_of
from PIL import Image
from test_site import catalogue

from generator.checks.extract import pdf_text
from generator.checks.parity import squeeze
from generator.errors import RenderError
from generator.outputs import paths
from generator.outputs.contract import ABRIDGED, Part, reading
from generator.outputs.print.panel import BLEED, render_panel
from generator.sources.palette import load_palette

MM = 72 / 25.4
URL = "https://exercises.example.invalid/"


@pytest.fixture(scope="module")
def panel_pdf() -> bytes:
    """The panel of the real content, as the build lays it out before the print shop's step."""
    found = catalogue()
    size = found.printing.panel
    return render_panel(found, views_of(found), URL, size.width, size.height)


def _getting_on():  # type: ignore[no-untyped-def]
    found = catalogue()
    return found, next(e for e in found.published if e.section.value == "getting-on")


def test_the_build_makes_the_panel_as_one_print_ready_pdf_of_its_size(built: Path) -> None:
    found = catalogue()
    assert not (
        built / "print" / "backrack-en" / "quick-start.svg"
    ).exists()  # nothing needs it: the PDF is it
    pdf = (built / paths.panel("backrack-en")).read_bytes()
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 1
    page = document[0]
    panel = found.printing.panel
    left, bottom, right, top = page.get_bleedbox()
    assert abs((right - left) / MM - (panel.width + 2 * BLEED)) < 0.1
    assert abs((top - bottom) / MM - (panel.height + 2 * BLEED)) < 0.1
    left, bottom, right, top = page.get_trimbox()
    assert abs((right - left) / MM - panel.width) < 0.1
    assert abs((top - bottom) / MM - panel.height) < 0.1
    assert b"/OutputIntents" in pdf and b"PDF/X-4" in pdf  # made print-ready by prepress
    assert document.get_metadata_dict()["Title"].startswith(f"{found.shared.product}: quick start")


def test_the_panel_keeps_what_it_declares_warnings_first_and_points_to_the_whole(
    panel_pdf: bytes,
) -> None:
    found, getting_on = _getting_on()
    view = views_of(found)[getting_on.id]
    text = squeeze(pdf_text(panel_pdf).replace("\f", ""))
    kept = [t for t in reading(view) if t.part not in ABRIDGED["quick-start panel"]]
    assert {t.part for t in kept} == {
        Part.TITLE,
        Part.DOCTOR_NOTICE,
        Part.GENERAL,
        Part.PHASE_TITLES,
    }
    for t in kept:
        assert squeeze(t.text) in text, (t.part, t.text)
    roles = {r.role.value for r in view.general}
    assert roles == {"contraindications", "caution", "stop-rule"}
    first_phase = text.index(squeeze(getting_on.phases[0].title))
    for t in kept:
        if t.part in (Part.DOCTOR_NOTICE, Part.GENERAL):
            assert text.index(squeeze(t.text)) < first_phase, t.text  # warnings before steps
    titles = [text.index(squeeze(p.title)) for p in getting_on.phases]
    assert titles == sorted(titles)
    assert squeeze(URL) in text


def test_every_text_on_the_panel_is_9_pt_or_more(panel_pdf: bytes) -> None:
    """Read back from the PDF: the size of every character, and of every text object."""
    document = pypdfium2.PdfDocument(panel_pdf)
    page = document[0]
    text = page.get_textpage()
    sizes = [
        pdfium.FPDFText_GetFontSize(text.raw, i)
        for i in range(text.count_chars())
        if not chr(pdfium.FPDFText_GetUnicode(text.raw, i)).isspace()
    ]
    assert len(sizes) > 500
    assert min(sizes) >= 9.0 - 1e-6, min(sizes)
    for obj in page.get_objects(filter=[pdfium.FPDF_PAGEOBJ_TEXT], max_depth=20):
        size = ctypes.c_float()
        assert pdfium.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size))
        matrix = obj.get_matrix()
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        assert size.value * scale >= 9.0 - 1e-6


def test_the_panel_shows_the_palette_and_the_alert_triangle(panel_pdf: bytes) -> None:
    """The bands of the WARNING, the CAUTIONs and the doctor notice are in the palette's
    colours, and each signal word's band holds the triangle (its symbol colour inside)."""
    palette = load_palette(REPO)
    document = pypdfium2.PdfDocument(panel_pdf)
    page = document[0]
    scale = 4
    image: Image.Image = page.render(scale=scale).to_pil().convert("RGB")
    text = page.get_textpage()
    whole = text.get_text_range()
    found = 0
    for word, look in (("WARNING", palette.warning), ("CAUTION", palette.caution)):
        start = 0
        while (index := whole.find(word, start)) >= 0:
            start = index + len(word)
            left, bottom, _, top = text.get_charbox(index)
            height = page.get_height()
            # The triangle stands left of the word, on the band.
            box = (
                int((left - 14) * scale),
                int((height - top - 1) * scale),
                int((left - 1) * scale),
                int((height - bottom + 1) * scale),
            )
            colours = {c for _, c in image.crop(box).getcolors(1 << 16) or []}
            band, symbol = _rgb(look.band), _rgb(look.symbol or look.text)
            assert _near(band, colours) and _near(symbol, colours), (word, box)
            found += 1
    assert found == 3  # the contraindications' WARNING, the cautions' and the stop rule's
    colours = {c for _, c in image.getcolors(1 << 22) or []}
    assert _near(_rgb(palette.doctor_notice.band), colours)


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _near(colour: tuple[int, int, int], found: set[tuple[int, int, int]]) -> bool:
    return any(max(abs(a - b) for a, b in zip(colour, c, strict=True)) <= 3 for c in found)


def test_a_panel_too_small_is_an_error_naming_the_text_that_does_not_fit() -> None:
    found, _ = _getting_on()
    views = views_of(found)
    with pytest.raises(
        RenderError,
        match=r"^content/shared\.yaml: messages\.contraindications\.[\w.]+: quick-start panel: "
        r"the text is \d+\.\d mm too long; shorten it or make the panel larger",
    ):
        render_panel(found, views, SITE_URL, 150, 110)
    with pytest.raises(
        RenderError,
        match=r"^content/exercises/getting-on\.yaml: title, phases\.\*\.title: quick-start panel: "
        r"the title, the pictures and the address alone are \d+\.\d mm too long",
    ):
        render_panel(found, views, SITE_URL, 150, 40)


def test_the_panel_is_the_same_bytes_twice(panel_pdf: bytes) -> None:
    found = catalogue()
    size = found.printing.panel
    assert render_panel(found, views_of(found), URL, size.width, size.height) == panel_pdf
