"""The outputs' own words (headings, labels, the key to the pictures), written once.

The HTML templates (``words`` in Jinja) and the printed outputs (the data handed
to Typst) take them from here, so a label reads the same on the web page, the
card and the booklet.

They are written here in English (``ENGLISH``, ``ENGLISH_LEGEND``) and translated
like every source text (``content/translations/<language>.po``, ids ``words:<key>``
and ``legend:<key>``). ``WORDS`` and ``LEGEND`` read the words of the language being
rendered: a unit of the build renders inside ``speaking(...)`` with its language's
words, as Django's ``translation.override`` does, so no renderer needs them passed
down. Outside ``speaking`` they are English.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from babel.numbers import format_decimal

if TYPE_CHECKING:
    from generator.model import Signal
    from generator.sources.products import Size

ENGLISH: dict[str, str] = {
    "fit": "Is it right for you?",
    "suitable": "Suitable for:",
    "not_suitable": "Not suitable for:",
    "needs": "What you need first",
    "at_ease": "Be at ease with {title} first.",
    "months": "Use the {product} regularly for at least {months} months first.",
    "general": "For every exercise",
    "breathing": "Breathing:",
    "mistakes": "Common mistakes:",
    "dose": "How much and how often",
    "repetitions": "Repetitions:",
    "hold": "Hold:",
    "range": "{min} to {max}",
    "hold_value": "about {seconds} seconds",
    "seconds_value": "{seconds} seconds",
    "months_value": "{months} months",
    "frequency": "How often:",
    "expect": "What to expect",
    "tips": "Tips",
    "links": "What comes next",
    "next": "Next exercise:",
    "balances": "Balance this exercise with:",
    "legend": "Key to the pictures:",
    "side_1": "Side 1 of 2.",
    "side_1_read": "Read this side first.",
    "side_1_steps": "The steps are on side 2.",
    "side_1_pictures": "The pictures and steps are on side 2.",
    "side_2": "Side 2 of 2.",
    "side_2_read": "Read side 1 before you start.",
    "card": "exercise card",
    "more": "Full instructions, with pictures:",
    "qr": "QR code: {url}",
    "alert": "Safety alert symbol",
    # The identity of the product, its maker and these instructions (booklet, cards, panel).
    "identity": "About this product",
    "identity_what": "What it is",
    "identity_use": "What it is for",
    "identity_model": "Model",
    "identity_maker": "Who makes it",
    "identity_maker_name": "Maker:",
    "identity_trade_mark": "Trade mark:",
    "identity_postal_address": "Postal address:",
    "identity_email": "E-mail:",
    "identity_web": "Web:",
    "identity_document": "These instructions",
    "identity_document_id": "Document:",
    "identity_version": "Version:",
    "identity_issued": "Date of issue:",
    "identity_card": "{product} · document {document}",
    "identity_panel": "{product} · {web} · {document}, version {version}",
    # What the signal words and the triangle mean (ANSI Z535.6, ISO 3864-2).
    "signals": "What the safety words mean",
    "signals_intro": "A safety message starts with a word on a coloured band. The word tells you "
    "how serious the risk is.",
    "signal_danger": "You will die or be badly hurt if you do not do what it says.",
    "signal_warning": "You could die or be badly hurt if you do not do what it says.",
    "signal_caution": "You could be hurt a little or a fair amount if you do not do what it says.",
    "signal_notice": "Something could get damaged. No one will be hurt.",
    "signal_triangle": "This triangle stands before a word when you could get hurt.",
    "signal_word_danger": "DANGER",
    "signal_word_warning": "WARNING",
    "signal_word_caution": "CAUTION",
    "signal_word_notice": "NOTICE",
    # The website's pages and the embed.
    "home": "Home",
    "site_description": "Safe, clear instructions for the backrack™ exercises.",
    "before_start": "Before you start",
    "card_link": "Printable card (PDF)",
    "card_link_text": "{link}: the steps and the safety messages on one sheet, to keep next to "
    "your rack.",
    "important": "Important information",
    "important_link": "important information",
    "important_intro": "Read this before you use the {product}. It applies to every exercise.",
    "read_important": "Read all the {link} before you use the {product}.",
    "read_important_first": "Before you start, read the {link}.",
    "part": "Part {number}:",
    "start_here": "Start here: important information",
    "start_here_text": "Before you use the {product}, read the {link}. It says when not to use "
    "the rack, when to stop, and what to expect.",
    "in_order": "The exercises, in order",
    "in_order_text": "Go through the parts in this order. Feel at ease with one exercise before "
    "you try the next.",
    "in_order_part": "Do these in order. Feel at ease with one exercise before you try the next.",
    "offline": "Without internet",
    "offline_text": "For a clinic, a trade fair or a home without internet: {link} (a zip file). "
    "Unzip it onto a computer or a USB stick, then open the file {file} in the folder. It works "
    "in any browser without a connection.",
    "offline_link": "download the offline copy",
    "all": "All exercises",
    "all_intro": "Every exercise, in the order to learn them. To find exercises for one part of "
    "the body or one level, pick a label under {labels}.",
    "labels": "Find by label",
    "column_exercise": "Exercise",
    "column_level": "Level",
    "column_areas": "Works on",
    "column_suitable": "Suitable for",
    "column_not_suitable": "Not suitable for",
    "not_yet": "{part}: not here yet",
    "not_yet_text": "The instructions for this part are being checked. They will follow.",
    "not_yet_web": "Until then, you can ask the maker for help on the web at {web}.",
    "not_yet_email": "Until then, you can ask the maker for help by e-mail at {email}.",
    "not_yet_both": "Until then, you can ask the maker for help on the web at {web} or by e-mail "
    "at {email}.",
    "coming": "Instructions for this part are being reviewed and will follow.",
    "sizes": "Sizes",
    "height_metric": "{min} m to {max} m tall",
    "size": "Size",
    "metric": "Your height (metric)",
    "imperial": "Your height (imperial)",
    "storage": "Storage",
    "maintenance": "Care",
    "area_neck": "Neck",
    "area_thoracic": "Middle and upper back",
    "area_lumbar": "Lower back",
    "area_abdomen": "Stomach muscles",
    "area_hips": "Hips",
    "area_hamstrings": "Back of the thigh",
    "footer_product": "{product}: instructions for use",
    "footer_maker": "Maker: {maker} · Web: {web}",
    "footer_issue": "Document {document}, version {version}, issued {issued}",
    "revision": "{id} · version {version} · reviewed {date}",
    "embed_more": "Full instructions, with everything to know before you start",
    "to_be_confirmed": "to be confirmed",
    "preview": "PREVIEW: not for release",
    "unreviewed": "Translation not yet reviewed. Do not rely on it yet: use the instructions in "
    "the original language.",
    "unreviewed_mark": "Translation not yet reviewed",
    "language_name": "English",
    # The booklet, the panel and the home-print sheets.
    "booklet_title": "Operating instructions and exercises",
    "booklet_document": "{product}: operating instructions and exercises",
    "booklet_cover_note": "Read the important information on the first pages before you use the "
    "{product}.",
    "booklet_sizes": "Which size is yours",
    "booklet_contents": "Contents",
    "booklet_notes": "Notes",
    "booklet_back_more": "Every exercise, with pictures, on the web:",
    "booklet_revision": "Content revision {version} · {date}",
    "panel_heading": "{product}: quick start",
    "panel_more": "All the exercises, step by step, with every safety note:",
    "sheets_title": "Exercise cards to print at home ({paper})",
    "sheets_both_sides": "Print this file on both sides of the paper, at 100 % (actual size: not "
    "“fit to page”).",
    "sheets_flip": "Flip on the {edge} edge, so that each card's side 2 comes behind its side 1.",
    "sheets_light_ink": "light-ink {paper}",
    "sheets_flip_short": "short",
    "sheets_flip_long": "long",
    "sheets_cut": "Cut along the dashed lines. Each card has two sides: read side 1 first.",
    "sheets_blank": "This side is the back of the instructions. The cards begin overleaf.",
    # downloads page
    "downloads": "Downloads",
    "downloads_intro": "Every file to print or keep, in one place. Each link says how big the "
    "file is.",
    "downloads_home": "Cards and other files to print or keep: {link}.",
    "downloads_link": "downloads",
    "downloads_elsewhere": "The booklet, the sheets to print at home and the files for the print "
    "shop are on the website: {address}",
    "download_cards": "Exercise cards",
    "download_cards_intro": "One card for each exercise, {size}, printed on both sides. It has "
    "the steps and the safety messages. Keep it next to your rack.",
    "download_card": "Card",
    "download_light": "Card for a home printer (light ink)",
    "download_booklets": "Booklet",
    "download_booklets_intro": "The instructions booklet: the important information and every "
    "exercise, in order.",
    "download_booklet": "Instructions booklet",
    "download_booklet_use": "To read on a screen, or to print page by page.",
    "download_sheets": "Cards to print at home",
    "download_sheets_intro": "All the cards on sheets of paper, to print on both sides and cut "
    "out. The light-ink files have no coloured background: they use less ink.",
    "download_sheet": "All cards on {paper} paper",
    "download_sheet_light": "All cards on {paper} paper, light ink",
    "download_offline": "Offline copy of this website",
    "download_offline_use": "A zip file. Unzip it, then open the file index.html in the folder.",
    "download_offline_intro": "For a clinic, a trade fair or a home without internet. The copy "
    "holds every page and every card.",
    "download_shop": "For the print shop",
    "download_shop_intro": "Files with bleed and crop marks, for a print shop. To print at home, "
    "use the files above.",
    "download_booklet_print": "Booklet, page by page, with bleed",
    "download_booklet_print_use": "Each page with 3 mm of bleed and crop marks.",
    "download_booklet_imposed": "Booklet, printer's spreads",
    "download_booklet_imposed_use": "The pages in the order for folding and saddle stitching.",
    "download_panel": "Quick-start panel for the box",
    "download_panel_use": "Getting on the rack, and where to find the rest.",
    "download_print_card": "{exercise}: card with bleed",
    "paper_a4": "A4",
    "paper_letter": "US Letter",
    "size_kb": "{size} KB",
    "size_mb": "{size} MB",
    "file_pdf": "PDF",
    "file_zip": "ZIP",
    "card_size_a5": "A5 (148 × 210 mm)",
    "card_size_a6": "A6 (105 × 148 mm)",
    "card_size_us-4x6": "4 × 6 inches",
    # finishing: 404, sharing
    "not_found_title": "Page not found",
    "not_found_text": "There is no page at this address. It may have moved, or the address may "
    "have a typing mistake.",
    "not_found_search": "Search the exercises",
    "not_found_search_where": "You can also search from any page: use the search box or the "
    "magnifying glass at the top of the page.",
    "not_found_go": "Or go to:",
    # partner API page
    "api_nav": "For partners",
    "api_title": "For partners: the exercises as data and as embeds",
    "api_intro": "You can show these exercises on your own pages in two ways: as data, from "
    "one file per language, or as an embed, a frame that shows the whole exercise. Both say "
    "the whole exercise, with every safety message, and follow every change to this site.",
    "api_file_heading": "The exercise data",
    "api_file": "One JSON file lists every published exercise in this language, in the order "
    "of the sequence. Drafts are never in it. The file for this language:",
    "api_languages": "Each language has its own file, and the addresses in it lead to that "
    "language's site:",
    "api_fields_heading": "The fields of an exercise, in reading order",
    "api_fields": "Show the fields of each exercise in this order. The file gives the order "
    "too, in its field reading_order.",
    "api_order_rule": "The order is a safety rule. Everything before the phases must come "
    "before the first step: the safety messages, who the exercise suits and who it does not, "
    "what is needed first, the warm-up and the safety texts of every exercise. In a phase, "
    "the safety messages of a step come right before that step. Leave nothing out, and do "
    "not hide a safety message in a closed box, a tooltip or a footnote.",
    "api_field_title": "the name of the exercise",
    "api_field_purpose": "what it is for, in one line",
    "api_field_safety": "the notice to consult your doctor, then the safety messages of "
    "this exercise",
    "api_field_suitable_for": "who it suits",
    "api_field_not_suitable_for": "who it does not suit",
    "api_field_prerequisites": "what is needed first: other exercises, months of use, a note",
    "api_field_warm_up": "the warm-up",
    "api_field_general_safety": "when not to use the product, the cautions and when to stop: "
    "the same on every exercise",
    "api_field_phases": "the phases: title, caption, breathing, picture, the numbered steps "
    "(each with its safety messages before it) and common mistakes",
    "api_field_dose": "how much and how often",
    "api_field_expect": "what to expect",
    "api_field_tips": "tips",
    "api_field_links": "what comes next, and the exercise that balances this one",
    "api_other_fields": "Each exercise also has its id, part of the sequence, place, version, "
    "date of review, language and body areas, the addresses of its page, its picture for "
    "sharing, its embed and its oEmbed file, and who makes the product, which product and "
    "which instructions. Every address is a full address.",
    "api_schema_heading": "Schema and version",
    "api_schema": "A JSON Schema (draft 2020-12) describes the file. The file names it in "
    "its field $schema:",
    "api_version": "The field format is the version of the layout of the file, now {format}. "
    "It goes up by one whenever a program that reads the file could notice: a field is added, "
    "taken away, renamed, or changes its type or meaning, or a value is added to or taken "
    "from a fixed list (section, areas, role, signal). New exercises, changed texts or a new "
    "language do not change it: the version of the instructions (identity, document) counts "
    "those.",
    "api_embed_heading": "Embeds",
    "api_embed": "Each exercise has an embed: a page that shows the whole exercise with its "
    "pictures, in a frame on your page. To show {title}, paste this into your page:",
    "api_embed_resize": "The script makes the frame as high as the exercise, so nobody "
    "scrolls inside the frame. It listens only to the frame itself, and sets only its height. "
    "Without the script the frame is {height} pixels high and scrolls. The frame runs no "
    "script but the embed's own, which tells your page its height, and it loads nothing "
    "from anywhere.",
    "api_oembed_heading": "oEmbed",
    "api_oembed": "Each exercise page names its oEmbed file in its head, so a tool that "
    "reads oEmbed makes the frame from the address of the page. The oEmbed file of {title}:",
    "api_licence_heading": "Terms of reuse",
    "api_licence_open": "The terms on which you may reuse these instructions are not set "
    "yet. Until they are, the field licence in the file is empty (null). Please ask the maker "
    "before you use the content.",
    "api_licence_set": "The terms on which you may reuse these instructions: {licence}",
    "api_contact": "The maker: {name}. E-mail: {email}. Web: {web}.",
}
"""Every label, by key, in English."""

ENGLISH_LEGEND: dict[str, str] = {
    "far": "Lighter arm and leg: the far side.",
    "pressure": "Orange band: where the rack presses.",
    "arrow": "Curved arrow: the move to the next picture.",
    "in": "Arrow to the nose: breathe in.",
    "out": "Arrow from the nose: breathe out.",
}
"""The key's words for each kind of mark the diagrams draw (generator/diagrams/svg.py)."""


