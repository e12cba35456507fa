"""The website's generated pages: catalogue in, Markdown documents out.

Pure functions: nothing here touches the disk. The mkdocs hook
(``generator/outputs/web/mkdocs_hooks.py``) hands these pages to mkdocs as generated
files, so ``mkdocs build`` and ``mkdocs serve`` work on their own as well.

Source text reaches a page in two ways only: autoescaped into HTML blocks, or
through the ``md`` filter (every punctuation mark backslash-escaped) in
Markdown headings. Texts given to mkdocs (front matter: description and tags;
navigation titles) are HTML-escaped, because mkdocs' and mkdocs-material's own
templates print them without escaping.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.model import BodyArea, Exercise, Role, SectionInfo
from generator.outputs import paths
from generator.outputs.embeds import EMBED_HEIGHT, iframe_snippet
from generator.outputs.identity import identity, missing_parts
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.view import ExerciseView
from generator.outputs.web.api import FORMAT, READING_ORDER
from generator.outputs.web.downloads import display_size, download_groups
from generator.outputs.words import WORDS, display_date, unreviewed_notice
from generator.settings import Settings
from generator.sources.catalogue import Catalogue

IMPORTANT_PAGE = paths.IMPORTANT_SOURCE
INDEX_PAGE = paths.INDEX_SOURCE


def area_label(area: BodyArea) -> str:
    """Return the plain name of a body area, used as a label (tag) and in the index."""
    return WORDS[f"area_{area.value}"]


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes and its Markdown text."""

    src_uri: str
    """Path below the docs folder, e.g. ``exercises/stomach-crunch.md``."""
    title: str
    """Plain-text title (escaped only when handed to mkdocs)."""
    markdown: str
    """The page's Markdown, front matter included."""


def exercise_uri(exercise: Exercise) -> str:
    """Return the source path of an exercise's page."""
    return paths.page_source(exercise.id)


