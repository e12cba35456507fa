"""The operating-instructions booklet in the box, laid out by Typst (templates/print/booklet.typ),
and its saddle-stitch imposition.

Cover; the identification (the product, what it is for, its sizes and
models, the maker, the document id, version and date of issue; what the signal
words and the triangle mean); important information (contraindications,
cautions, the doctor notice, the stop rule, expected reactions, storage);
contents with page numbers; then each part in order with its exercises, each
exercise's safety messages before its steps (the general texts too: the parity
check holds every exercise's section to the whole contract). Running heads and
page numbers on the outer edge, the revision line by the spine, on every page
but the covers; notes pages pad the count to a multiple of 4 for saddle
stitching, before the outside back cover (product, the identification block,
address, QR code, revision: no exercise text). A preview (not a release
build) says so on every page: in the footer, or in the bleed of the
print-shop file, where it is cut off.

Three files from one template and data:

- the booklet (``print/<publication>/booklet.pdf``): PDF/UA-1, the trimmed page;
- the printer's spreads (``print/<publication>/booklet-imposed.pdf``), imposed from it;
- the print-shop booklet (``print/<publication>/booklet-print.pdf``): 3 mm bleed, made
  PDF/X by ``generator.outputs.print.prepress``.

A line that runs out of the margins fails the build, naming the source file
and field of its text (read back from the PDF).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

from generator.errors import RenderError
from generator.model import Signal
from generator.outputs import paths
from generator.outputs.identity import identity
from generator.outputs.print import data
from generator.outputs.print.forms import page_form
from generator.outputs.print.prepress import for_print_shop
from generator.outputs.print.qr import qr_svg
from generator.outputs.print.readback import text_outside
from generator.outputs.print.source import locate
from generator.outputs.print.typeset import SCREEN, typeset
from generator.outputs.view import ExerciseView
from generator.outputs.words import WORDS, display_date, keep_together, preview_mark, signal_word
from generator.settings import Settings
from generator.sources.catalogue import Catalogue

TEMPLATE = "booklet.typ"
BOOKLET_SIZES = {"a5": (148.0, 210.0), "a6": (105.0, 148.0)}
"""Trimmed page sizes (width, height) in millimetres."""
BLEED = 3.0
"""Bleed of the print-shop booklet, in mm."""


@dataclass(frozen=True)
class Margins:
    """A page's margins in mm: the inner one (by the spine) a little wider than the outer."""

    top: float
    bottom: float
    inside: float
    outside: float
    furniture: float
    """How far from the trim the running head and the footer stand (their outer edge)."""


MARGINS = {
    "a5": Margins(top=17.0, bottom=19.0, inside=17.0, outside=14.0, furniture=8.0),
    "a6": Margins(top=16.0, bottom=16.0, inside=12.0, outside=9.0, furniture=7.0),
}
CLEAR = 5.0
"""No character stands closer than this to the trim (mm): inside every margin, running
heads and footers included; a line that does fails the build."""
FONT_SIZES = {"body": 11.0, "small": 9.5}
"""The house rules' type sizes (pt): body text, and captions, running heads and footers."""

BOOKLET_WORDS: dict[str, str] = {
    "title": "booklet_title",
    "cover_note": "booklet_cover_note",
    "important": "important",
    "important_intro": "important_intro",
    "sizes": "booklet_sizes",
    "size": "size",
    "metric": "metric",
    "imperial": "imperial",
    "storage": "storage",
    "maintenance": "maintenance",
    "contents": "booklet_contents",
    "notes": "booklet_notes",
    "coming": "coming",
    "back_more": "booklet_back_more",
}
"""The booklet's own words, as the template names them: their keys in
``generator.outputs.words``."""


def revision_line(catalogue: Catalogue) -> str:
    """Return the booklet's revision: the newest exercise version and review date."""
    newest = max(catalogue.published, key=lambda e: e.reviewed)
    version = sum(e.version for e in catalogue.published)
    return WORDS["booklet_revision"].format(version=version, date=display_date(newest.reviewed))


def _t(text: str) -> str:
    return keep_together(" ".join(text.split()))


