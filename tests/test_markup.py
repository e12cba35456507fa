"""No source text is ever live markup, in any output; the scan and the hooks refuse what is.

One build carries every kind of markup in every kind of field: a section
title and a shared text (``shared.yaml``), exercise titles, a purpose, a step
and a safety hazard. Every file of the site and of the offline zip is then
read back: no element came alive, and each text reads as it was written.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import Check, edit, write
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from test_site import build, copy_project, main_html, visible

from generator.__main__ import main
from generator.checks.scan import URL_ATTRIBUTES
from generator.outputs.paths import OFFLINE_ZIP as ZIP_PATH
from generator.outputs.web.offline import OFFLINE_ENV
from generator.sources.static_files import static_problems

PAYLOADS = {
    "image": "<img src=https://evil.example/x.png>",
    "link": "<a href=https://evil.example>x</a>",
    "stylesheet": "<link rel=stylesheet href=https://evil.example/s.css>",
    "refresh": '<meta http-equiv=refresh content="0;url=https://evil.example">',
    "handler": "<b onmouseover=alert(1)>x</b>",
}
EVERY = " ".join(PAYLOADS.values())
SECTION = f"Legs & hips {EVERY}"
"""The title of the basic section: a label (tag) on its exercises, in the index and search."""
STORAGE = f"{EVERY} Keep it dry."
DOCTOR_LINE = f"This is true {PAYLOADS['image']}"
"""A line of the doctor notice, shown on every exercise page, card and embed (kept short)."""
PURPOSE = f"{PAYLOADS['link']} Make them stronger."
"""The crunch's purpose (one kind of markup: its card is full; the step, section and storage
carry every kind)."""
STEP = f"Put your hands {EVERY}"
HAZARD = f"Holding your breath {PAYLOADS['handler']}"
"""The crunch's own WARNING (one kind of markup: side 1 of its card has little room left)."""
TITLES = {
    "getting-on": ("Getting on the rack", f"A & {PAYLOADS['image']}"),
    "starting-position": ("Starting position", f"A & {PAYLOADS['link']}"),
    "double-leg-raise": ("Double leg raise", f"A & {PAYLOADS['stylesheet']}"),
    "stomach-crunch": ("Stomach crunch", f"A & {PAYLOADS['refresh']}"),
    "lean-back": ("Lean back (with tilt)", f"A & {PAYLOADS['handler']}"),
}
"""Exercise titles (at most 80 characters): one kind of markup each."""
SITE_NAME = "backrack™ exercises"


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a copy with markup in every kind of field; return its site folder."""
    root = copy_project(tmp_path_factory.mktemp("markup"))
    shared = "content/shared.yaml"
    edit(root, shared, "title: Basic exercises\n", f"title: {quoted(SECTION)}\n")
    edit(
        root,
        shared,
        "storage: Keep and use the backrack™ in a cool, dry place, at 40 °C or less.",
        f"storage: {quoted(STORAGE)}",
    )
    edit(
        root,
        shared,
        "      - This is true for the backrack™ and for each exercise.",
        f"      - {quoted(DOCTOR_LINE)}",
    )
    for exercise_id, (old, new) in TITLES.items():
        edit(
            root,
            f"content/exercises/{exercise_id}.yaml",
            f"title: {old}\n",
            f"title: {quoted(new)}\n",
        )
    crunch = "content/exercises/stomach-crunch.yaml"
    edit(
        root,
        crunch,
        "purpose: Make the deep stomach muscles that hold your spine steady stronger.",
        f"purpose: {quoted(PURPOSE)}",
    )
    edit(root, crunch, "      - Put your hands behind your head.", f"      - {quoted(STEP)}")
    edit(
        root,
        crunch,
        "    hazard: Holding your breath while you lift can harm you.",
        f"    hazard: {quoted(HAZARD)}",
    )
    # English only: in German the hostile English would stand in place of the outdated entries,
    # and the crunch's German card back, fuller than the English, would rightly not fit.
    shutil.rmtree(root / "content" / "translations")
    assert main(["--root", str(root), "build", "--no-cache"]) == 0
    return root / "site"


# --- reading every built file back ------------------------------------------------------------


class _Live(HTMLParser):
    """Collect every element that a payload would have made live."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            loads = name in (*URL_ATTRIBUTES, "srcset") and "evil.example" in (value or "")
            # The embeds' own Content Security Policy only forbids; any other http-equiv acts.
            policy = (value or "").lower() == "content-security-policy"
            refresh = tag == "meta" and name == "http-equiv" and not policy
            if name.startswith("on") or loads or refresh:
                self.live.append(f"line {self.getpos()[0]}: <{tag} {name}={value!r}>")


def live_elements(text: str) -> list[str]:
    parser = _Live()
    parser.feed(text)
    parser.close()
    return parser.live


def built_files(site: Path) -> Iterator[tuple[str, str]]:
    """Yield every text file of the site and of its offline zip: (name, text)."""
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".xml", ".svg", ".js") and path.is_file():
            yield path.relative_to(site).as_posix(), path.read_text(encoding="utf-8")
    with zipfile.ZipFile(io.BytesIO((site / ZIP_PATH).read_bytes())) as archive:
        for name in archive.namelist():
            if name.endswith((".html", ".json", ".xml", ".svg", ".js")):
                yield f"{ZIP_PATH}!{name}", archive.read(name).decode("utf-8")


