"""Structured data and sharing tags for an exercise page's ``<head>``.

Pure functions from the catalogue to text. The page is described twice for
machines: as schema.org JSON-LD (a ``MedicalWebPage`` whose main entity is a
``HowTo``, one ``HowToSection`` per phase with its ``HowToStep``\\ s, and the
safety messages as ``HowToTip``\\ s placed before what they concern, as on the
page), and as Open Graph / X (Twitter) meta tags pointing at the exercise's
preview card.

Escaping: the JSON is serialised with ``json.dumps`` and then ``<``, ``>``,
``&``, U+2028 and U+2029 are written as ``\\u`` escapes, so no source text
can close the ``<script>`` element, open a comment or end a JavaScript line.
Meta tag values are HTML-escaped. mkdocs' theme prints the result as it is.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from babel.core import Locale, get_global

from generator.diagrams.render import Drawn
from generator.model import Message
from generator.outputs import paths
from generator.outputs.previews import HEIGHT, WIDTH, site_card_alt, telling_diagram
from generator.outputs.view import ExerciseView
from generator.outputs.web.pages import Page
from generator.outputs.words import LOCALES, WORDS, signal_word
from generator.sources.catalogue import Catalogue, Resolved

SCHEMA_ORG = "https://schema.org"
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}
_SCRIPT_UNSAFE["\u2029"] = "\\u2029"


def absolute_url(site_url: str | None, path: str) -> str:
    """Return ``path`` (relative to the site root) as an absolute URL below ``site_url``.

    Without a ``site_url`` the path is returned from the root (``/path``), the best there is.
    """
    if not site_url:
        return "/" + path
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", path)


def script_json(data: Any) -> str:
    """Return ``data`` as JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for character, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(character, escaped)
    return text


