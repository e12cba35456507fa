"""The Jinja2 environment shared by every output: strict, autoescaped, deterministic."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

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
    return env
