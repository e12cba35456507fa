"""Embeds for partners: a self-contained HTML page per published exercise, and its oEmbed file.

A partner shows an exercise in an ``<iframe>`` without copying (and drifting
from) the text. The page inlines its diagrams and styles, runs no script and
fetches nothing; the doctor notice and the safety messages stand before the
steps, and a link leads back to the full page.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from generator.model import Exercise
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.web.pages import exercise_context
from generator.sources.catalogue import Catalogue
from generator.sources.palette import palette_css

_MARKUP_CHARACTERS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

EMBED_WIDTH, EMBED_HEIGHT = 640, 900
"""Suggested iframe size in CSS pixels (the page scrolls inside it)."""


def json_file(document: object) -> str:
    """Return ``document`` as the text of a JSON file, indented, keys sorted, one final line.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes: the data reads the
    same, and no source text stands in the file as markup, should anything
    show the file as HTML.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    for character, escaped in _MARKUP_CHARACTERS.items():
        text = text.replace(character, escaped)
    return text + "\n"


def embed_path(exercise: Exercise) -> str:
    """Return where an exercise's embed page goes below the site folder."""
    return f"embed/{exercise.id}.html"


def oembed_path(exercise: Exercise) -> str:
    """Return where an exercise's oEmbed file goes below the site folder."""
    return f"embed/{exercise.id}.json"


def page_url(site_url: str, exercise: Exercise) -> str:
    """Return the absolute address of an exercise's web page."""
    return f"{site_url.rstrip('/')}/exercises/{exercise.id}/"


def render_embed(catalogue: Catalogue, exercise: Exercise, root: Path, site_url: str) -> str:
    """Return the embed page of one published exercise."""
    context = exercise_context(catalogue, exercise)
    first = 1
    for entry in context["phases"]:
        entry["first"] = first
        first += len(entry["steps"])
    css = palette_css(root) + (root / TEMPLATES_DIR / "embed" / "embed.css").read_text("utf-8")
    template = environment(root / TEMPLATES_DIR).get_template("embed/exercise.html.j2")
    return template.render(context, css=css, page_url=page_url(site_url, exercise))


def iframe_snippet(site_url: str, exercise: Exercise) -> str:
    """Return the ``<iframe>`` a partner pastes into their page."""
    src = f"{site_url.rstrip('/')}/{embed_path(exercise)}"
    return (
        f'<iframe src="{escape(src)}" title="{escape(exercise.title)}" '
        f'width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox" '
        'referrerpolicy="no-referrer" style="border:0;max-width:100%"></iframe>'
    )


def render_oembed(catalogue: Catalogue, exercise: Exercise, site_url: str) -> str:
    """Return the oEmbed (type "rich") description of an exercise's embed, as JSON."""
    document = {
        "version": "1.0",
        "type": "rich",
        "title": exercise.title,
        "provider_name": catalogue.shared.site_title,
        "provider_url": site_url,
        "html": iframe_snippet(site_url, exercise),
        "width": EMBED_WIDTH,
        "height": EMBED_HEIGHT,
    }
    return json_file(document)


def embed_files(catalogue: Catalogue, root: Path, site_url: str) -> dict[str, bytes]:
    """Return every embed page and oEmbed file, by path below the site folder."""
    files: dict[str, bytes] = {}
    for exercise in catalogue.published:
        files[embed_path(exercise)] = render_embed(catalogue, exercise, root, site_url).encode()
        files[oembed_path(exercise)] = render_oembed(catalogue, exercise, site_url).encode()
    return files