@dataclass(frozen=True)
class Speech:
    """The language being rendered: its words, and whether its translation is reviewed."""

    language: str
    words: Mapping[str, str]
    legend: Mapping[str, str]
    reviewed: bool = True
    """False: a preview of a translation not yet approved, which every output says."""


ENGLISH_SPEECH = Speech("en", ENGLISH, ENGLISH_LEGEND)
_SPOKEN: ContextVar[Speech] = ContextVar("spoken", default=ENGLISH_SPEECH)


class _Spoken(Mapping[str, str]):
    """The words of the language being rendered (``speaking``); English outside it."""

    def __init__(self, legend: bool) -> None:
        self._legend = legend

    def _words(self) -> Mapping[str, str]:
        speech = _SPOKEN.get()
        return speech.legend if self._legend else speech.words

    def __getitem__(self, key: str) -> str:
        return self._words()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._words())

    def __len__(self) -> int:
        return len(self._words())


WORDS: Mapping[str, str] = _Spoken(legend=False)
"""Every label, by key, in the language being rendered."""
LEGEND: Mapping[str, str] = _Spoken(legend=True)
"""The key to the pictures, in the language being rendered."""


@contextmanager
def speaking(speech: Speech) -> Iterator[None]:
    """Render in a language: within this, ``WORDS`` and ``LEGEND`` are its words."""
    token = _SPOKEN.set(speech)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def speech() -> Speech:
    """Return the language being rendered (English outside ``speaking``)."""
    return _SPOKEN.get()


