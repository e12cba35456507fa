"""Embeds for partners: a self-contained HTML page per published exercise, and its oEmbed file.

A partner shows an exercise in an ``<iframe>`` without copying (and drifting
from) the text. The page says the whole exercise, in the order and with the
words of the web page: purpose, the doctor notice and the safety messages,
what is needed first (other exercises named, not linked) and the warm-up, who
it suits, all before the first step; then each phase (diagram, breathing,
numbered steps with their messages before them, common mistakes), the dose,
what to expect, tips and what comes next. It inlines its diagrams and styles,
fetches nothing, and runs one script, the project's own, which tells the partner's page its
height (``embed_scripts.py``); its Content Security Policy allows that script and style by
their hashes and nothing else. Its one link, outside the content, leads back to the full page.
"""

from __future__ import annotations

import json
from html import escape

from generator.model import Exercise
from generator.outputs import paths
from generator.outputs.embed_scripts import HEIGHT_SCRIPT, content_security_policy
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.view import ExerciseView
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.palette import palette_css

_MARKUP_CHARACTERS = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

EMBED_WIDTH, EMBED_HEIGHT = 640, 900
"""Suggested iframe size in CSS pixels: the fallback, where the partner's page does not run
``embed/resize.js`` (the page then scrolls inside the frame); with it, the frame takes the
height of its content (``embed_scripts.py``)."""
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
"""What the frame may do: run the page's own height script (its policy allows no other), and
open the link to the full page in a new window. Never ``allow-same-origin``."""


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


def render_embed(view: ExerciseView, settings: Settings) -> str:
    """Return the embed page of one published exercise."""
    root = settings.root
    folder = root / TEMPLATES_DIR
    own = (folder / "embed" / "embed.css").read_text("utf-8")
    css = palette_css(root) + own + (folder / "partials" / "signal-colours.css").read_text("utf-8")
    template = environment(root / TEMPLATES_DIR).get_template("embed/exercise.html.j2")
    return template.render(
        view=view,
        css=css,
        page_url=paths.page_url(settings.site_url, view.id),
        script=HEIGHT_SCRIPT,
        policy=content_security_policy(css),
    )


def iframe_snippet(site_url: str, exercise: Exercise) -> str:
    """Return what a partner pastes into their page: the ``<iframe>``, and the script that
    gives it the height of its content (``embed/resize.js``)."""
    src = paths.site_file_url(site_url, paths.embed(exercise.id))
    resizer = paths.site_file_url(site_url, paths.EMBED_RESIZER)
    return (
        f'<iframe src="{escape(src)}" title="{escape(exercise.title)}" '
        f'width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" loading="lazy" '
        f'sandbox="{SANDBOX}" data-backrack-embed="" '
        'referrerpolicy="no-referrer" style="border:0;max-width:100%"></iframe>'
        f'<script src="{escape(resizer)}" async></script>'
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


def embed_files(catalogue: Catalogue, view: ExerciseView, settings: Settings) -> dict[str, bytes]:
    """Return an exercise's embed page and its oEmbed file, by path below the site folder."""
    return {
        paths.embed(view.id): render_embed(view, settings).encode(),
        paths.oembed(view.id): render_oembed(catalogue, view.exercise, settings.site_url).encode(),
    }
