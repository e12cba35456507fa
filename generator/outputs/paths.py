"""Every output path and address, in one place.

Paths are relative to the site folder, with ``/``; page sources (``.md``) are
relative to the docs folder mkdocs reads. Nothing else spells where an output
goes, so that moving one is one edit.
"""

from __future__ import annotations

# --- web pages (mkdocs sources, and the files mkdocs makes of them) ------------------------------

HOME_SOURCE = "index.md"
IMPORTANT_SOURCE = "important-information.md"
INDEX_SOURCE = "exercises/index.md"
"""The page listing every exercise."""
DOWNLOADS_SOURCE = "downloads/index.md"
"""The page listing every file to print or keep (``generator/outputs/web/downloads.py``)."""


def page_source(exercise_id: str) -> str:
    """Return the source path of an exercise's web page."""
    return f"exercises/{exercise_id}.md"


def page_file(exercise_id: str, offline: bool = False) -> str:
    """Return the built file of an exercise's web page (the offline copy has no folders)."""
    return f"exercises/{exercise_id}.html" if offline else f"exercises/{exercise_id}/index.html"


def page_url(site_url: str, exercise_id: str) -> str:
    """Return the absolute address of an exercise's web page."""
    return f"{site_url.rstrip('/')}/exercises/{exercise_id}/"


def section_source(section_id: str) -> str:
    """Return the source path of a section's index page."""
    return f"sections/{section_id}/index.md"


FONTS = "assets/fonts"
"""The folder of the web fonts."""
API = "api/exercises.json"
OFFLINE_ZIP = "downloads/backrack-exercises-offline.zip"
"""The offline copy of the website."""


def site_file_url(site_url: str, path: str) -> str:
    """Return the absolute address of a file below the site folder."""
    return f"{site_url.rstrip('/')}/{path}"


# --- per exercise ---------------------------------------------------------------------------------


def diagram(exercise_id: str, phase_id: str, suffix: str = "svg") -> str:
    """Return where a phase's diagram goes (``svg``, ``png`` or ``pdf``)."""
    return f"diagrams/{exercise_id}/{phase_id}.{suffix}"


def preview(exercise_id: str) -> str:
    """Return where an exercise's sharing image goes."""
    return f"previews/{exercise_id}.png"


def card(exercise_id: str) -> str:
    """Return where an exercise's card goes."""
    return f"cards/{exercise_id}.pdf"


def print_card(exercise_id: str) -> str:
    """Return where the print-shop variant of an exercise's card goes."""
    return f"cards/print/{exercise_id}.pdf"


def light_card(exercise_id: str) -> str:
    """Return where the light-ink card of an exercise goes (no background: the home-print
    sheets are imposed from it)."""
    return f"cards/light-ink/{exercise_id}.pdf"


def embed(exercise_id: str) -> str:
    """Return where an exercise's embed page goes."""
    return f"embed/{exercise_id}.html"


def oembed(exercise_id: str) -> str:
    """Return where an exercise's oEmbed file goes."""
    return f"embed/{exercise_id}.json"


# --- each publication (a product's instructions in a language) ---------------------------------


def publication(publication_id: str) -> str:
    """Return the folder of a publication's printed files: ``print/<product>-<language>/``."""
    return f"print/{publication_id}/"


def booklet(publication_id: str) -> str:
    """Return where a publication's booklet goes."""
    return publication(publication_id) + "booklet.pdf"


def booklet_imposed(publication_id: str) -> str:
    """Return where a publication's printer's spreads for saddle stitching go."""
    return publication(publication_id) + "booklet-imposed.pdf"


def booklet_print(publication_id: str) -> str:
    """Return where a publication's print-shop booklet (bleed and crop marks) goes."""
    return publication(publication_id) + "booklet-print.pdf"


def panel(publication_id: str) -> str:
    """Return where a publication's quick-start panel for the box goes."""
    return publication(publication_id) + "quick-start.pdf"


def sheets(publication_id: str, sheet: str, light: bool = False) -> str:
    """Return where a publication's home-print sheets of one paper size go (``light``: the
    light-ink variant, without the cards' background)."""
    return publication(publication_id) + f"cards-{sheet}{'-light-ink' if light else ''}.pdf"


def for_print_shop(path: str) -> bool:
    """Return whether an output goes to the print shop (and cannot be corrected once printed)."""
    name = path.rpartition("/")[2]
    in_publication = path.startswith("print/") and path.count("/") == 2
    return (
        in_publication and name in ("booklet-imposed.pdf", "booklet-print.pdf", "quick-start.pdf")
    ) or path.startswith(print_card("").rpartition("/")[0] + "/")


# --- finishing: robots, 404, sharing -----------------------------------------------------------

ROBOTS = "robots.txt"
"""The crawlers' file, at the root of the site in the sources' language only (one per host)."""
SITEMAP = "sitemap.xml"
"""The sitemap mkdocs writes at the root of each language's site."""
SITE_PREVIEW = "assets/site-preview.png"
"""The sharing image of the pages that are not an exercise's (in each language's site; below
``assets/``, so that no exercise id can take its name)."""
# --- the partner API and embeds (each language's site has its own) ------------------------------

API_SCHEMA = "api/exercises.schema.json"
"""The JSON Schema of the API file."""
PARTNER_PAGE_SOURCE = "partner-api.md"
"""The page that documents the API and the embeds."""
EMBED_RESIZER = "embed/resize.js"
"""The partner's script that gives each embed frame the height of its content."""


# --- the downloads page --------------------------------------------------------------------------

DOWNLOADS_PAGE = "downloads/"
"""The downloads page's address below the site (``DOWNLOADS_SOURCE``, built)."""
DOWNLOADABLE = ("cards/", "print/", OFFLINE_ZIP)
"""What the downloads page can list: the cards (every kind), the publications' printed files
and the offline copy."""