def front_matter(description: str | None = None, tags: list[str] | None = None) -> str:
    """Return YAML front matter with the description and the tags HTML-escaped.

    mkdocs prints the description raw; mkdocs-material prints tag names raw
    (on the page, in the tags index on the exercises page and its table of
    contents) and hands them to its search, which shows them as HTML. A level
    tag is a section title from ``shared.yaml``, free text, so every tag is
    escaped here, once; each of those places then reads it as it was written.
    Titles come from the navigation, where the mkdocs hook escapes them.
    """
    lines = []
    if description:
        lines.append(f"description: {json.dumps(html.escape(description), ensure_ascii=False)}")
    if tags:
        escaped = [html.escape(tag, quote=True) for tag in tags]
        lines.append(f"tags: {json.dumps(escaped, ensure_ascii=False)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def exercise_tags(view: ExerciseView) -> list[str]:
    """Return an exercise's labels: its level (section) and the body areas it works on."""
    return [view.section.title, *(area_label(a) for a in view.exercise.areas)]


def _section(catalogue: Catalogue, exercise: Exercise) -> SectionInfo:
    return next(s for s in catalogue.shared.sections if s.id is exercise.section)


def _template(root: Path, name: str) -> jinja2.Template:
    return environment(root / TEMPLATES_DIR).get_template(name)


@dataclass(frozen=True)
class NotYet:
    """A part of the sequence with no published exercise yet, and how to reach the maker
    meanwhile: what the home page and the exercises index tell the reader."""

    part: SectionInfo
    """The part, e.g. getting off the rack."""
    web: str | None
    """The maker's web address as a reader types it (``spinalbackrack.com``), if known."""
    email: str | None
    """The maker's e-mail address, if known."""


def not_yet_published(catalogue: Catalogue) -> list[NotYet]:
    """Return a notice for each part of the sequence that has no published exercise."""
    maker = catalogue.products.maker
    web = maker.web.removeprefix("https://").rstrip("/") if maker.web else None
    infos = {info.id: info for info in catalogue.shared.sections}
    return [NotYet(infos[part], web, maker.email) for part in missing_parts(catalogue)]


def identity_footer(catalogue: Catalogue) -> str:
    """Return the identity block every page's footer carries (mkdocs' ``copyright``, which the
    theme prints as HTML): the product, the maker, the web address, and the id, version and
    date of issue of these instructions. Every text is escaped here."""
    block = identity(catalogue)
    maker, document = block["maker"], block["document"]
    web = maker["web"]
    unknown = WORDS["to_be_confirmed"]
    shown = html.escape(web.removeprefix("https://").rstrip("/")) if web else unknown
    address = f'<a href="{html.escape(web, quote=True)}">{shown}</a>' if web else shown
    product = html.escape(WORDS["footer_product"].format(product=block["product"]["name"]))
    who = html.escape(WORDS["footer_maker"]).format(
        maker=html.escape(maker["name"] or unknown), web=address
    )
    issued = display_date(document["issued"]) if document["issued"] else unknown
    issue = html.escape(
        WORDS["footer_issue"].format(
            document=document["id"], version=document["version"], issued=issued
        )
    )
    return f'<span class="identity">{product}<br>{who}<br>{issue}</span>'


def render_exercise(view: ExerciseView, root: Path, offline: bool = False) -> Page:
    """Return the web page of one published exercise."""
    template = _template(root, "pages/exercise.md.j2")
    body = template.render(
        view=view, offline=offline, important=IMPORTANT_PAGE, card=paths.card(view.id)
    )
    text = front_matter(view.exercise.purpose, exercise_tags(view)) + body
    return Page(exercise_uri(view.exercise), view.exercise.title, text)


def section_uri(info: SectionInfo) -> str:
    """Return the source path of a section's index page."""
    return paths.section_source(info.id)


def render_sections(catalogue: Catalogue, root: Path) -> list[Page]:
    """Return an index page for each section that has published exercises."""
    template = _template(root, "pages/section.md.j2")
    return [
        Page(
            section_uri(info),
            info.title,
            front_matter(info.intro)
            + template.render(
                info=info, exercises=exercises, exercise_uri=exercise_uri, important=IMPORTANT_PAGE
            ),
        )
        for info, exercises in catalogue.sections()
        if exercises
    ]


def render_index(catalogue: Catalogue, root: Path) -> Page:
    """Return the page listing every published exercise, with labels to filter by."""
    template = _template(root, "pages/index.md.j2")
    rows = [
        {
            "exercise": exercise,
            "level": _section(catalogue, exercise).title,
            "areas": [area_label(a) for a in exercise.areas],
        }
        for exercise in catalogue.published
    ]
    body = template.render(
        rows=rows, important=f"../{IMPORTANT_PAGE}", not_yet=not_yet_published(catalogue)
    )
    return Page(INDEX_PAGE, WORDS["all"], front_matter() + body)


def render_home(catalogue: Catalogue, root: Path, offline: bool = False) -> Page:
    """Return the home page: what the rack is, the order to go in, important information first."""
    template = _template(root, "pages/home.md.j2")
    body = template.render(
        shared=catalogue.shared,
        sections=catalogue.sections(),
        doctor=catalogue.shared_by_role(Role.DOCTOR_NOTICE),
        important=IMPORTANT_PAGE,
        exercise_uri=exercise_uri,
        offline=offline,
        offline_zip=paths.OFFLINE_ZIP,
        downloads=paths.DOWNLOADS_SOURCE,
        not_yet={n.part.id: n for n in not_yet_published(catalogue)},
    )
    title = catalogue.shared.site_title
    return Page(paths.HOME_SOURCE, title, front_matter() + body)


def render_downloads(
    catalogue: Catalogue, settings: Settings, sizes: Mapping[str, int] | None, offline: bool
) -> Page:
    """Return the downloads page: every card, booklet, sheet and panel, and the offline copy,
    with its size and what it is for (``sizes``: of the files the build made)."""
    template = _template(settings.root, "pages/downloads.md.j2")
    body = template.render(
        groups=download_groups(catalogue, settings, sizes, offline),
        size=display_size,
        card_size=WORDS[f"card_size_{catalogue.printing.cards.size.value}"],
        offline=offline,
        online=paths.site_file_url(settings.site_url, paths.DOWNLOADS_PAGE),
    )
    return Page(paths.DOWNLOADS_SOURCE, WORDS["downloads"], front_matter() + body)


def render_important(catalogue: Catalogue, root: Path) -> Page:
    """Return the important-information page."""
    template = _template(root, "pages/important.md.j2")
    sizes = catalogue.products.products[0].sizes  # the product the site is for
    body = template.render(shared=catalogue.shared, sizes=sizes, messages=catalogue.important())
    title = WORDS["important"]
    return Page(IMPORTANT_PAGE, title, front_matter() + body)


def render_pages(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    settings: Settings,
    offline: bool,
    sizes: Mapping[str, int] | None = None,
) -> list[Page]:
    """Return every generated page of the site, in navigation order.

    ``offline``: the pages of the offline copy (its downloads page lists the cards it holds).
    ``sizes``: the size of each file the build made, for the downloads page (``None`` where the
    printed files are not made, as under ``mkdocs serve``).
    """
    root = settings.root
    pages = [render_home(catalogue, root, offline), render_important(catalogue, root)]
    pages += [render_index(catalogue, root), *render_sections(catalogue, root)]
    pages += [render_exercise(views[e.id], root, offline) for e in catalogue.published]
    pages.append(render_downloads(catalogue, settings, sizes, offline))
    pages += [] if offline else [render_partner_page(catalogue, settings)]
    notice = unreviewed_notice()
    return [_marked(page, notice) for page in pages] if notice else pages


def _marked(page: Page, notice: str) -> Page:
    """Return a page with the banner of a translation not yet reviewed, first after its front
    matter (before the title, so no reader misses it)."""
    front, _, body = (
        page.markdown.partition("---\n\n")
        if page.markdown.startswith("---")
        else (
            "",
            "",
            page.markdown,
        )
    )
    banner = (
        '<div class="admonition warning unreviewed" role="note">\n'
        f'<p class="admonition-title">{html.escape(notice)}</p>\n</div>\n\n'
    )
    head = f"{front}---\n\n" if front else ""
    return Page(page.src_uri, page.title, head + banner + body)


def navigation(catalogue: Catalogue) -> list[Any]:
    """Return the mkdocs ``nav``: home, important information, then each section in order.

    Titles are plain text here; the mkdocs hook escapes them (``on_nav``).
    """
    nav: list[Any] = [
        {WORDS["home"]: paths.HOME_SOURCE},
        {WORDS["important"]: IMPORTANT_PAGE},
        {WORDS["all"]: INDEX_PAGE},
    ]
    for info, exercises in catalogue.sections():
        if exercises:
            # The index page gets its title here too: mkdocs would take it from
            # the page's heading, as HTML, which the theme escapes a second time.
            items: list[Any] = [{info.title: section_uri(info)}]
            items += [{e.title: exercise_uri(e)} for e in exercises]
            nav.append({info.title: items})
    nav.append({WORDS["downloads"]: paths.DOWNLOADS_SOURCE})
    return nav


def render_partner_page(catalogue: Catalogue, settings: Settings) -> Page:
    """Return the page for partners: the API file, its fields in reading order, its schema and
    version, the embed snippet, oEmbed, the terms of reuse (or whom to ask) and each
    language's file. Not in the offline copy, which has no API."""
    site = settings.site_url
    example = catalogue.published[0] if catalogue.published else None
    maker, unknown = catalogue.products.maker, WORDS["to_be_confirmed"]
    body = _template(settings.root, "pages/partner-api.md.j2").render(
        api_url=paths.site_file_url(site, paths.API),
        api_path=paths.API,
        schema_url=paths.site_file_url(site, paths.API_SCHEMA),
        schema_path=paths.API_SCHEMA,
        language_files=[
            (code, paths.site_file_url(settings.site_in(code), paths.API))
            for code, _ in settings.languages
        ]
        or [(settings.language, paths.site_file_url(site, paths.API))],
        reading_order=READING_ORDER,
        format=FORMAT,
        example_title=example.title if example else "",
        snippet=iframe_snippet(site, example) if example else "",
        fallback_height=EMBED_HEIGHT,
        oembed_url=paths.site_file_url(site, paths.oembed(example.id)) if example else "",
        oembed_path=paths.oembed(example.id) if example else "",
        licence=catalogue.products.licence,
        contact={
            "name": maker.name or unknown,
            "email": maker.email or unknown,
            "web": maker.web.removeprefix("https://").rstrip("/") if maker.web else unknown,
        },
    )
    return Page(paths.PARTNER_PAGE_SOURCE, WORDS["api_title"], front_matter() + body)
