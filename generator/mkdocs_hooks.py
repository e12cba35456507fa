"""MkDocs hooks: give mkdocs the pages generated from ``content/``.

Loaded by mkdocs from ``mkdocs.yml`` (``hooks:``), so ``mkdocs build`` and
``mkdocs serve`` both work straight from the sources; ``serve`` also watches
the sources and templates and rebuilds on every edit.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # mkdocs loads this file by path, not as part of the package
    sys.path.insert(0, str(_ROOT))

from generator.site import navigation, render_pages, site_diagrams  # noqa: E402
from generator.validate import load_catalogue  # noqa: E402

_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    """Validate the sources; stop the build with every error if they are invalid."""
    root = Path(config.config_file_path).resolve().parent
    catalogue, problems = load_catalogue(root)
    errors = [p for p in problems if p.severity == "error"]
    if catalogue is None or errors:
        raise PluginError("invalid sources:\n" + "\n".join(str(p) for p in errors))
    _state["catalogue"] = catalogue
    _state["root"] = root
    config.nav = navigation(catalogue)
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
    """Add the generated pages and the posture diagrams to the site's files."""
    catalogue = _state["catalogue"]
    for page in render_pages(catalogue, _state["root"]):
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    for drawn in site_diagrams(catalogue):
        files.append(File.generated(config, drawn.path, content=drawn.svg))
    return files


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild when a source, template or generator module changes."""
    root: Path = _state["root"]
    for folder in ("content", "diagrams", "templates", "generator"):
        server.watch(str(root / folder))
    return server
