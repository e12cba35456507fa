"""The data a printed output is laid out from: an exercise view, as plain JSON values.

Typst templates receive this and nothing else. Every text comes from the view
(the same one the web page renders) or from ``generator.outputs.words``; the
colours come from the one palette (``templates/palette.yaml``). Numbers are
kept with their units by no-break spaces (``keep_together``), so "30 seconds"
never breaks across lines on paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.outputs.view import ExerciseView, PhaseView
from generator.outputs.words import LEGEND, WORDS, keep_together, legend_marks, signal_word
from generator.sources.catalogue import Resolved
from generator.sources.palette import load_palette

Json = dict[str, Any]


def _t(text: str | None) -> str | None:
    return None if text is None else keep_together(" ".join(text.split()))


def _ts(texts: Iterable[str]) -> list[str]:
    return [keep_together(" ".join(text.split())) for text in texts]


def message(resolved: Resolved) -> Json:
    """Return one message: a safety message (its signal word's look, the triangle but on
    NOTICE) or a notice (the doctor notice's look, or the other notices')."""
    m = resolved.message
    if m.signal is not None:
        look = m.signal.value.lower()
        return {
            "kind": "safety",
            "look": look,
            "signal": signal_word(m.signal),
            "alert": m.signal.has_alert_symbol,
            "hazard": _t(m.hazard),
            "items": _ts(m.items),
            "avoid": _ts(m.avoid),
            "consequence": _t(m.consequence),
            "ref": resolved.ref,
        }
    look = "doctor-notice" if resolved.role.value == "doctor-notice" else "notice-box"
    return {
        "kind": "notice",
        "look": look,
        "title": _t(m.title),
        "text": _ts(m.text),
        "items": _ts(m.items),
        "ref": resolved.ref,
    }


def messages(resolved: Iterable[Resolved]) -> list[Json]:
    """Return messages in order."""
    return [message(r) for r in resolved]


def phase(entry: PhaseView) -> Json:
    """Return one phase: picture and caption, breathing, steps with their messages, mistakes."""
    p = entry.phase
    return {
        "number": entry.number,
        "title": _t(p.title),
        "caption": _t(p.caption),
        "breathing": _t(p.breathing),
        "steps": [
            {"number": s.number, "text": _t(s.text), "safety": messages(s.safety)}
            for s in entry.steps
        ],
        "mistakes": _ts(p.mistakes),
        "diagram": {
            "svg": entry.diagram.svg,
            "alt": entry.diagram.alt,
            "width": entry.diagram.width,
            "height": entry.diagram.height,
        },
    }


def exercise(view: ExerciseView) -> Json:
    """Return the whole exercise, part by part, in the contract's order
    (``generator.outputs.contract``)."""
    e = view.exercise
    p = e.prerequisites
    needs = [WORDS["at_ease"].format(title=target.title) for target in view.prerequisites]
    if p.months_of_use:
        needs.append(WORDS["months"].format(product=view.product, months=p.months_of_use))
    if p.note:
        needs.append(p.note)
    dose = None
    if view.dose is not None:
        d = view.dose
        dose = [
            [label, value]
            for label, value in (
                (WORDS["repetitions"], d.repetitions),
                (
                    WORDS["hold"],
                    d.hold_seconds and WORDS["hold_value"].format(seconds=d.hold_seconds),
                ),
                (WORDS["frequency"], d.frequency),
                (None, d.note),
            )
            if value
        ]
    links = []
    if view.next is not None:
        links.append([WORDS["next"], view.next.title])
    if view.balances is not None:
        links.append([WORDS["balances"], view.balances.title])
    return {
        "id": view.id,
        "language": e.language,
        "title": _t(e.title),
        "purpose": _t(e.purpose),
        "product": view.product,
        "notice": messages(view.notice),
        "own": messages(view.own),
        "general": messages(view.general),
        "suitable": _ts(e.suitable_for),
        "not_suitable": _ts(e.not_suitable_for),
        "needs": _ts(needs),
        "warm_up": messages(view.warm_up),
        "phases": [phase(entry) for entry in view.phases],
        "legend": [LEGEND[mark] for mark in legend_marks(view.phases)],
        "dose": [[label, keep_together(str(value))] for label, value in dose] if dose else None,
        "expect": messages(view.expect),
        "tips": _ts(e.tips),
        "links": links,
        "revision": view.revision,
    }


def palette(root: Path) -> Json:
    """Return the look of each kind of message, from the one palette."""
    return {
        name: {part: colour for part, colour in look.model_dump().items() if colour is not None}
        for name, look in load_palette(root).looks().items()
    }


def common(root: Path, language: str) -> Json:
    """Return what every printed output needs besides its content: the words and the palette."""
    return {"words": dict(WORDS), "palette": palette(root), "language": language}
