"""Exercise cards: two faces per published exercise, as print-ready, tagged PDF.

Side 1 (the front, read first): title, purpose, the doctor notice and the
exercise's own safety messages, who it suits, what is needed first, the
general safety texts, and the phase diagrams (vector SVG) with their captions.
Side 2 (the back): each phase's breathing, numbered steps (step messages
before their step) and common mistakes, then the dose, what to expect, tips,
what comes next, a QR code to the web page and the revision line. The parts
stand in the order of ``generator.outputs.contract``.

Each face must fit its page: text is never shrunk or clipped; a face that
does not fit fails the build, saying by how much and naming the source file.
A word wider than the page is broken across lines (the stylesheets); a line
still wider fails the build too, naming the file and field it is from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from generator.model import Exercise
from generator.outputs import paths
from generator.outputs.print.qr import qr_svg
from generator.outputs.print.render import (
    Rendered,
    checked,
    layout,
    text_outside,
    without_bleed,
    write_pdf,
)
from generator.outputs.print.source import exercise_file, locate
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.view import ExerciseView
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.fonts import font_face_css, font_files
from generator.sources.palette import palette_css

PX_PER_MM = 96 / 25.4
CARD_SIZES = {"a6": (105.0, 148.0), "a5": (148.0, 210.0), "us-4x6": (101.6, 152.4)}
"""Trimmed card sizes (width, height) in millimetres."""
MARGIN = 6.0
"""Page margin in mm: text stays at least 5 mm inside the trim."""
BLEED = 3.0
"""Bleed of the print-shop variant, in mm."""
FACES = ("front", "back")


@dataclass(frozen=True)
class CardSettings:
    """How cards are made."""

    size: str = "a6"
    """One of ``CARD_SIZES``."""
    bleed: bool = False
    """The print-shop variant: 3 mm bleed, crop marks, TrimBox and BleedBox."""

    @property
    def trim(self) -> tuple[float, float]:
        """Return the trimmed width and height in mm."""
        return CARD_SIZES[self.size]


def page_css(settings: CardSettings, height: float | None = None) -> str:
    """Return the ``@page`` rule: size, margins, and bleed with crop marks for the print shop."""
    width, trim_height = settings.trim
    rule = f"size: {width}mm {height or trim_height}mm; margin: {MARGIN}mm;"
    rule += " background: #fbf8f2;"
    if settings.bleed:
        rule += f" bleed: {BLEED}mm; marks: crop;"
    return f"@page {{ {rule} }}\n"


@dataclass(frozen=True)
class CardFace:
    """What a card's two faces show: the exercise's view and where its QR code leads."""

    view: ExerciseView
    url: str
    """The address of the exercise's web page, printed and in the QR code."""
    pictures: int = 1
    """The side the pictures, their captions and their key are on: 1, after everything to know
    before the first step; or 2, before the steps, when side 1 cannot hold them."""

    @property
    def qr(self) -> str:
        """Return the name the QR code is handed to the renderer under."""
        return f"qr/{self.view.id}.svg"


def card_face(view: ExerciseView, site_url: str) -> CardFace:
    """Return what the card of one exercise shows."""
    return CardFace(view, paths.page_url(site_url, view.id))


def card_html(face: CardFace, root: Path, css: str, date: str) -> str:
    """Return the HTML of an exercise's card."""
    template = environment(root / TEMPLATES_DIR).get_template("cards/card.html.j2")
    return template.render(card=face, css=css, date=date)


def card_resources(face: CardFace) -> dict[str, bytes]:
    """Return everything a card uses, by name: fonts, diagrams, the QR code."""
    resources = {f"fonts/{name}": data for name, data in font_files().items()}
    for drawn in face.view.diagrams:
        resources[drawn.path] = drawn.svg.encode()
    resources[face.qr] = qr_svg(face.url)
    return resources


def print_css(root: Path, name: str) -> str:
    """Return a printed output's stylesheet, after the palette and followed by the shared print
    rules: the signal-word colours, the step numbers and the breaking of long words."""
    folder = root / TEMPLATES_DIR
    partials = ("signal-colours.css", "step-numbers.css", "text-wrap.css")
    shared = [folder / "partials" / name for name in partials]
    own = (folder / name).read_text(encoding="utf-8")
    return palette_css(root) + own + "".join(path.read_text(encoding="utf-8") for path in shared)