def tip(message: Message) -> dict[str, Any]:
    """Return a message as a ``HowToTip``: the signal word or title as name, the rest as text."""
    if message.signal is not None:
        name = signal_word(message.signal)
        parts = [message.hazard, *message.items, *message.avoid, message.consequence]
    else:
        name = message.title or ""
        parts = [*message.text, *message.items]
    return {"@type": "HowToTip", "name": name, "text": " ".join(p for p in parts if p)}


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` without the keys whose value is ``None`` (schema.org has no null)."""
    return {key: value for key, value in data.items() if value is not None}


def _tips(messages: list[Resolved]) -> list[dict[str, Any]]:
    return [tip(r.message) for r in messages]


def _image(drawn: Drawn, site_url: str | None) -> dict[str, Any]:
    return {
        "@type": "ImageObject",
        "url": absolute_url(site_url, drawn.path),
        "description": drawn.alt,
    }


def how_to(view: ExerciseView, site_url: str | None) -> dict[str, Any]:
    """Return the exercise as a schema.org ``HowTo``.

    The first section carries the exercise's safety messages, doctor notice
    first; a step's own messages come before its direction, inside the step.
    """
    exercise = view.exercise
    sections: list[dict[str, Any]] = [
        {
            "@type": "HowToSection",
            "name": WORDS["before_start"],  # the section with its safety messages, as on the page
            "position": 1,
            "itemListElement": _tips(list(view.safety)),
        }
    ]
    for phase in view.phases:
        steps = []
        for step in phase.steps:
            entry: dict[str, Any] = {
                "@type": "HowToStep",
                "position": step.number,
                "name": step.text,
                "text": step.text,
            }
            if step.safety:
                direction = {"@type": "HowToDirection", "text": step.text}
                entry["itemListElement"] = [*_tips(list(step.safety)), direction]
            steps.append(entry)
        sections.append(
            {
                "@type": "HowToSection",
                "name": phase.phase.title,
                "position": phase.number + 1,
                "image": _image(phase.diagram, site_url),
                "itemListElement": steps,
            }
        )
    return _present(
        {
            "@type": "HowTo",
            "name": exercise.title,
            "description": exercise.purpose,
            "inLanguage": exercise.language,
            "version": exercise.version,
            "image": [_image(d, site_url) for d in view.diagrams],
            "tool": {"@type": "HowToTool", "name": view.product},
            "step": sections,
        }
    )


def exercise_json_ld(view: ExerciseView, site_url: str | None, page_path: str) -> str:
    """Return the page's JSON-LD: a ``MedicalWebPage`` whose main entity is the ``HowTo``.

    ``page_path`` is the page's URL relative to the site root, e.g. ``exercises/lean-back/``.
    The text is safe to print inside ``<script type="application/ld+json">``.
    """
    url = absolute_url(site_url, page_path)
    exercise = view.exercise
    page = _present(
        {
            "@context": SCHEMA_ORG,
            "@type": "MedicalWebPage",
            "@id": url,
            "url": url,
            "name": exercise.title,
            "description": exercise.purpose,
            "inLanguage": exercise.language,
            "lastReviewed": exercise.reviewed.isoformat(),
            "mainEntity": how_to(view, site_url),
        }
    )
    return script_json(page)


def sharing_tags(
    view: ExerciseView, site_url: str | None, page_path: str, site_name: str
) -> list[tuple[str, str, str]]:
    """Return the Open Graph and X (Twitter) tags as (attribute, key, value), unescaped."""
    exercise = view.exercise
    drawn = telling_diagram(view.diagrams)
    og = [
        ("og:type", "article"),
        ("og:site_name", site_name),
        ("og:title", exercise.title),
        ("og:description", exercise.purpose or ""),
        ("og:url", absolute_url(site_url, page_path)),
        ("og:image", absolute_url(site_url, paths.preview(exercise.id))),
        ("og:image:type", "image/png"),
        ("og:image:width", str(WIDTH)),
        ("og:image:height", str(HEIGHT)),
        ("og:image:alt", drawn.alt),
    ]
    tags = [("property", key, value) for key, value in og if value]
    return [*tags, ("name", "twitter:card", "summary_large_image")]


def oembed_link(view: ExerciseView, site_url: str | None) -> str:
    """Return the oEmbed discovery link of an exercise page: its embed's oEmbed file, at the
    absolute address of the page's own language's site."""
    href = absolute_url(site_url, paths.oembed(view.id))
    title = html.escape(view.exercise.title, quote=True)
    return (
        f'<link rel="alternate" type="application/json+oembed" '
        f'href="{html.escape(href, quote=True)}" title="{title}">'
    )


def page_head(
    view: ExerciseView, site_url: str | None, page_path: str, site_name: str, embeds: bool = True
) -> str:
    """Return the HTML for an exercise page's ``<head>``: sharing tags, the oEmbed discovery
    link (where the site has embeds: not in the offline copy), then the JSON-LD."""
    lines = [
        f'<meta {attribute}="{key}" content="{html.escape(value, quote=True)}">'
        for attribute, key, value in sharing_tags(view, site_url, page_path, site_name)
    ]
    if embeds:
        lines.append(oembed_link(view, site_url))
    json_ld = exercise_json_ld(view, site_url, page_path)
    lines.append(f'<script type="application/ld+json">{json_ld}</script>')
    return "\n".join(lines) + "\n"


# --- finishing: the sharing tags of the pages that are not an exercise's --------------------------


@dataclass(frozen=True)
class Sharing:
    """What a page that is not an exercise's says of itself when it is shared: true words only,
    its own title and the words the page itself or the site's description say."""

    title: str
    description: str


def site_sharing(catalogue: Catalogue, pages: Sequence[Page]) -> dict[str, Sharing]:
    """Return the sharing texts of every generated page that is not an exercise's, by source
    path: the home page the site's title and description; the important information and the
    exercises index the first words they say; a section its introduction."""
    site = WORDS["site_description"]
    said = {
        paths.HOME_SOURCE: Sharing(catalogue.shared.site_title, site),
        paths.IMPORTANT_SOURCE: Sharing(
            WORDS["important"], WORDS["important_intro"].format(product=catalogue.shared.product)
        ),
        paths.INDEX_SOURCE: Sharing(
            WORDS["all"], WORDS["all_intro"].format(labels=WORDS["labels"])
        ),
    }
    for info in catalogue.shared.sections:
        said[paths.section_source(info.id)] = Sharing(info.title, info.intro or site)
    exercises = {paths.page_source(e.id) for e in catalogue.published}
    return {
        p.src_uri: said.get(p.src_uri, Sharing(p.title, site))
        for p in pages
        if p.src_uri not in exercises
    }


def og_locale(language: str) -> str:
    """Return a language as Open Graph names a locale (``en_GB``, ``de_DE``): the territory the
    outputs' dates take (``words.LOCALES``), else the language's likely one."""
    found = Locale.parse(LOCALES.get(language, language))
    if found.territory is None:
        likely = get_global("likely_subtags").get(found.language)
        found = Locale.parse(likely) if likely else found
    return f"{found.language}_{found.territory}" if found.territory else found.language


def site_sharing_tags(
    sharing: Sharing,
    site_url: str | None,
    page_path: str,
    site_name: str,
    languages: Sequence[str],
) -> list[tuple[str, str, str]]:
    """Return the Open Graph and X (Twitter) tags of a page that is not an exercise's, as
    (attribute, key, value), unescaped: the site's sharing image; ``languages``, the page's
    first, then the others the site is in."""
    own, *others = languages
    og = [
        ("og:type", "website"),
        ("og:site_name", site_name),
        ("og:title", sharing.title),
        ("og:description", sharing.description),
        ("og:url", absolute_url(site_url, page_path)),
        ("og:image", absolute_url(site_url, paths.SITE_PREVIEW)),
        ("og:image:type", "image/png"),
        ("og:image:width", str(WIDTH)),
        ("og:image:height", str(HEIGHT)),
        ("og:image:alt", site_card_alt(site_name, WORDS["site_description"])),
        ("og:locale", og_locale(own)),
        *(("og:locale:alternate", og_locale(other)) for other in others),
    ]
    tags = [("property", key, value) for key, value in og if value]
    return [*tags, ("name", "twitter:card", "summary_large_image")]


def meta_tags(tags: Sequence[tuple[str, str, str]]) -> str:
    """Return (attribute, key, value) triples as ``<meta>`` elements, every value escaped."""
    return "".join(
        f'<meta {attribute}="{key}" content="{html.escape(value, quote=True)}">\n'
        for attribute, key, value in tags
    )