def booklet_context(catalogue: Catalogue, views: Mapping[str, ExerciseView]) -> dict[str, Any]:
    """Return what the booklet shows: the important information, and part by part the
    exercises (as the print data of ``generator.outputs.print.data``)."""
    shared = catalogue.shared
    product = shared.product
    parts = []
    for info, exercises in catalogue.sections():
        entries = [data.exercise(views[exercise.id]) for exercise in exercises]
        parts.append(
            {
                "id": info.id,
                "title": _t(info.title),
                "intro": _t(info.intro),
                # A part of one exercise of the same title has one heading, the part's.
                "single": len(exercises) == 1 and exercises[0].title == info.title,
                "exercises": entries,
            }
        )
    return {
        "product": product,
        "revision": revision_line(catalogue),
        "important": [
            {"heading": _t(r.heading) if r.heading else None, "message": data.message(r)}
            for r in catalogue.important()
        ],
        "storage": _t(shared.storage),
        "maintenance": _t(shared.maintenance) if shared.maintenance else None,
        "parts": parts,
        "words": {
            key: _t(WORDS[word].format(product=product)) for key, word in BOOKLET_WORDS.items()
        },
    }


def _known(value: object) -> str:
    """Return a field of the identity as printed: "to be confirmed" where it is not known."""
    return WORDS["to_be_confirmed"] if value is None or value == "" else _t(str(value))


def identification(catalogue: Catalogue, language: str = "en") -> dict[str, Any]:
    """Return what identifies the product, its maker and these instructions, as printed (the
    fields not yet known say so), and what the signal words and the triangle mean."""
    found = identity(catalogue, language=language)
    maker, product, document = found["maker"], found["product"], found["document"]
    sizes = [
        [
            _t(str(size["name"])),
            _t(str(size["height_metric"])),
            _t(str(size["height_imperial"])),
            _known(size["model"]),
        ]
        for size in product["sizes"]
    ]
    return {
        "product": _known(product["name"]),
        "description": _known(product["description"]),
        "intended_use": _known(product["intended_use"]),
        "sizes": sizes,
        "maker": [
            [WORDS[f"identity_{key}"], _known(maker[field])]
            for key, field in (
                ("maker_name", "name"),
                ("trade_mark", "trade_mark"),
                ("postal_address", "postal_address"),
                ("email", "email"),
                ("web", "web"),
            )
        ],
        "document": [
            [WORDS["identity_document_id"], _known(document["id"])],
            [WORDS["identity_version"], _known(document["version"])],
            [
                WORDS["identity_issued"],
                _known(display_date(document["issued"]) if document["issued"] else None),
            ],
        ],
        "signals": [
            {
                "look": signal.value.lower(),
                "signal": signal_word(signal),
                "alert": signal.has_alert_symbol,
                "text": _t(WORDS[f"signal_{signal.value.lower()}"]),
            }
            for signal in Signal
        ],
    }


def booklet_data(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings, bleed: bool
) -> dict[str, Any]:
    """Return the data the booklet template is laid out from."""
    size = catalogue.printing.booklet.size.value
    width, height = BOOKLET_SIZES[size]
    language = catalogue.published[0].language if catalogue.published else "en"
    url = settings.site_url
    return data.common(settings.root, language) | {
        "booklet": booklet_context(catalogue, views)
        | {
            "title": WORDS["booklet_document"].format(product=catalogue.shared.product),
            "width": width,
            "height": height,
            "margins": vars(MARGINS[size]),
            "bleed": BLEED if bleed else 0.0,
            "sizes_pt": FONT_SIZES,
            "url": url,
            "qr": qr_svg(url).decode(),
            "qr_alt": WORDS["qr"].format(url=url),
            "identity": identification(catalogue, language),
            "preview": not settings.release,
            "preview_text": preview_mark(),
        }
    }


