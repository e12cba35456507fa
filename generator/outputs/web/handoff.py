"""What the build hands to mkdocs, so that the hook does not load or draw anything again.

``generator build`` has already validated the sources, rendered the pages and
drawn the diagrams when it runs mkdocs; it puts them here and the hook
(``mkdocs_hooks.py``) takes them. ``mkdocs serve`` and a plain ``mkdocs build``
find nothing here, and the hook does the work itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.outputs.web.pages import Page
from generator.sources.catalogue import Catalogue


@dataclass(frozen=True)
class SiteInput:
    """The validated catalogue and what was generated from it for the website."""

    root: Path
    """The project folder these were made from."""
    catalogue: Catalogue
    pages: list[Page]
    """Every generated page, in navigation order."""
    diagrams: dict[str, str]
    """Every diagram SVG, by path below the site folder."""


_current: list[SiteInput] = []


@contextmanager
def handing_over(site_input: SiteInput) -> Iterator[None]:
    """Make ``site_input`` available to the mkdocs hook while the ``with`` block runs."""
    _current.append(site_input)
    try:
        yield
    finally:
        _current.pop()


def prepared(root: Path) -> SiteInput | None:
    """Return what the build prepared for the project at ``root``, if a build is running."""
    if _current and _current[-1].root == root.resolve():
        return _current[-1]
    return None
