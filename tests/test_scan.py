"""The post-build scan refuses active content the project did not put there."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit
from test_site import build, copy_project

from generator.scan import scan_page

THEME_HEAD = (
    '<script>__md_scope=new URL("..",location)</script>'
    '<script id="__config" type="application/json">{"base": ".."}</script>'
)


def scan(body: str, head: str = THEME_HEAD) -> list[str]:
    html = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    return scan_page(html, Path("/site/page/index.html"), Path("/site"))


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
    assert (
        "exercises/stomach-crunch/index.html: line" in printed
        and "event handler 'onmouseover' on <p>" in printed
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
    assert "the offline copy fails the safety check" in printed
    assert "index.html: line" in printed and "event handler 'onclick' on <p>" in printed
    assert not (root / "site").exists()
