"""The site's finishing touches: the crawlers' ``robots.txt`` and what the 404 page says.

Pure functions from the settings and the language being rendered to text; the mkdocs hook
(``mkdocs_hooks.py``) adds them to the site. The sharing tags of the pages that are not an
exercise's are in ``structured.py``, beside the exercises' own.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.outputs import paths
from generator.outputs.words import WORDS
from generator.settings import Settings


def sitemaps(settings: Settings) -> list[str]:
    """Return the absolute address of every language's sitemap, the sources' language first
    (each language's site is a mkdocs run of its own, with its own ``sitemap.xml``)."""
    codes = [code for code, _ in settings.languages] or [settings.language]
    found = [settings.site_in(code) if settings.languages else settings.site_url for code in codes]
    return [paths.site_file_url(url, paths.SITEMAP) for url in found]


def makes_robots(settings: Settings, offline: bool) -> bool:
    """Return whether this run makes ``robots.txt``: only the hosted site in the sources'
    language, at the root (a translation's site lies below it; a crawler reads one file)."""
    first = settings.languages[0][0] if settings.languages else settings.language
    return not offline and settings.language == first


def robots_txt(settings: Settings) -> str:
    """Return ``robots.txt``: every page may be crawled (the embeds say ``noindex`` themselves,
    which a crawler must be allowed to read), and where every language's sitemap is."""
    lines = ["User-agent: *", "Allow: /", "", *(f"Sitemap: {url}" for url in sitemaps(settings))]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class NotFound:
    """What the 404 page says and where it leads, in the page's language. The links are
    absolute paths (``/important-information/``, ``/de/exercises/``), so they work at whatever
    address the 404 page is served."""

    title: str
    text: str
    search: str
    search_where: str
    go: str
    links: list[tuple[str, str]]
    """(text, absolute path) for home, important information and all exercises."""


def not_found(home: str, important: str, index: str) -> NotFound:
    """Return what the 404 page says, with the absolute paths of its links."""
    return NotFound(
        WORDS["not_found_title"],
        WORDS["not_found_text"],
        WORDS["not_found_search"],
        WORDS["not_found_search_where"],
        WORDS["not_found_go"],
        [(WORDS["home"], home), (WORDS["important"], important), (WORDS["all"], index)],
    )