def json_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_strings(value)


def json_document(name: str, text: str) -> Any:
    """Return the data of a JSON file, or of the offline search index (a script around it)."""
    if name.endswith(".js"):
        text = text[text.index("{") : text.rindex("}") + 1]
    return json.loads(text)


def test_no_source_text_is_live_markup_in_any_built_file(hostile: Path) -> None:
    carrying: list[str] = []
    for name, text in built_files(hostile):
        if "evil.example" not in text:
            continue
        carrying.append(name)
        if name.endswith((".html", ".xml", ".svg")):
            assert live_elements(text) == [], name
        elif name.endswith(".js") and "/search/" not in name:
            raise AssertionError(f"{name}: a script carries source text")
        elif "<" not in text:
            continue  # JSON whose texts are data: '<', '>' and '&' written as \u escapes
        else:  # JSON whose texts are HTML (the search index, the tags): still escaped
            for value in json_strings(json_document(name, text)):
                assert live_elements(value) == [], (name, value)
    expected = [
        "index.html",
        "important-information/index.html",
        "exercises/index.html",
        "exercises/stomach-crunch/index.html",
        "sections/basic/index.html",
        "embed/stomach-crunch.html",
        "embed/stomach-crunch.json",
        "diagrams/stomach-crunch/lift.svg",
        "api/exercises.json",
        "search/search_index.json",
        "tags.json",
        f"{ZIP_PATH}!backrack-exercises/exercises/stomach-crunch.html",
        f"{ZIP_PATH}!backrack-exercises/search/search_index.js",
    ]
    assert set(expected) <= set(carrying), sorted(set(expected) - set(carrying))


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def texts_of(pattern: str, text: str) -> list[str]:
    return [visible(found) for found in re.findall(pattern, text, re.S)]


def test_every_field_reads_as_written_where_the_theme_puts_it(hostile: Path) -> None:
    crunch = page(hostile, "exercises/stomach-crunch/index.html")
    title = TITLES["stomach-crunch"][1]
    assert texts_of(r"<title>(.*?)</title>", crunch) == [f"{title} - {SITE_NAME}"]
    assert texts_of(r"<h1[^>]*>(.*?)</h1>", crunch) == [title]
    content = visible(main_html(hostile / "exercises/stomach-crunch/index.html"))
    for text in (PURPOSE, STEP, HAZARD, DOCTOR_LINE):
        assert text in content
    for exercise_id, (_, new) in TITLES.items():
        own = page(hostile, f"exercises/{exercise_id}/index.html")
        assert new in texts_of(r'<span class="md-ellipsis">(.*?)</span>', own), new
        assert texts_of(r"<h1[^>]*>(.*?)</h1>", own) == [new]
        sharing = re.findall(r'<meta property="og:title" content="([^"]*)"', own)
        assert [html.unescape(value) for value in sharing] == [new]
    # The section title: labels on its exercises' pages, the index of labels, its own page.
    raise_page = page(hostile, "exercises/double-leg-raise/index.html")
    assert SECTION in texts_of(r'<nav class="md-tags"[^>]*>(.*?)</nav>', raise_page)[0]
    index = page(hostile, "exercises/index.html")
    assert SECTION in texts_of(r'<h3 id="tag:[^"]*"[^>]*>(.*?)</h3>', index)
    assert SECTION in texts_of(r'<a href="#tag:[^"]*" class="md-nav__link">(.*?)</a>', index)
    section = page(hostile, "sections/basic/index.html")
    assert texts_of(r"<title>(.*?)</title>", section) == [f"{SECTION} - {SITE_NAME}"]
    assert texts_of(r"<h1[^>]*>(.*?)</h1>", section) == [SECTION]
    important = visible(main_html(hostile / "important-information/index.html"))
    assert STORAGE in important
    # Nothing escaped twice: an escaped '&' or '<' would show as '&amp;' or '&lt;'.
    for name, text in built_files(hostile):
        if name.endswith("partner-api/index.html"):  # shows the embed snippet, markup, as text
            shown = re.findall(r"<pre><code>(.*?)</code></pre>", text, re.S)
            oembed = json.loads(page(hostile, "embed/getting-on.json"))
            assert [html.unescape(code) for code in shown] == [oembed["html"]]
            text = re.sub(r"<pre><code>.*?</code></pre>", "", text, flags=re.S)
        if name.endswith(".html"):
            assert "&amp;amp;" not in text and "&amp;lt;" not in text, name


