"""Exercise cards: two sides per published exercise, laid out by Typst (templates/print/card.typ).

Side 1 (the front, read first): title, purpose, the doctor notice and the
exercise's own safety messages, who it suits, what is needed first, the
general safety texts, and the phase diagrams (vector SVG) with their captions.
Side 2 (the back): each phase's breathing, numbered steps (step messages
before their step) and common mistakes, then the dose, what to expect, tips,
what comes next, a QR code to the web page, the revision line and the identity
line (product · document id · version). The parts stand in the order of
``generator.outputs.contract``. A preview (not a release build) says so on
both sides: in the band at the top, or in the bleed of the print-shop card,
where it is cut off.

Three PDFs per exercise, from the same template and data:

- the card (``cards/<id>.pdf``): PDF/UA-1, on the cards' cream background;
- the light-ink card (``cards/light-ink/<id>.pdf``): PDF/UA-1 without the
  background, which the home-print sheets are imposed from;
- the print-shop card (``print/cards/<id>.pdf``): 3 mm bleed, PDF/X-4 in CMYK
  with crop marks outside the bleed (``generator.outputs.print.prepress``).

Each side must fit its page: text is never shrunk or clipped; a side that does
not fit fails the build, saying by how much and naming the source file. A
word wider than its column is broken between its letters (the template); a
line still out of the page fails the build too, naming the file and field it
is from (read back from the PDF: ``generator.outputs.print.readback``).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from generator.errors import RenderError
from generator.outputs import paths
from generator.outputs.identity import identity
from generator.outputs.print import data
from generator.outputs.print.prepress import for_print_shop
from generator.outputs.print.qr import qr_svg
from generator.outputs.print.readback import text_outside
from generator.outputs.print.source import exercise_file, locate
from generator.outputs.print.typeset import query, typeset
from generator.outputs.view import ExerciseView
from generator.outputs.words import WORDS, preview_mark
from generator.settings import Settings
from generator.sources.catalogue import Catalogue

CARD_SIZES = {"a6": (105.0, 148.0), "a5": (148.0, 210.0), "us-4x6": (101.6, 152.4)}
"""Trimmed card sizes (width, height) in millimetres."""
MARGIN = 6.0
"""Page margin in mm: text stays at least 5 mm inside the trim."""
BLEED = 3.0
"""Bleed of the print-shop variant, in mm."""
FACES = ("front", "back")
TEMPLATE = "card.typ"


@dataclass(frozen=True)
class CardSettings:
    """How cards are made."""

    size: str = "a6"
    """One of ``CARD_SIZES``."""
    bleed: bool = False
    """The print-shop variant: 3 mm bleed, crop marks, TrimBox and BleedBox."""
    background: bool = True
    """The cream background (not on the light-ink card)."""
    identity: str = ""
    """The identity line by the revision line: the product and the card's document id
    (``{exercise}`` stands for the exercise's id); the revision line beside it gives the
    card's version and date."""
    preview: bool = False
    """Mark both sides "PREVIEW" (``generator.outputs.words.preview_mark``): not a release."""

    @property
    def trim(self) -> tuple[float, float]:
        """Return the trimmed width and height in mm."""
        return CARD_SIZES[self.size]


@dataclass(frozen=True)
class CardFace:
    """What a card's two sides show: the exercise's view and where its QR code leads."""

    view: ExerciseView
    url: str
    """The address of the exercise's web page, printed and in the QR code."""
    pictures: int = 1
    """The side the pictures, their captions and their key are on: 1, after everything to know
    before the first step; or 2, before the steps, when side 1 cannot hold them."""


def card_face(view: ExerciseView, site_url: str) -> CardFace:
    """Return what the card of one exercise shows."""
    return CardFace(view, paths.page_url(site_url, view.id))


def card_data(
    face: CardFace, root: Path, card: CardSettings, height: float | None = None
) -> dict[str, Any]:
    """Return the data the card template is laid out from (``height``: a taller page, to
    measure a side that does not fit)."""
    view = face.view
    width, trim_height = card.trim
    return data.common(root, view.exercise.language) | {
        "exercise": data.exercise(view),
        "card": {
            "title": f"{view.exercise.title}: {WORDS['card']}",
            "width": width,
            "height": height or trim_height,
            "margin": MARGIN,
            "bleed": BLEED if card.bleed else 0.0,
            "background": card.background,
            "pictures": face.pictures,
            "url": face.url,
            "qr": qr_svg(face.url).decode(),
            "qr_alt": WORDS["qr"].format(url=face.url),
            "identity": card.identity.replace("{exercise}", view.id),
            "preview": card.preview,
            "preview_text": preview_mark(),
        },
    }


def identity_line(catalogue: Catalogue) -> str:
    """Return the cards' identity line: the product and each card's document id (the
    instructions' id and the exercise's: ``backrack-en/stomach-crunch``, ``{exercise}`` left
    for the exercise). A card is a document of its own: its version and date are those of its
    exercise (the revision line), so a change to another exercise leaves it as it is."""
    found = identity(catalogue)
    return WORDS["identity_card"].format(
        product=found["product"]["name"], document=found["document"]["id"] + "/{exercise}"
    )


def for_build(catalogue: Catalogue, settings: Settings, card: CardSettings) -> CardSettings:
    """Return ``card`` with what the build adds: the identity line, and the preview mark
    unless this is a release build."""
    return replace(card, identity=identity_line(catalogue), preview=not settings.release)


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _typeset(face: CardFace, settings: Settings, card: CardSettings) -> bytes:
    standards = () if card.bleed else ("ua-1",)
    return typeset(
        settings.root, TEMPLATE, card_data(face, settings.root, card), settings.epoch, standards
    )


def fitting_face(
    view: ExerciseView, settings: Settings, card: CardSettings
) -> tuple[CardFace, bytes]:
    """Return the card's sides and their PDF: the pictures on side 1, or on side 2 when side 1
    cannot hold them and side 2 can (the captions stay before the steps either way)."""
    face = card_face(view, settings.site_url)
    pdf = _typeset(face, settings, card)
    if _pages(pdf) == len(FACES):
        return face, pdf
    moved = replace(face, pictures=2)
    second = _typeset(moved, settings, card)
    if _pages(second) == len(FACES):
        return moved, second
    return face, pdf


def render_card(
    catalogue: Catalogue,
    view: ExerciseView,
    settings: Settings,
    card: CardSettings = CardSettings(),
) -> bytes:
    """Return the card of one exercise as PDF bytes; fail if a side does not fit its page."""
    card = for_build(catalogue, settings, card)
    face, pdf = fitting_face(view, settings, card)
    _check(catalogue, face, pdf, settings, card)
    if card.bleed:
        return _for_print_shop(pdf, face, card, settings.root)
    return pdf


def render_cards(catalogue: Catalogue, view: ExerciseView, settings: Settings) -> dict[str, bytes]:
    """Return the card, the light-ink card and the print-shop card of one exercise.

    Which side the pictures are on is decided once, on the card; the other two
    follow it (the background and the bleed move nothing on the page).
    """
    size = catalogue.printing.cards.size.value
    plain = for_build(catalogue, settings, CardSettings(size))
    face, pdf = fitting_face(view, settings, plain)
    _check(catalogue, face, pdf, settings, plain)
    light = _typeset(face, settings, replace(plain, background=False))
    shop_settings = replace(plain, bleed=True)
    shop = _for_print_shop(
        _typeset(face, settings, shop_settings), face, shop_settings, settings.root
    )
    return {
        paths.card(view.id): pdf,
        paths.light_card(view.id): light,
        paths.print_card(view.id): shop,
    }


def _for_print_shop(pdf: bytes, face: CardFace, card: CardSettings, root: Path) -> bytes:
    identifier = hashlib.sha256(f"card:{face.view.id}:{card}".encode()).hexdigest()[:32]
    title = f"{face.view.exercise.title}: {WORDS['card']} (print shop)"
    return for_print_shop(pdf, bleed=BLEED, title=title, identifier=identifier.encode(), root=root)


def _check(
    catalogue: Catalogue, face: CardFace, pdf: bytes, settings: Settings, card: CardSettings
) -> None:
    """Raise if a side does not fit its page or a line runs out of it."""
    exercise = face.view.exercise
    if _pages(pdf) != len(FACES):
        raise RenderError("\n".join(_overflow(face, settings, card)))
    problems = [
        f"{locate(catalogue, line.text, exercise)}: card {exercise.id}: a line of the "
        f"{FACES[line.page - 1]} runs {line.by:.1f} mm out of the page: {_excerpt(line.text)}"
        for line in text_outside(pdf, MARGIN)
        if line.text != preview_mark()  # the print-shop card's preview mark, in the bleed
    ]
    if problems:
        raise RenderError("\n".join(problems))


def _excerpt(text: str, length: int = 40) -> str:
    """Return the start of a text, quoted, for a message."""
    return repr(text if len(text) <= length else text[:length] + "…")


def face_heights(face: CardFace, settings: Settings, card: CardSettings) -> dict[str, float]:
    """Return the height (mm) each side's content takes, laid out on a tall page."""
    tall = card_data(face, settings.root, card, height=2000.0)
    found = {
        str(item["side"]): float(item["y"])
        for item in query(settings.root, TEMPLATE, tall, "side-end")
    }
    top = MARGIN + (BLEED if card.bleed else 0.0)
    # Side 2's steps run in two columns: on the tall page they stand in the first one, and
    # would take about half of that height in two.
    flow = found["back"] - found["flow"]
    return {"front": found["front"] - top, "back": found["flow"] - top + flow / 2}


def _overflow(face: CardFace, settings: Settings, card: CardSettings) -> list[str]:
    """Return which side of a card is too long, and by how much."""
    exercise = face.view.exercise
    heights = face_heights(face, settings, card)
    available = card.trim[1] - 2 * MARGIN
    source = exercise_file(exercise)
    fields = {
        "front": "safety, suitable_for, not_suitable_for, prerequisites, phases.*.caption",
        "back": "phases, dose, expect, tips, links",
    }
    problems = []
    for side, used in heights.items():
        if used > available + 0.05:
            problems.append(
                f"{source}: {fields[side]}: card {exercise.id}: the {side} is "
                f"{used - available:.1f} mm too long for a "
                f"{card.size.upper()} card ({used:.1f} mm of text for {available:.1f} mm); "
                "shorten its text or choose a larger card size"
            )
    if not problems:  # within a millimetre: the page break, not the text, tips it over
        problems.append(
            f"{source}: card {exercise.id}: a side is less than 1 mm too long for a "
            f"{card.size.upper()} card; shorten its text or choose a larger card size"
        )
    return problems