def unreviewed_notice() -> str | None:
    """Return the banner of a translation not yet reviewed (in its language, then in English),
    or None."""
    spoken = _SPOKEN.get()
    if spoken.reviewed:
        return None
    english = ENGLISH["unreviewed"]
    own = spoken.words["unreviewed"]
    return own if own == english else f"{own} ({english})"


def preview_mark() -> str:
    """Return what every printed page of a preview says (and that its translation is not yet
    reviewed, where it is not: in its own language only, to stay on one line)."""
    spoken = _SPOKEN.get()
    if spoken.reviewed:
        return spoken.words["preview"]
    return f"{spoken.words['preview']} · {spoken.words['unreviewed_mark']}"


LOCALES = {"en": "en_GB"}
"""The locale whose formats a language's dates and numbers take, where it is not the language's
own (the maker is in the United Kingdom)."""


def locale() -> str:
    """Return the locale of the language being rendered, for babel."""
    language = _SPOKEN.get().language
    return LOCALES.get(language, language)


def display_date(value: datetime.date | str) -> str:
    """Return a date as the reader's language writes it ("1 December 2025", "1. Dezember
    2025"); ``value`` is a date or an ISO date."""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, format="long", locale=locale())


def display_number(value: float) -> str:
    """Return a number as the reader's language writes it (1.55, 1,55)."""
    return format_decimal(value, locale=locale())


