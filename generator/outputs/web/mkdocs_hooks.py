"""MkDocs hooks: give mkdocs the pages generated from ``content/``.

Loaded by mkdocs from ``mkdocs.yml`` (``hooks:``), so ``mkdocs build`` and
``mkdocs serve`` both work straight from the sources; ``serve`` also watches
the sources and templates and rebuilds on every edit.

The same safeguards hold however mkdocs is run: the pages' texts are escaped
(``generator/outputs/web/pages.py`` and ``on_nav``), every page is scanned for active
content or links to another origin as it is written (``on_post_page``,
``generator/checks/scan.py``), and nothing but regular files is published from the
docs folder (``on_files``, ``generator/static_files.py``).
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

_ROOT = Path(__file__).resolve().parents[3]
if str(_ROOT) not in sys.path:  # mkdocs loads this file by path, not as part of the package
    sys.path.insert(0, str(_ROOT))

from generator.checks.scan import scan_page  # noqa: E402
from generator.outputs import paths  # noqa: E402
from generator.outputs.previews import preview_files, site_preview_files  # noqa: E402
from generator.outputs.view import exercise_views  # noqa: E402
from generator.outputs.web.api import partner_api_files  # noqa: E402
from generator.outputs.web.finishing import makes_robots, not_found, robots_txt  # noqa: E402
from generator.outputs.web.handoff import SiteInput, prepared  # noqa: E402
from generator.outputs.web.kept import kept  # noqa: E402
from generator.outputs.web.offline import offline_enabled  # noqa: E402
from generator.outputs.web.pages import (  # noqa: E402
    exercise_uri,
    identity_footer,
    navigation,
    render_pages,
)
from generator.outputs.web.structured import (  # noqa: E402
    meta_tags,
    page_head,
    site_sharing,
    site_sharing_tags,
)
from generator.outputs.web.webfonts import font_face_css, web_font_files  # noqa: E402
from generator.outputs.words import WORDS, speaking  # noqa: E402
from generator.settings import read_settings  # noqa: E402
from generator.sources.palette import palette_css  # noqa: E402
from generator.sources.static_files import static_problems  # noqa: E402
from generator.sources.validate import load_catalogue  # noqa: E402

_state: dict[str, Any] = {}
STYLESHEET = "assets/backrack.css"
"""The site's stylesheet (``templates/static``), published with the web fonts' faces and the
safety messages' palette (``templates/palette.yaml``) at its top."""


class UnsafeOutputError(Abort):
    """The build would publish something unsafe: active content, or a file that is not regular.

    An ``Abort``, not a ``PluginError``: mkdocs logs a ``PluginError`` and
    replaces it by "Aborted with a BuildError!", so ``generator build``
    (which reports the exception's text) would not say what was found, or where.
    """


class InvalidSourcesError(Abort):
    """The sources are invalid; the message lists every problem (an ``Abort``, as above)."""


@event_priority(100)  # before the search plugin reads the theme's language
def on_config(config: Any) -> Any:
    """Validate the sources; stop the build with every error if they are invalid. Set the
    navigation and the footer's identity block.

    Under ``generator build`` everything is ready-made: take it. A plain
    ``mkdocs build`` or ``mkdocs serve`` reads the sources and renders here.
    """
    root = Path(config.config_file_path).resolve().parent
    site_input = prepared(root)
    if site_input is None:
        loaded, problems = load_catalogue(root)
        errors = [p for p in problems if p.severity == "error"]
        if loaded is None or errors:
            raise InvalidSourcesError("invalid sources:\n" + "\n".join(str(p) for p in errors))
        settings = read_settings(root).dated(loaded.latest_review)
        views = exercise_views(loaded)
        offline = offline_enabled()
        pages = render_pages(loaded, views, settings, offline)
        site_input = SiteInput(loaded, views, settings, pages, offline)
        _state["previews"] = {
            path: data
            for view in views.values()
            for path, data in preview_files(view, settings).items()
        }
    else:
        _state["previews"] = {}  # made with the other images, outside mkdocs
    _state["input"] = site_input
    _state["root"] = root
    settings = site_input.settings
    with speaking(site_input.speech):
        config.nav = navigation(site_input.catalogue)
        if not site_input.offline:  # the partner API and embeds: last, thin (no API offline)
            config.nav.append({WORDS["api_nav"]: paths.PARTNER_PAGE_SOURCE})
        # Every page's footer: the identity block (the theme prints ``copyright`` as it is).
        config.copyright = identity_footer(site_input.catalogue)
        # The language: the theme's words, its search, ``lang`` on every page; the site's name.
        config.theme["language"] = settings.language
        config.site_name = site_input.catalogue.shared.site_title
        config.site_description = WORDS["site_description"]
    # The language switch (and its hreflang links): set per page in on_page_context.
    _state["languages"] = [] if site_input.offline else list(settings.languages)
    config.extra["alternate"] = []
    return config


