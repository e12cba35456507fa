"""A post-build scan of every HTML file for active content the project did not put there.

Source text reaches pages escaped, so it cannot add markup; this scan checks
that promise on the output, so that a template mistake cannot ship a script.
It fails on:

- any inline event handler (``on…=`` attribute) or ``javascript:`` URL;
- inside the page content (``<article>``): any ``script``, ``style``,
  ``iframe``, ``object``, ``embed``, ``form`` or ``base`` element;
- any ``<script>`` other than the theme's own: its bundles under
  ``assets/javascripts/``, its JSON configuration (``id="__config"``), its two
  inline set-up scripts (known by how they start), and JSON-LD that parses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
FORBIDDEN_IN_CONTENT = {"script", "style", "iframe", "object", "embed", "form", "base"}
THEME_INLINE_SCRIPTS = (
    "__md_scope=new URL(",
    "var target=document.getElementById(location.hash.slice(1))",
)
"""The opening of each inline script mkdocs-material writes into every page."""
THEME_SCRIPT_FOLDER = "assets/javascripts/"


@dataclass
class _Script:
    attrs: dict[str, str | None]
    in_content: bool
    text: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.scripts: list[_Script] = []
        self._article = 0
        self._script: _Script | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"line {line}: event handler '{name}' on <{tag}>")
            squeezed = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:")):
                self.findings.append(f"line {line}: script URL in '{name}' on <{tag}>")
        if tag == "article":
            self._article += 1
        if self._article and tag in FORBIDDEN_IN_CONTENT:
            self.findings.append(f"line {line}: <{tag}> inside the page content")
        if tag == "script":
            self._script = _Script(dict(attrs), bool(self._article))
            self.scripts.append(self._script)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article:
            self._article -= 1
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.text.append(data)


def _script_problem(script: _Script, page: Path, site_dir: Path) -> str | None:
    """Return why a script element is not one the project put there, or ``None``."""
    attrs, text = script.attrs, "".join(script.text).strip()
    kind = attrs.get("type")
    if attrs.get("src") is not None:
        target = _local_file(attrs["src"] or "", page, site_dir)
        inside = target.is_relative_to((site_dir / THEME_SCRIPT_FOLDER).resolve())
        return None if inside and target.is_file() and not text else "an unknown script file"
    if kind == "application/json" and attrs.get("id") == "__config":
        return None if _parses(text) else "theme configuration that is not JSON"
    if kind == "application/ld+json":
        return None if _parses(text) else "structured data that is not JSON"
    if kind is None and text.startswith(THEME_INLINE_SCRIPTS):
        return None
    return "an inline script"


def _local_file(src: str, page: Path, site_dir: Path) -> Path:
    """Return the file a script's ``src`` names: relative to the page, or to the site's root
    for an absolute path (the 404 page uses those, below ``site_url``'s path)."""
    if src.startswith("/") and not src.startswith("//"):
        tail = src[src.find(THEME_SCRIPT_FOLDER) :] if THEME_SCRIPT_FOLDER in src else src[1:]
        return (site_dir / tail).resolve()
    return (page.parent / src).resolve()


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def scan_page(html: str, page: Path, site_dir: Path) -> list[str]:
    """Return every piece of active content in one page that the project did not put there."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    findings = list(scanner.findings)
    for script in scanner.scripts:
        problem = _script_problem(script, page, site_dir)
        if problem is not None:
            findings.append(f"<script> with {problem}")
    return findings


def scan_site(site_dir: Path) -> list[str]:
    """Return the findings of every HTML and SVG file in a built site, with its path."""
    failures = []
    pages = [*site_dir.rglob("*.html"), *site_dir.rglob("*.svg")]
    for page in sorted(pages):
        for finding in scan_page(page.read_text(encoding="utf-8"), page, site_dir):
            failures.append(f"{page.relative_to(site_dir).as_posix()}: {finding}")
    return failures