def test_search_api_and_embeds_keep_the_texts(hostile: Path) -> None:
    search = json.loads(page(hostile, "search/search_index.json"))
    docs = {doc["location"]: doc for doc in search["docs"]}
    crunch = docs["exercises/stomach-crunch/"]
    assert html.unescape(crunch["title"]) == TITLES["stomach-crunch"][1]
    tags = docs["exercises/double-leg-raise/"]["tags"]
    assert [html.unescape(tag) for tag in tags] == [SECTION, "Lower back"]
    api = json.loads(page(hostile, "api/exercises.json"))
    record = next(r for r in api["exercises"] if r["id"] == "stomach-crunch")
    assert record["title"] == TITLES["stomach-crunch"][1] and record["purpose"] == PURPOSE
    assert STEP in [s["text"] for phase in record["phases"] for s in phase["steps"]]
    assert HAZARD in [m["hazard"] for m in record["safety"]]
    oembed = json.loads(page(hostile, "embed/stomach-crunch.json"))
    assert oembed["title"] == TITLES["stomach-crunch"][1]
    embed = visible(page(hostile, "embed/stomach-crunch.html"))
    for text in (TITLES["stomach-crunch"][1], PURPOSE, STEP, HAZARD, DOCTOR_LINE):
        assert text in embed


# --- plain mkdocs: the same scan and the same refusal ------------------------------------------


def mkdocs_in_process(root: Path, site_dir: Path) -> None:
    """Run ``mkdocs build`` on the project's own configuration, as mkdocs would."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir)))


def test_a_plain_mkdocs_build_refuses_an_image_from_another_origin(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    edit(
        root,
        "templates/pages/exercise.md.j2",
        '<p class="purpose">',
        '<p><img src="https://evil.example/x.png" alt=""></p>\n\n<p class="purpose">',
    )
    with pytest.raises(Abort) as refused:
        mkdocs_in_process(root, tmp_path / "out")
    message = str(refused.value)
    assert re.search(
        r"exercises/[a-z-]+/index\.html: line \d+: 'src' on <img> leads to another origin: "
        r"'https://evil\.example/x\.png'",
        message,
    ), message


def test_a_plain_mkdocs_build_of_the_project_passes_the_scan(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    mkdocs_in_process(root, tmp_path / "out")
    assert (tmp_path / "out" / "exercises" / "stomach-crunch" / "index.html").is_file()


# --- only regular files are published -----------------------------------------------------------


def test_a_symlink_in_the_static_files_stops_every_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = write(tmp_path, "outside/secret.txt", "SECRET OUTSIDE THE PROJECT\n")
    root = copy_project(tmp_path / "project")
    link = root / "templates" / "static" / "assets" / "passwd"
    link.symlink_to(secret)
    code, printed = build(root, capsys, "--no-cache")
    assert code == 1
    assert "templates/static/assets/passwd:1:1: (file): is a symbolic link" in printed, printed
    assert not (root / "site").exists()
    with pytest.raises(Abort) as refused:
        mkdocs_in_process(root, tmp_path / "out")
    assert "templates/static/assets/passwd" in str(refused.value)
    published = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert all(b"SECRET OUTSIDE" not in p.read_bytes() for p in published)
    assert not any(p.name == "passwd" for p in published)


def test_the_offline_copy_refuses_a_link_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The offline copy (zipped as it is built) is built by the same hooks: nothing is built."""
    secret = write(tmp_path, "outside/secret.txt", "SECRET\n")
    root = copy_project(tmp_path / "project")
    (root / "templates" / "static" / "leak.txt").symlink_to(secret)
    monkeypatch.setenv(OFFLINE_ENV, "true")
    with pytest.raises(Abort, match=r"templates/static/leak\.txt"):
        mkdocs_in_process(root, tmp_path / "offline")
    assert not (tmp_path / "offline" / "leak.txt").exists()


def test_static_problems_name_links_and_other_irregular_files(tmp_path: Path) -> None:
    static = tmp_path / "templates" / "static"
    write(static, "assets/ok.css", "body{}\n")
    (static / "assets" / "folder-link").symlink_to(tmp_path, target_is_directory=True)
    (static / "inside-link.css").symlink_to(static / "assets" / "ok.css")
    (static / "dangling").symlink_to(tmp_path / "missing")
    os.mkfifo(static / "pipe")
    found = {(p.path, p.line, p.column, p.field) for p in static_problems(tmp_path)}
    assert found == {
        ("templates/static/assets/folder-link", 1, 1, "(file)"),
        ("templates/static/inside-link.css", 1, 1, "(file)"),
        ("templates/static/dangling", 1, 1, "(file)"),
        ("templates/static/pipe", 1, 1, "(file)"),
    }
    messages = {p.path: p.message for p in static_problems(tmp_path)}
    assert messages["templates/static/pipe"].startswith("is not a regular file")
    assert messages["templates/static/dangling"].startswith("is a symbolic link")
    write(tmp_path / "clean", "templates/static/a.css", "a{}\n")
    assert static_problems(tmp_path / "clean") == []


def test_check_refuses_a_symlink_in_the_published_folders_before_any_build(
    tmp_path: Path, check: Check
) -> None:
    root = copy_project(tmp_path / "project")
    (root / "templates" / "theme" / "extra.html").symlink_to("/etc/hostname")
    code, _, err = check(root)
    assert code == 1
    assert (
        "templates/theme/extra.html:1:1: (file): is a symbolic link (to /etc/hostname), "
        "not a file" in err.splitlines()[0]
    )
