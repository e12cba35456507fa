"""The Jinja2 environment shared by every output: strict, autoescaped, deterministic."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from string import Formatter

import jinja2
from markupsafe import Markup, escape

from generator.outputs.words import (
    LEGEND,
    WORDS,
    height_metric,
    legend_marks,
    signal_word,
    unreviewed_notice,
)

TEMPLATES_DIR = "templates"
"""The templates folder, relative to the project root."""
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(value: object) -> Markup:
    """Return text safe to put in a Markdown line: every ASCII punctuation mark escaped.

    With ``pymdownx.escapeall`` a backslash makes any character literal, so no
    source text can open a link, emphasis, an HTML tag or an entity.
    """
    text = " ".join(str(value).split())
    return Markup(_MARKDOWN_PUNCTUATION.sub(r"\\\1", text))


def _fill(literal: Callable[[str], Markup]) -> Callable[..., Markup]:
    """Return a filter that fills a label's ``{name}`` places with the given parts (markup as
    given), its own words made safe by ``literal``."""

    def fill(template: str, **parts: object) -> Markup:
        out = Markup("")
        for text, name, _, _ in Formatter().parse(template):
            out += literal(text) if text else Markup("")
            if name is not None:
                part = parts[name]
                out += part if isinstance(part, Markup) else escape(part)
        return out

    return fill


def _md_words(text: str) -> Markup:
    """Return label words safe in a Markdown line, keeping their edge spaces."""
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return Markup(lead) + markdown_text(core) + Markup(trail) if core else Markup(text)


@cache
def environment(folder: Path) -> jinja2.Environment:
    """Return the environment for the templates in ``folder``: strict, and markup escaped.

    Templates are checked for changes on every use, so ``mkdocs serve`` sees edits.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["fill"] = _fill(lambda text: Markup(escape(text)))
    env.filters["fill_md"] = _fill(_md_words)
    env.globals["words"] = WORDS
    env.globals["legend_words"] = LEGEND
    env.globals["legend_marks"] = legend_marks
    env.globals["signal_word"] = signal_word
    env.globals["height_metric"] = height_metric
    env.globals["unreviewed_notice"] = unreviewed_notice
    return env
