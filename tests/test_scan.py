"""The post-build scan refuses active content the project did not put there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import edit
from test_site import build, copy_project

from generator.checks.scan import scan_page
from generator.outputs.embed_scripts import HEIGHT_SCRIPT

THEME_HEAD = (
    '<script>__md_scope=new URL("..",location)</script>'
    '<script id="__config" type="application/json">{"base": ".."}</script>'
)


def scan(body: str, head: str = THEME_HEAD) -> list[str]:
    html = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    return scan_page(html, "page/index.html", lambda path: False)


def test_the_themes_own_scripts_and_plain_content_pass() -> None:
    assert scan("<p>Lie <a href='../x/'>down</a>.</p>") == []


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        ("<script>alert(1)</script>", "line 1: <script> inside the page content"),
        ("<img src=x onerror=alert(1)>", "line 1: event handler 'onerror' on <img>"),
        ("<a href=' JavaScript:alert(1)'>x</a>", "line 1: script URL in 'href' on <a>"),
        ("<iframe src='https://example.org'></iframe>", "line 1: <iframe> inside the page content"),
        ("<style>body{display:none}</style>", "line 1: <style> inside the page content"),
    ],
)
def test_active_content_in_a_page_is_found(body: str, finding: str) -> None:
    assert finding in scan(body)


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        (
            "<img src=https://evil.example/x.png>",
            "line 1: 'src' on <img> leads to another origin: 'https://evil.example/x.png'",
        ),
        (
            "<a href=https://evil.example>x</a>",
            "line 1: 'href' on <a> leads to another origin: 'https://evil.example'",
        ),
        ("<link rel=stylesheet href=https://evil.example/s.css>", "line 1: <link> inside"),
        (
            '<meta http-equiv=refresh content="0;url=https://evil.example">',
            "line 1: <meta http-equiv=refresh> (a redirect)",
        ),
        ("<b onmouseover=alert(1)>x</b>", "line 1: event handler 'onmouseover' on <b>"),
        ("<img src=//evil.example/x.png>", "leads to another origin: '//evil.example/x.png'"),
        ("<img src='/\\evil.example/x.png'>", "leads to another origin"),
        ("<a href=' https:\n//evil.example'>x</a>", "leads to another origin"),
        ("<img src='data:image/png;base64,AAAA'>", "leads to another origin"),
        ("<img src=x.png srcset='a.png 1x, https://evil.example/b.png 2x'>", "'srcset' on <img>"),
        ("<picture><source srcset=//evil.example/b.png></picture>", "'srcset' on <source>"),
        ("<p style='background:url(https://evil.example/x.png)'>x</p>", "'style' on <p>"),
        ("<p style='background:u\\72l(https://evil.example/x.png)'>x</p>", "'style' on <p>"),
        ("<object data=https://evil.example/x.swf></object>", "<object> inside"),
        ("<embed src=https://evil.example/x.swf>", "<embed> inside"),
        ("<form action=https://evil.example><button>Go</button></form>", "<form> inside"),
        ("<button formaction=https://evil.example>Go</button>", "'formaction' on <button>"),
        ("<video poster=https://evil.example/p.png></video>", "'poster' on <video>"),
        ("<svg><image href=https://evil.example/x.png /></svg>", "'href' on <image>"),
        ("<svg><a xlink:href=https://evil.example>x</a></svg>", "'xlink:href' on <a>"),
        ("<frameset><frame src=x.html></frameset>", "<frame> inside"),
        ("<base href=https://evil.example/>", "<base> inside"),
    ],
)
def test_content_that_loads_or_leads_to_another_origin_is_found(body: str, finding: str) -> None:
    found = scan(body)
    assert any(finding in f for f in found), found


def test_links_and_images_of_the_site_itself_pass() -> None:
    body = (
        "<a href='../basic/'>x</a> <a href='#part-2'>x</a> <a href='/exercises/'>x</a>"
        " <a href='?q=1'>x</a> <a href='mailto:help@example.org'>x</a>"
        " <img src='../../diagrams/x/y.svg' srcset='../x.png 1x, ../y.png 2x' alt=''>"
        " <li style='list-style-type:none'>x</li>"
    )
    assert scan(body) == []


def test_a_redirect_or_a_base_is_found_outside_the_content_too() -> None:
    refresh = '<meta http-equiv="Refresh" content="0;url=https://evil.example">'
    assert scan("", THEME_HEAD + refresh) == ["line 1: <meta http-equiv=refresh> (a redirect)"]
    assert scan("", THEME_HEAD + "<base href='https://evil.example/'>") == [
        "line 1: <base> in the page"
    ]
    # The theme's own head may link to its stylesheets and to the canonical address.
    own = '<link rel="canonical" href="https://exercises.example.invalid/x/">'
    assert scan("", THEME_HEAD + own) == []


def test_an_svg_file_is_content_throughout() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>'
    page, nothing = "diagrams/x/y.svg", lambda path: False
    assert scan_page(svg, page, nothing) == []
    assert scan_page(svg, page, nothing, whole=True) == [
        "line 1: 'href' on <image> leads to another origin: 'https://evil.example/x.png'"
    ]


def test_an_extra_script_in_the_head_is_found() -> None:
    assert scan("", THEME_HEAD + "<script>steal()</script>") == ["<script> with an inline script"]
    assert scan("", THEME_HEAD + "<script src='https://cdn.example/x.js'></script>") == [
        "<script> with an unknown script file"
    ]


def test_structured_data_must_parse() -> None:
    bad = '<script type="application/ld+json">{"a": </script>'
    assert scan("", THEME_HEAD + bad) == ["<script> with structured data that is not JSON"]


def test_a_template_that_adds_an_event_handler_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path)
    edit(
        root,
        "templates/pages/exercise.md.j2",
        '<p class="purpose">',
        '<p class="purpose" onmouseover="alert(1)">',
    )
    code, printed = build(root, capsys)
    assert code == 1
    # The first exercise page mkdocs writes stops it (the hook scans every page), in the site
    # or in its offline copy, whichever of the two parallel parts meets it first.
    assert re.search(
        r"exercises/[a-z-]+(/index)?\.html: line \d+: event handler 'onmouseover' on <p>",
        printed,
    ), printed
    assert not (root / "site").exists()


def test_the_offline_copy_is_scanned_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path)
    edit(
        root,
        "templates/pages/home.md.j2",
        "{% if not offline %}",
        '{% if offline %}\n<p onclick="alert(1)">offline only</p>\n{% endif %}\n'
        "{% if not offline %}",
    )
    code, printed = build(root, capsys)
    assert code == 1
    assert "the offline copy: active content" in printed, printed
    assert "index.html: line" in printed and "event handler 'onclick' on <p>" in printed
    assert not (root / "site").exists()


def test_only_the_embeds_own_height_script_passes_and_only_outside_the_content() -> None:
    own = f"<script>{HEIGHT_SCRIPT}</script>"
    assert scan("", THEME_HEAD + own) == []
    changed = own.replace('"*"', '"https://evil.example"')
    assert scan("", THEME_HEAD + changed) == ["<script> with an inline script"]
    assert scan("", THEME_HEAD + own.replace("<script>", "<script >")) == []  # same text
    assert scan("", THEME_HEAD + own.replace("<script>", "<script>\n")) == [
        "<script> with an inline script"  # another byte: another hash
    ]
    assert scan(own) == [
        "line 1: <script> inside the page content",
        "<script> with an inline script",
    ]
