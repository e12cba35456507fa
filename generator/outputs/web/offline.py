"""MkDocs hook for the offline copy: the same website, built to open from a folder or a USB stick.

mkdocs-material's offline plugin (switched on by ``BACKRACK_OFFLINE=true``,
see ``mkdocs.yml``; the build sets it in ``handoff.py``) turns directory URLs
into ``.html`` files and inlines the search index. It would also load a
polyfill from a public CDN; this hook points it at the copy shipped in
``templates/static`` instead, so the offline site, like the hosted one, makes
no request to another origin. The copy itself is made by
``website.render_website(..., offline=True)`` and zipped by ``website.zip_files``.
"""

from __future__ import annotations

import os
from typing import Any

OFFLINE_ENV = "BACKRACK_OFFLINE"
"""The switch ``mkdocs.yml`` reads to build the offline copy."""
SHIM = "assets/javascripts/iframe-worker/shim.js"


def offline_enabled() -> bool:
    """Return whether this mkdocs run builds the offline copy (the switch mkdocs reads)."""
    return os.environ.get(OFFLINE_ENV, "").lower() == "true"


def on_config(config: Any) -> Any:
    """Use the shipped polyfill instead of the CDN one, in the offline build."""
    if offline_enabled():
        config.extra["polyfills"] = [SHIM]
    return config
