"""MkDocs hooks: repair the few spots where the theme's HTML is invalid or unnamed.

The Nu Html Checker (see ``tests/test_browser.py``) finds two errors in every
page of mkdocs-material 9.x: ``autocomplete`` on checkbox inputs (the menu and
search toggles) and an empty ``tabindex`` on navigation labels. Overriding
the theme templates to fix them would copy large parts of the theme; these two
exact substitutions keep the site layer thin. If the theme changes its markup,
the substitutions no longer match, and the HTML check says so.

The theme's search dialog (``role="dialog"``) has no accessible name, which
Lighthouse's accessibility audit counts against every page (``aria-dialog-name``).
It is given the name the theme already gives its search field (``aria-label``,
in the page's language: "Search", "Suche"), so no word is translated twice.
"""

from __future__ import annotations

import re
from typing import Any

_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?) autocomplete="off"')
_EMPTY_TABINDEX = re.compile(r'(<label\b[^>]*?) tabindex=""')
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_FIELD_NAME = re.compile(
    r'<input\b[^>]*\bclass="md-search__input"[^>]*\baria-label="([^"]*)"'
)


def repair(html: str) -> str:
    """Return the page with the theme's two invalid attributes removed and its search dialog
    named."""
    return name_search_dialog(_EMPTY_TABINDEX.sub(r"\1", _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)))


def name_search_dialog(html: str) -> str:
    """Return the page with the search dialog named as its search field is."""
    field = _SEARCH_FIELD_NAME.search(html)
    if field is None:
        return html
    named = f'{_SEARCH_DIALOG[:-1]} aria-label="{field.group(1)}">'
    return html.replace(_SEARCH_DIALOG, named)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Repair every page."""
    return repair(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Repair the static pages (404.html)."""
    return repair(output_content) if template_name.endswith(".html") else output_content