def height_metric(size: Size) -> str:
    """Return a size's heights in metres as the reader's language writes them ("1.55 m to
    1.75 m tall")."""
    low, high = (format_decimal(h, format="0.00", locale=locale()) for h in size.metric_range)
    return WORDS["height_metric"].format(min=low, max=high)


def signal_word(signal: Signal) -> str:
    """Return a signal word as the reader sees it (DANGER, WARNING, CAUTION, NOTICE in English)."""
    return WORDS[f"signal_word_{signal.value.lower()}"]


def legend_marks(phases: Iterable[Any]) -> list[str]:
    """Return the kinds of marks a set of phase diagrams draws, in the key's order.

    The lighter limbs are in every picture; the pressure band where a phase has
    one; the movement arrow on any phase but the last (the last has no next
    picture); the breathing arrows where a phase breathes in or out.
    """
    entries = list(phases)
    found = {"far"}
    for index, entry in enumerate(entries):
        overlay = entry.phase.overlay
        if overlay.pressure:
            found.add("pressure")
        if overlay.arrow and index < len(entries) - 1:
            found.add("arrow")
        breath = getattr(overlay.breath, "value", overlay.breath)
        if breath == "in":
            found.add("in")
        if breath == "out":
            found.add("out")
    return [mark for mark in LEGEND if mark in found]


_UNIT = re.compile(
    r"(?<=\d) (?=(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|times?|degrees?"
    r"|Sekunden?|Minuten?|Stunden?|Tagen?|Tage|Wochen?|Monaten?|Monate|Jahren?|Jahre|Mal|Grad"
    r"|cm|mm|kg|m|°C|%)(?!\w))"
)
_RANGE = re.compile(r"(?<=\d) (?=(?:to|bis) \d)|(?<=\d to) (?=\d)|(?<=\d bis) (?=\d)")
NBSP = "\u00a0"


def keep_together(text: str) -> str:
    """Return ``text`` with a no-break space between a number and its unit ("30 seconds",
    "3 months") and inside a range ("5 to 10"), so a line never breaks between them."""
    return _RANGE.sub(NBSP, _UNIT.sub(NBSP, text))