def render_booklet(
    catalogue: Catalogue, views: Mapping[str, ExerciseView], settings: Settings, bleed: bool = False
) -> bytes:
    """Return the booklet as a PDF whose page count is a multiple of 4: PDF/UA-1, or with
    ``bleed`` the print-shop file."""
    standards = () if bleed else SCREEN
    pdf = typeset(
        settings.root,
        TEMPLATE,
        booklet_data(catalogue, views, settings, bleed),
        settings.epoch,
        standards,
    )
    _check(catalogue, pdf)
    if bleed:
        return _for_print_shop(pdf, catalogue, settings)
    return pdf


def render_booklets(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    settings: Settings,
    publication: str,
) -> dict[str, bytes]:
    """Return a publication's booklet, its printer's spreads and its print-shop variant
    (``catalogue``: the publication's own, ``Publication.catalogue``)."""
    booklet = render_booklet(catalogue, views, settings)
    return {
        paths.booklet(publication): booklet,
        paths.booklet_imposed(publication): impose(booklet),
        paths.booklet_print(publication): render_booklet(catalogue, views, settings, bleed=True),
    }


def _check(catalogue: Catalogue, pdf: bytes) -> None:
    """Raise if a line runs out of the page's margins or the pages are not a multiple of 4."""
    problems = [
        f"{locate(catalogue, line.text)}: booklet: a line on page {line.page} runs "
        f"{line.by:.1f} mm out of the page: {line.text[:40]!r}"
        for line in text_outside(pdf, CLEAR)
        if line.text != preview_mark()  # the print-shop file's preview mark, in the bleed
    ]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if pages % 4:
        problems.append(f"booklet: {pages} pages, not a multiple of 4")
    if problems:
        raise RenderError("\n".join(problems))


def _for_print_shop(pdf: bytes, catalogue: Catalogue, settings: Settings) -> bytes:
    """Return the print-shop booklet: PDF/X in CMYK, TrimBox and BleedBox, crop marks."""
    size = catalogue.printing.booklet.size.value
    identifier = hashlib.sha256(f"booklet:{size}:print".encode()).hexdigest()[:32]
    title = WORDS["booklet_document"].format(product=catalogue.shared.product) + " (print shop)"
    return for_print_shop(
        pdf, bleed=BLEED, title=title, identifier=identifier.encode(), root=settings.root
    )


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """Return the (left, right) page numbers of each printer's spread, sheet by sheet.

    For 8 pages: (8, 1), (2, 7), (6, 3), (4, 5): fold the printed sheets in the
    middle, nest them, and the pages read 1 to 8.
    """
    spreads = []
    for sheet in range(pages // 4):
        spreads.append((pages - 2 * sheet, 1 + 2 * sheet))
        spreads.append((2 + 2 * sheet, pages - 1 - 2 * sheet))
    return spreads


IMPOSED_VERSION = "1.4"
"""The oldest PDF version the printer's spreads may declare: their pages' transparency groups
and compressed forms are PDF 1.4 features. They declare their pages' version when newer (Typst
writes 1.7)."""


def impose(pdf: bytes) -> bytes:
    """Return printer's spreads for saddle stitching: two pages side by side per side.

    Each page goes onto its sheet whole, as a form XObject placed with a
    translation, so its content is copied without being parsed. The file
    declares the newer of its source's PDF version and 1.4.
    """
    reader = PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    height = float(reader.pages[0].mediabox.height)
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(reader.pages)):
        sheet = writer.add_blank_page(width=2 * width, height=height)
        forms, placements = DictionaryObject(), []
        for name, number, offset in (("/L", left, 0.0), ("/R", right, width)):
            page = reader.pages[number - 1]
            forms[NameObject(name)] = writer._add_object(page_form(page, writer))
            x, y = offset - float(page.mediabox.left), -float(page.mediabox.bottom)
            placements.append(f"q 1 0 0 1 {x:g} {y:g} cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
        contents = DecodedStreamObject()
        contents.set_data("\n".join(placements).encode())
        sheet[NameObject("/Contents")] = writer._add_object(contents)
    writer.add_metadata({"/Title": "Booklet, printer's spreads (saddle stitch)"})
    source = reader.pdf_header.removeprefix("%PDF-")
    writer.pdf_header = f"%PDF-{max(source, IMPOSED_VERSION, key=_version)}"
    writer._ID = None  # no random file identifier: the same input gives the same bytes
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))