def on_nav(nav: Any, config: Any, files: Files) -> Any:
    """Escape every navigation title once, as Markup.

    mkdocs' templates print titles raw in some places and escape them in
    others; Markup makes the raw places safe and the escaping places a no-op.
    """
    for item in _walk(nav.items):
        if item.title is not None:
            item.title = Markup(html.escape(str(item.title), quote=True))
    return nav


def _walk(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages and diagrams, the web fonts, the preview cards and the API file;
    put the font faces and the palette into the stylesheet.

    Under ``generator build`` the pages and diagrams come ready-made, and the
    preview cards are rendered with the other images, outside mkdocs.

    Stops the build if the docs folder (``templates/static``) or the theme
    folder holds a symbolic link or anything else that is not a regular file:
    mkdocs would follow it and publish what it points at.
    """
    _refuse_irregular_files(config)
    site_input: SiteInput = _state["input"]
    catalogue, views = site_input.catalogue, site_input.views
    generated: dict[str, File] = {}
    for page in site_input.pages:
        generated[page.src_uri] = File.generated(config, page.src_uri, content=page.markdown)
        files.append(generated[page.src_uri])
    for view in views.values():
        for drawn in view.diagrams:
            files.append(File.generated(config, drawn.path, content=drawn.svg))
    for name, data in web_font_files(_site_text(site_input, config)).items():
        files.append(File.generated(config, f"{paths.FONTS}/{name}", content=data))
    _inline_stylesheet(files, config)
    for path, png in _state["previews"].items():
        files.append(File.generated(config, path, content=png))
    pages = {exercise_uri(e): e for e in catalogue.published}
    urls = {e.id: generated[uri].url for uri, e in pages.items()}
    for made in partner_files(config, catalogue, views, urls):
        files.append(made)
    _state["exercise_pages"] = pages
    _add_finishing_files(files, config, site_input)
    return files


def _site_text(site_input: SiteInput, config: Any) -> str:
    """Return the text the site's pages are made of: what the web fonts must draw."""
    texts = [page.markdown for page in site_input.pages]
    return "".join([*texts, config.copyright or "", config.site_name, config.site_description])


def _inline_stylesheet(files: Files, config: Any) -> None:
    """Put the font faces and the palette at the top of the site's stylesheet.

    One stylesheet, no ``@import``: an imported file is found only once the importing one
    has arrived, a chain of requests before the first screen can be drawn.
    """
    static = files.get_file_from_path(STYLESHEET)
    if static is None or static.abs_src_path is None:
        return
    files.remove(static)
    own = Path(static.abs_src_path).read_text(encoding="utf-8")
    css = font_face_css("fonts/") + palette_css(_state["root"]) + own
    files.append(File.generated(config, STYLESHEET, content=css))


def partner_files(config: Any, catalogue: Any, views: Any, urls: dict[str, str]) -> list[File]:
    """Return the partner API file, its schema and the embeds' resizer script, each address
    below this language's site (``config.site_url``)."""
    made = partner_api_files(catalogue, views, urls, config.site_url or "")
    return [File.generated(config, path, content=data) for path, data in made.items()]


def _refuse_irregular_files(config: Any) -> None:
    root: Path = _state["root"]
    folders = [config.docs_dir, config.theme.custom_dir]
    problems = [p for f in folders if f for p in static_problems(root, Path(f))]
    if problems:
        raise UnsafeOutputError(
            "only regular files can be published:\n" + "\n".join(str(p) for p in problems)
        )


def on_env(env: Any, config: Any, files: Files) -> Any:
    """Keep the theme's compiled templates between builds (where ``kept.py`` says): the
    same bytes out, without compiling every template again in each build."""
    folder = kept("templates")
    if folder is not None:
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Give an exercise page its sharing tags and JSON-LD (``exercise_head``, for the theme),
    and every page its language switch: the same page in each language the build makes
    (mkdocs-material's ``extra.alternate``, which it also prints as ``hreflang`` links)."""
    settings = _state["input"].settings
    config.extra["alternate"] = (
        [
            {
                "name": name,
                "lang": code,
                "link": settings.site_in(code) + page.url,
            }
            for code, name in _state["languages"]
        ]
        if len(_state["languages"]) > 1
        else []
    )
    exercise = _state["exercise_pages"].get(page.file.src_uri)
    if exercise is not None:
        view = _state["input"].views[exercise.id]
        # The offline copy has no embeds: no oEmbed link (mkdocs-material would also fetch a
        # sitemap at the link's address, on another origin).
        head = page_head(
            view, config.site_url, page.url, config.site_name, embeds=not _state["input"].offline
        )
        context["exercise_head"] = Markup(head)  # escaped by page_head
    else:
        context["sharing_head"] = _sharing_head(page, config)
    return context


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when a source, template or generator module changes."""
    root: Path = _state["root"]
    for folder in ("content", "diagrams", "templates", "generator"):
        server.watch(str(root / folder))
    return server


@event_priority(-100)  # after every other change to the page
def on_post_page(output: str, page: Any, config: Any) -> str:
    """Stop the build if a page holds active content or content from another origin."""
    _refuse_active_content(output, page.file.dest_uri, config)
    return output


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Scan the theme's static pages (404.html) the same way."""
    if template_name.endswith(".html"):
        _refuse_active_content(output_content, template_name, config)
    return output_content


def _refuse_active_content(html_text: str, dest_uri: str, config: Any) -> None:
    site_dir = Path(config.site_dir)
    findings = scan_page(html_text, dest_uri, lambda path: (site_dir / path).is_file())
    if findings:
        copy = "the offline copy: " if offline_enabled() else ""
        raise UnsafeOutputError(
            f"{copy}active content the project did not put there:\n"
            + "\n".join(f"{dest_uri}: {finding}" for finding in findings)
        )


# --- finishing: robots, 404, sharing -----------------------------------------------------------


def _add_finishing_files(files: Files, config: Any, site_input: SiteInput) -> None:
    """Add ``robots.txt`` (the hosted site in the sources' language only) and the sharing image
    of the pages that are not an exercise's (not to the offline copy: its tags name the hosted
    site's); keep what the 404 page links to."""
    settings = site_input.settings
    if makes_robots(settings, site_input.offline):
        files.append(File.generated(config, paths.ROBOTS, content=robots_txt(settings)))
    with speaking(site_input.speech):
        _state["sharing"] = site_sharing(site_input.catalogue, site_input.pages)
        words = (config.site_name, WORDS["site_description"], site_input.root)
    if not site_input.offline:
        for path, png in site_preview_files(*words).items():
            files.append(File.generated(config, path, content=png))
    # The 404 page is served at any depth: its links are absolute paths below the site's address.
    base = urlsplit(config.site_url or "/").path or "/"
    found = [files.get_file_from_path(p) for p in (paths.IMPORTANT_SOURCE, paths.INDEX_SOURCE)]
    _state["not_found_links"] = (base, *(base + (f.url if f else "") for f in found))


def _sharing_head(page: Any, config: Any) -> Markup:
    """Return the sharing tags of a page that is not an exercise's (escaped by ``meta_tags``)."""
    sharing = _state["sharing"].get(page.file.src_uri)
    if sharing is None:
        return Markup("")
    languages = [_state["input"].settings.language]
    languages += [code for code, _ in _state["languages"] if code != languages[0]]
    with speaking(_state["input"].speech):
        tags = site_sharing_tags(sharing, config.site_url, page.url, config.site_name, languages)
    return Markup(meta_tags(tags))


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    """Give the 404 page its words, in the page's language, and its links."""
    if template_name == "404.html":
        with speaking(_state["input"].speech):
            context["not_found"] = not_found(*_state["not_found_links"])
    return context
