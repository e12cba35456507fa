"""The completeness contract: the parts of an exercise a reader needs, in the order they meet them.

Every full output (web page, card, home-print sheet, booklet, embed, API
record) carries every part an exercise has, in this order and with these
words. The safety comes first: the doctor notice, the exercise's own
signal-word messages, who it suits, what is needed first (with the warm-up)
and the general texts that are the same on every exercise, all before the
first step. Then each phase (title, breathing, the messages of a step right
before it, the steps, the common mistakes), then the dose, what to expect,
the tips and the exercises the text points to.

A picture's caption stands with its picture: on the page with its phase, on
a card with the other pictures on side 1. Either way it comes before the
first step of its phase, and the captions keep their order.

An output that cannot hold all of it declares here, in ``ABRIDGED``, which
parts it leaves out, and carries the address of the whole (URL and QR code).
The checks (``generator.checks.parity``) read every output back and hold it
to this contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from generator.model import Message, Signal
from generator.outputs.view import ExerciseView
from generator.outputs.words import WORDS, signal_word


class Part(StrEnum):
    """A part of an exercise that a reader needs, named as the checks report it."""

    TITLE = "title"
    PURPOSE = "purpose"
    DOCTOR_NOTICE = "doctor notice"
    OWN_MESSAGES = "the exercise's own safety messages"
    SUITABLE_FOR = "suitable for"
    NOT_SUITABLE_FOR = "not suitable for"
    PREREQUISITES = "prerequisites"
    WARM_UP = "warm-up"
    GENERAL = "general safety texts"
    PHASE_TITLES = "phase titles"
    CAPTIONS = "captions"
    BREATHING = "breathing"
    STEP_MESSAGES = "step messages"
    STEPS = "steps"
    MISTAKES = "common mistakes"
    DOSE = "dose"
    EXPECT = "what to expect"
    TIPS = "tips"
    LINKS = "what comes next"


BEFORE_STEPS = frozenset(
    {
        Part.DOCTOR_NOTICE,
        Part.OWN_MESSAGES,
        Part.SUITABLE_FOR,
        Part.NOT_SUITABLE_FOR,
        Part.PREREQUISITES,
        Part.WARM_UP,
        Part.GENERAL,
    }
)
"""The parts that stand before the first step in every output."""

ABRIDGED: dict[str, frozenset[Part]] = {
    "quick-start panel": frozenset(Part)
    - {Part.TITLE, Part.DOCTOR_NOTICE, Part.GENERAL, Part.PHASE_TITLES},
}
"""The outputs that cannot hold a whole exercise, and the parts each leaves out.

The quick-start panel on the box shows how to get on the rack: its title, the
doctor notice, the general safety texts (the contraindications, the cautions
and the stop rule), and each phase's picture and title, with the address (URL
and QR code) of the whole instructions, which it says hold every step and
every safety note. Every other output is full."""


@dataclass(frozen=True)
class Text:
    """One text a reader must meet: which part it belongs to, and where."""

    part: Part
    text: str
    """The words, white space collapsed."""
    phase: int = 0
    """The phase it belongs to (1 to N), or 0 outside the phases."""
    step: int = 0
    """The step it is or stands before (1 to N), or 0."""
    ref: str | None = None
    """The id of the shared message it is from, if any."""


def message_texts(message: Message) -> list[str]:
    """Return the texts that must appear for a message, in the order every output gives them:
    its signal word and hazard, the list, how to avoid it and the consequence; or a notice's
    title, its lines and its list."""
    parts = [signal_word(message.signal) if message.signal else None, message.title, message.hazard]
    parts += [*message.text, *message.items, *message.avoid, message.consequence]
    return [" ".join(p.split()) for p in parts if p]


def _needles(message: Message) -> list[str]:
    """Return a message's texts, the signal word joined to the hazard that follows it (a
    signal word alone is too short to find where it belongs)."""
    texts = message_texts(message)
    if message.signal and len(texts) > 1:
        return [f"{texts[0]} {texts[1]}", *texts[2:]]
    return texts


def signal_less(text: str) -> str:
    """Return a text without the signal word ``reading`` put before its hazard."""
    first, _, rest = text.partition(" ")
    return rest if rest and first in {s.value for s in Signal} else text


def reading(view: ExerciseView) -> list[Text]:
    """Return every text of an exercise, in the order every full output gives it."""
    e = view.exercise
    out: list[Text] = [Text(Part.TITLE, e.title), Text(Part.PURPOSE, e.purpose or "")]
    for part, messages in ((Part.DOCTOR_NOTICE, view.notice), (Part.OWN_MESSAGES, view.own)):
        out += [Text(part, t, ref=r.ref) for r in messages for t in _needles(r.message)]
    out += [Text(Part.SUITABLE_FOR, t) for t in e.suitable_for]
    out += [Text(Part.NOT_SUITABLE_FOR, t) for t in e.not_suitable_for]
    needs = e.prerequisites
    prerequisites = [target.title for target in view.prerequisites]
    months = WORDS["months_value"].format(months=needs.months_of_use)
    prerequisites += [months] if needs.months_of_use else []
    prerequisites += [needs.note] if needs.note else []
    out += [Text(Part.PREREQUISITES, t) for t in prerequisites]
    for part, messages in ((Part.WARM_UP, view.warm_up), (Part.GENERAL, view.general)):
        out += [Text(part, t, ref=r.ref) for r in messages for t in _needles(r.message)]
    for phase in view.phases:
        number = phase.number
        out.append(Text(Part.PHASE_TITLES, phase.phase.title, number))
        if phase.phase.caption:
            out.append(Text(Part.CAPTIONS, phase.phase.caption, number))
        if phase.phase.breathing:
            out.append(Text(Part.BREATHING, phase.phase.breathing, number))
        for step in phase.steps:
            for r in step.safety:
                out += [
                    Text(Part.STEP_MESSAGES, t, number, step.number, r.ref)
                    for t in _needles(r.message)
                ]
            out.append(Text(Part.STEPS, step.text, number, step.number))
        out += [Text(Part.MISTAKES, t, number) for t in phase.phase.mistakes]
    if view.dose:
        dose = view.dose
        seconds = WORDS["seconds_value"].format(seconds=dose.hold_seconds)
        hold = seconds if dose.hold_seconds else None
        out += [
            Text(Part.DOSE, t) for t in (dose.repetitions, hold, dose.frequency, dose.note) if t
        ]
    out += [Text(Part.EXPECT, t, ref=r.ref) for r in view.expect for t in _needles(r.message)]
    out += [Text(Part.TIPS, t) for t in e.tips]
    out += [Text(Part.LINKS, link.title) for link in (view.next, view.balances) if link]
    return [Text(t.part, " ".join(t.text.split()), t.phase, t.step, t.ref) for t in out]
