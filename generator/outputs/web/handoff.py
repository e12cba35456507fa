"""What the build hands to mkdocs, so that the hook does not load or draw anything again.

``generator build`` has already validated the sources, built the views and
rendered the pages when it runs mkdocs; it puts them here and the hook
(``mkdocs_hooks.py``) takes them. ``mkdocs serve`` and a plain ``mkdocs build``
find nothing here, and the hook does the work itself.

mkdocs reads two settings from the environment, and only there: the build
date (``SOURCE_DATE_EPOCH``, for the sitemap) and the offline switch
(``BACKRACK_OFFLINE``, which ``mkdocs.yml`` gives to the offline plugin). They
are set here, for the length of one mkdocs run, from the build's settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.outputs.view import ExerciseView
from generator.outputs.web.offline import OFFLINE_ENV
from generator.outputs.web.pages import Page
from generator.outputs.words import ENGLISH_SPEECH, Speech
from generator.settings import Settings
from generator.sources.catalogue import Catalogue


@dataclass(frozen=True)
class SiteInput:
    """The validated catalogue and what was generated from it for the website."""

    catalogue: Catalogue
    views: Mapping[str, ExerciseView]
    """The view of every published exercise, by id."""
    settings: Settings
    pages: list[Page]
    """Every generated page, in navigation order."""
    offline: bool
    """Whether this run builds the offline copy."""
    speech: Speech = ENGLISH_SPEECH
    """The language of the pages, its words (the theme's own come from mkdocs-material)."""

    @property
    def root(self) -> Path:
        """Return the project folder these were made from."""
        return self.settings.root


_current: list[SiteInput] = []


@contextmanager
def handing_over(site_input: SiteInput) -> Iterator[None]:
    """Make ``site_input`` available to the mkdocs hook, and tell mkdocs its two settings."""
    switches = {
        "SOURCE_DATE_EPOCH": str(site_input.settings.epoch),
        OFFLINE_ENV: "true" if site_input.offline else "false",
    }
    before = {name: os.environ.get(name) for name in switches}
    os.environ.update(switches)
    _current.append(site_input)
    try:
        yield
    finally:
        _current.pop()
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def prepared(root: Path) -> SiteInput | None:
    """Return what the build prepared for the project at ``root``, if a build is running."""
    if _current and _current[-1].root == root.resolve():
        return _current[-1]
    return None