def card_css(root: Path) -> str:
    """Return the cards' stylesheet (fonts and page rules aside)."""
    return print_css(root, "cards/card.css")


def _stylesheet(root: Path, settings: CardSettings, height: float | None = None) -> str:
    css = card_css(root)
    return font_face_css("resource:fonts/") + page_css(settings, height) + css


def render_card(
    catalogue: Catalogue,
    view: ExerciseView,
    settings: Settings,
    card: CardSettings = CardSettings(),
) -> bytes:
    """Return the card of one exercise as PDF bytes; fail if a face does not fit its page."""
    with _layout_card(catalogue, view, settings, card) as rendered:
        return _write(rendered, view.exercise, card)


def render_cards(catalogue: Catalogue, view: ExerciseView, settings: Settings) -> dict[str, bytes]:
    """Return the plain card and the print-shop card (bleed, crop marks) of one exercise.

    Both come from one layout: bleed does not move anything on the page.
    """
    size = catalogue.printing.cards.size.value
    bleed = CardSettings(size, bleed=True)
    with _layout_card(catalogue, view, settings, bleed) as rendered:
        plain = _write(without_bleed(rendered), view.exercise, CardSettings(size))
        shop = _write(rendered, view.exercise, bleed)
    return {paths.card(view.id): plain, paths.print_card(view.id): shop}


def fitting_face(
    view: ExerciseView, settings: Settings, card: CardSettings
) -> tuple[CardFace, Rendered]:
    """Return the card's faces and their layout: the pictures on side 1, or on side 2 when
    side 1 cannot hold them and side 2 can (the captions stay before the steps either way).
    Close the layout when done with it."""
    face = card_face(view, settings.site_url)
    css = _stylesheet(settings.root, card)
    rendered = layout(card_html(face, settings.root, css, settings.iso_date), card_resources(face))
    if len(rendered.document.pages) == len(FACES):
        return face, rendered
    moved = replace(face, pictures=2)
    html = card_html(moved, settings.root, css, settings.iso_date)
    second = layout(html, card_resources(moved))
    if len(second.document.pages) == len(FACES):
        rendered.close()
        return moved, second
    second.close()
    return face, rendered


def _layout_card(
    catalogue: Catalogue, view: ExerciseView, settings: Settings, card: CardSettings
) -> Rendered:
    exercise = view.exercise
    face, rendered = fitting_face(view, settings, card)

    def problems(rendered: Rendered) -> list[str]:
        if len(rendered.document.pages) != len(FACES):
            return _overflow(catalogue, face, settings, card)
        return [
            f"{locate(catalogue, line.text, exercise)}: card {exercise.id}: a line of the "
            f"{FACES[line.page - 1]} runs {line.by:.1f} mm out of the page: "
            f"{_excerpt(line.text)}"
            for line in text_outside(rendered)
        ]

    return checked(rendered, problems)


def _excerpt(text: str, length: int = 40) -> str:
    """Return the start of a text, quoted, for a message."""
    return repr(text if len(text) <= length else text[:length] + "…")


def _write(rendered: Rendered, exercise: Exercise, settings: CardSettings) -> bytes:
    identifier = hashlib.sha256(f"card:{exercise.id}:{settings}".encode()).hexdigest()[:32]
    return write_pdf(rendered, identifier.encode())


def _overflow(
    catalogue: Catalogue, face: CardFace, settings: Settings, card: CardSettings
) -> list[str]:
    """Return which face of a card is too long, and by how much (laid out on a tall page)."""
    exercise = face.view.exercise
    css = _stylesheet(settings.root, card, height=2000.0)
    html = card_html(face, settings.root, css, settings.iso_date)
    with layout(html, card_resources(face)) as tall:
        heights = face_heights(tall)
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
            f"{source}: card {exercise.id}: a face is less than 1 mm too long for a "
            f"{card.size.upper()} card; shorten its text or choose a larger card size"
        )
    return problems


def face_heights(rendered: Rendered) -> dict[str, float]:
    """Return the height (mm) each face's content takes, from the laid-out boxes."""
    heights: dict[str, float] = {}
    for page in rendered.document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            face = element.get("id") if element is not None else None
            if face in FACES and box.element_tag == "section" and face not in heights:
                heights[face] = box.margin_height() / PX_PER_MM
    return heights
