"""A scan of every built page for active content the project did not put there.

Source text reaches pages escaped, so it cannot add markup; this scan checks
that promise on the output, so that a template mistake cannot ship a script or
make a page load or lead to something from another origin. The mkdocs hook
runs it on every page as mkdocs writes it (``mkdocs build`` and ``mkdocs
serve`` too), and the build runs it on the whole site folder afterwards
(embeds and diagrams included). It fails on:

- anywhere in a page: an inline event handler (``on…=`` attribute), a
  ``javascript:`` URL, a ``<meta http-equiv="refresh">`` or a ``<base>``;
- inside the page content (``<article>``, or the whole of an SVG file): any ``script``, ``style``,
  ``link``, ``meta``, ``iframe``, ``frame``, ``object``, ``embed``,
  ``applet``, ``portal`` or ``form`` element; any URL attribute (``href``,
  ``src``, ``srcset``, ``action``, ``poster``, …) that leads to another
  origin, that is any URL with a scheme (``https:``, ``data:``, …) or
  starting with ``//``, other than ``mailto:`` and ``tel:`` links; and any
  ``style`` attribute that loads something (``url(``, ``image-set(``,
  ``@import``) or hides it behind a CSS escape;
- any ``<script>`` other than the theme's own: its bundles under
  ``assets/javascripts/``, its JSON configuration (``id="__config"``), its two
  inline set-up scripts (known by how they start), and JSON-LD that parses; and
  the project's own inline script of the embeds, outside the content, known by its
  SHA-256 hash (``generator/outputs/embed_scripts.py``): one changed byte and it is refused.

Links and images of the page content are relative (same origin); the project
writes its absolute links, such as an embed's link to its page, outside it.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generator.checks.memo import CheckMemo, unmemoised
from generator.outputs.embed_scripts import OWN_INLINE_SCRIPTS, source_hash

URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "ping",
    "manifest",
    "codebase",
    "archive",
    "lowsrc",
    "dynsrc",
    "icon",
)
"""Attributes whose value is a URL the browser loads or leads to."""
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")
FORBIDDEN_IN_CONTENT = {
    "script",
    "style",
    "link",
    "meta",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "portal",
    "form",
    "base",
}
FORBIDDEN_ANYWHERE = {"base"}
SAFE_SCHEMES = {"mailto", "tel"}
"""Schemes of links that lead to no origin (only on ``<a>`` and ``<area>``)."""
THEME_INLINE_SCRIPTS = (
    "__md_scope=new URL(",
    "var target=document.getElementById(location.hash.slice(1))",
)
"""The opening of each inline script mkdocs-material writes into every page."""
THEME_SCRIPT_FOLDER = "assets/javascripts/"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_LOADING_CSS = ("url(", "image-set(", "@import", "\\")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
"""What browsers drop from a URL before reading it (tabs and new lines even inside it)."""


def squeezed(value: str) -> str:
    """Return a URL as a browser reads it: without white space or controls, ``\\`` as ``/``."""
    return _IGNORED_IN_URLS.sub("", value).replace("\\", "/").lower()


def other_origin(url: str, tag: str) -> bool:
    """Return whether ``url`` (an attribute value on ``<tag>``) leads away from the page's site.

    Relative URLs (``../x/``, ``#part``, ``?q``) and root-relative ones
    (``/x/``) stay on the site; anything with a scheme, or starting with
    ``//`` (which a browser also reads into ``/\\``), does not, except a
    ``mailto:`` or ``tel:`` link.
    """
    url = squeezed(url)
    if url.startswith("//"):
        return True
    scheme = _SCHEME.match(url)
    if scheme is None:
        return False
    return not (tag in ("a", "area") and scheme.group(1) in SAFE_SCHEMES)


def _srcset_urls(value: str) -> list[str]:
    """Return the URLs of a ``srcset``: the first word of each comma-separated candidate."""
    return [words[0] for part in value.split(",") if (words := part.split())]


@dataclass
class _Script:
    attrs: dict[str, str | None]
    in_content: bool
    text: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self, whole: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.scripts: list[_Script] = []
        self._article = 1 if whole else 0
        self._script: _Script | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag == "article":
            self._article += 1
        in_content = bool(self._article)
        for name, value in attrs:
            self._attribute(line, tag, name, value or "", in_content)
        if in_content and tag in FORBIDDEN_IN_CONTENT:
            self.findings.append(f"line {line}: <{tag}> inside the page content")
        elif tag in FORBIDDEN_ANYWHERE:
            self.findings.append(f"line {line}: <{tag}> in the page")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").strip().lower() == "refresh":
            self.findings.append(f"line {line}: <meta http-equiv=refresh> (a redirect)")
        if tag == "script":
            self._script = _Script(dict(attrs), in_content)
            self.scripts.append(self._script)

    def _attribute(self, line: int, tag: str, name: str, value: str, in_content: bool) -> None:
        where = f"line {line}: '{name}' on <{tag}>"
        if name.startswith("on"):
            self.findings.append(f"line {line}: event handler '{name}' on <{tag}>")
        if name in URL_ATTRIBUTES and squeezed(value).startswith(("javascript:", "vbscript:")):
            self.findings.append(f"line {line}: script URL in '{name}' on <{tag}>")
        elif in_content and name in URL_ATTRIBUTES and other_origin(value, tag):
            self.findings.append(f"{where} leads to another origin: {value.strip()!r}")
        if in_content and name in SRCSET_ATTRIBUTES:
            for url in _srcset_urls(value):
                if other_origin(url, tag):
                    self.findings.append(f"{where} loads from another origin: {url!r}")
        if in_content and name == "style":
            css = "".join(value.split()).lower()
            if any(loading in css for loading in _LOADING_CSS):
                self.findings.append(f"{where} may load from another origin: {value.strip()!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article:
            self._article -= 1
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.text.append(data)


def _script_problem(script: _Script, page: str, present: Callable[[str], bool]) -> str | None:
    """Return why a script element is not one the project put there, or ``None``."""
    attrs, text = script.attrs, "".join(script.text).strip()
    kind = attrs.get("type")
    if attrs.get("src") is not None:
        target = _local_file(attrs["src"] or "", page)
        inside = target is not None and target.startswith(THEME_SCRIPT_FOLDER)
        return None if inside and present(target or "") and not text else "an unknown script file"
    if kind == "application/json" and attrs.get("id") == "__config":
        return None if _parses(text) else "theme configuration that is not JSON"
    if kind == "application/ld+json":
        return None if _parses(text) else "structured data that is not JSON"
    if kind is None and text.startswith(THEME_INLINE_SCRIPTS):
        return None
    if kind is None and not script.in_content and own_inline_script("".join(script.text)):
        return None
    return "an inline script"


def own_inline_script(text: str) -> bool:
    """Return whether an inline script is one of the project's own, known by its hash (an
    embed's height script, ``generator/outputs/embed_scripts.py``), byte for byte."""
    return source_hash(text) in OWN_INLINE_SCRIPTS


def _local_file(src: str, page: str) -> str | None:
    """Return the site file a script's ``src`` names (``None``: outside the site): relative to
    the page, or to the site's root for an absolute path (the 404 page uses those, below
    ``site_url``'s path)."""
    if src.startswith("/") and not src.startswith("//"):
        tail = src[src.find(THEME_SCRIPT_FOLDER) :] if THEME_SCRIPT_FOLDER in src else src[1:]
        found = posixpath.normpath(tail)
    else:
        found = posixpath.normpath(posixpath.join(posixpath.dirname(page), src))
    return None if found.startswith("../") or found == ".." else found


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def scan_page(
    html: str, page: str, present: Callable[[str], bool], *, whole: bool = False
) -> list[str]:
    """Return every piece of active content in one page that the project did not put there.

    ``page`` is the page's path below the site folder; ``present`` says whether
    a path below the site folder is one of the site's files (for the theme's
    script files). ``whole``: hold the whole file to the rules of page content
    (a diagram's SVG file).
    """
    scanner = _Scanner(whole)
    scanner.feed(html)
    scanner.close()
    findings = list(scanner.findings)
    for script in scanner.scripts:
        problem = _script_problem(script, page, present)
        if problem is not None:
            findings.append(f"<script> with {problem}")
    return findings


def scan_site(files: Mapping[str, bytes], memo: CheckMemo | None = None) -> list[str]:
    """Return the findings of every HTML and SVG file of a site, with its path.

    An SVG file is a drawing: all of it is held to the rules of page content. ``memo``: the
    files scanned before with no finding, skipped if the same (and the site's list of files,
    which a page's scripts are looked up in, is the same).
    """
    memo = memo or unmemoised()
    names = sorted(files)
    listing = "\n".join(names).encode()

    def scanned(name: str) -> list[str]:
        text = files[name].decode("utf-8")
        findings = scan_page(text, name, files.__contains__, whole=name.endswith(".svg"))
        return [f"{name}: {finding}" for finding in findings]

    failures = []
    for name in names:
        if name.endswith((".html", ".svg")):
            read = [name.encode(), files[name], listing]
            failures += memo.run("scan", "code", read, scanned, name)
    return failures
