"""The outputs' own words (headings, labels, the key to the pictures), written once.

The HTML templates (``words`` in Jinja) and the printed outputs (the data handed
to Typst) take them from here, so a label reads the same on the web page, the
card and the booklet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.outputs.view import PhaseView

WORDS: dict[str, str] = {
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
    "hold_value": "about {seconds} seconds",
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
}
"""Every label, by key."""

LEGEND: dict[str, str] = {
    "far": "Lighter arm and leg: the far side.",
    "pressure": "Orange band: where the rack presses.",
    "arrow": "Curved arrow: the move to the next picture.",
    "in": "Arrow to the nose: breathe in.",
    "out": "Arrow from the nose: breathe out.",
}
"""The key's words for each kind of mark the diagrams draw (generator/diagrams/svg.py)."""


def legend_marks(phases: Iterable[PhaseView]) -> list[str]:
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
    r"|cm|mm|kg|m)\b)"
)
_RANGE = re.compile(r"(?<=\d) (?=to \d)|(?<=\d to) (?=\d)")
NBSP = "\u00a0"


def keep_together(text: str) -> str:
    """Return ``text`` with a no-break space between a number and its unit ("30 seconds",
    "3 months") and inside a range ("5 to 10"), so a line never breaks between them."""
    return _RANGE.sub(NBSP, _UNIT.sub(NBSP, text))
