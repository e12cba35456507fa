"""The partner API and the embeds (issue 20): absolute addresses that lead to files of the built
site, a published JSON Schema that the real files of every language pass and a broken record
fails, the version and the open licence, the partner page, oEmbed discovery, and embed frames
that take the height of their content in a real browser, on another origin."""

from __future__ import annotations

import copy
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO, SITE_URL
from test_browser import TRANSLATED

from generator.__main__ import main
from generator.checks.scan import scan_page
from generator.dev.first_step import serving
from generator.outputs import paths
from generator.outputs.embed_scripts import HEIGHT_SCRIPT, RESIZER_SCRIPT
from generator.outputs.embeds import EMBED_HEIGHT
from generator.outputs.web.api import FORMAT, READING_ORDER
from generator.outputs.web.api_schema import api_schema
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue

LANGUAGES = ["", *(f"{code}/" for code in TRANSLATED)]
"""Each language's folder below the site (English at the root)."""


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    catalogue, problems = load_catalogue(REPO)
    assert catalogue is not None, problems
    return catalogue


def api_of(site: Path, folder: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / folder / paths.API).read_text("utf-8"))
    return data


def addresses(node: Any) -> Iterator[str]:
    """Yield every string of a JSON document that is an address."""
    if isinstance(node, dict):
        for value in node.values():
            yield from addresses(value)
    elif isinstance(node, list):
        for value in node:
            yield from addresses(value)
    elif isinstance(node, str) and re.match(r"^[a-z]+://", node):
        yield node


def site_file(site: Path, url: str) -> Path:
    """Return the file of the built site an address of ``SITE_URL`` leads to."""
    assert url.startswith(SITE_URL), url
    path = site / url.removeprefix(SITE_URL)
    return path / "index.html" if url.endswith("/") else path


# --- 1. absolute addresses, each language's own -------------------------------------------------


@pytest.mark.parametrize("folder", LANGUAGES)
def test_every_address_in_the_api_leads_to_a_file_of_the_built_site(
    built: Path, folder: str
) -> None:
    document = api_of(built, folder)
    found = list(addresses(document))
    own = f"{SITE_URL}{folder}"
    records = document["exercises"]
    # page, preview, embed page and oEmbed, and a diagram per phase, at least, per record
    assert len(found) >= len(records) * 5
    for url in found:
        if url == document["identity"]["maker"]["web"]:
            continue  # the maker's own site, not ours
        assert url.startswith(own), url
        if folder == "":
            assert not any(url.startswith(f"{SITE_URL}{t}/") for t in TRANSLATED), url
        assert site_file(built, url).is_file(), url
    for record in records:
        assert record["url"] == f"{own}exercises/{record['id']}/"
        assert record["embed"]["oembed"] == f"{own}embed/{record['id']}.json"


# --- 2. and 3. the version, the schema ----------------------------------------------------------


def validator(site: Path, folder: str) -> jsonschema.Draft202012Validator:
    document = api_of(site, folder)
    schema = json.loads(site_file(site, document["$schema"]).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("folder", LANGUAGES)
def test_the_api_names_its_published_schema_and_passes_it(built: Path, folder: str) -> None:
    document = api_of(built, folder)
    schema_url = f"{SITE_URL}{folder}{paths.API_SCHEMA}"
    assert document["$schema"] == schema_url
    assert document["format"] == FORMAT == 6
    published = json.loads(site_file(built, schema_url).read_text("utf-8"))
    assert published == json.loads(json.dumps(api_schema(schema_url)))
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert published["properties"]["format"]["const"] == FORMAT
    errors = list(validator(built, folder).iter_errors(document))
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def _broken(document: dict[str, Any], how: str) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    crunch = next(r for r in broken["exercises"] if r["id"] == "stomach-crunch")
    step = crunch["phases"][1]["steps"][0]
    if how == "missing key":
        del crunch["safety"]
    elif how == "unknown key":
        crunch["warnings"] = []
    elif how == "unknown signal":
        step["safety"][0]["signal"] = "BEWARE"
    elif how == "unknown role":
        crunch["safety"][0]["role"] = "advice"
    elif how == "unknown section":
        crunch["section"] = "expert"
    elif how == "unknown area":
        crunch["areas"] = ["knees"]
    elif how == "relative address":
        crunch["url"] = "exercises/stomach-crunch/"
    elif how == "wrong type":
        step["number"] = "1"
    elif how == "old format":
        broken["format"] = 5
    return broken


@pytest.mark.parametrize(
    "how",
    [
        "missing key",
        "unknown key",
        "unknown signal",
        "unknown role",
        "unknown section",
        "unknown area",
        "relative address",
        "wrong type",
        "old format",
    ],
)
def test_a_broken_record_fails_the_schema(built: Path, how: str) -> None:
    check = validator(built, "")
    document = api_of(built, "")
    assert check.is_valid(document)
    assert not check.is_valid(_broken(document, how)), how


def test_the_version_policy_and_history_are_documented() -> None:
    source = (REPO / "generator/outputs/web/api.py").read_text("utf-8")
    below = source[source.index("FORMAT = ") :]
    assert "raise it by one whenever" in below and "\n6: every address is absolute" in below


# --- 4. the licence: an open field, never invented ----------------------------------------------


@pytest.mark.parametrize("folder", LANGUAGES)
def test_the_licence_is_open_until_the_maker_sets_it(
    built: Path, cat: Catalogue, folder: str
) -> None:
    assert cat.products.licence is None
    assert api_of(built, folder)["licence"] is None


def test_status_names_the_licence_as_an_open_field(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["--root", str(REPO), "status"])
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "  open field: the terms of reuse (API, embeds) are not yet set "
        "(content/products.yaml: licence); only the maker can set them"
    ) in out.splitlines()


# --- 5. the partner page ------------------------------------------------------------------------


def visible_text(page: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.mark.parametrize("folder", LANGUAGES)
def test_the_partner_page_documents_the_api_and_the_embeds(built: Path, folder: str) -> None:
    page = (built / folder / "partner-api/index.html").read_text("utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    text = visible_text(article)
    own = f"{SITE_URL}{folder}"
    first = api_of(built, folder)["exercises"][0]["id"]  # the example
    for address in (
        f"{own}{paths.API}",
        f"{own}{paths.API_SCHEMA}",
        f"{own}embed/{first}.json",
        f"{SITE_URL}{paths.API}",
        *(f"{SITE_URL}{t}/{paths.API}" for t in TRANSLATED),
    ):
        assert address in text, address
    for link in ('href="../api/exercises.json"', 'href="../api/exercises.schema.json"'):
        assert link in article
    fields = [article.index(f"<li><code>{field}</code>:") for field in READING_ORDER]
    assert fields == sorted(fields)  # in reading order
    assert article.index("<code>general_safety</code>") < article.index("<code>phases</code>")
    snippet = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", article, re.S)[1])  # type: ignore[index]
    oembed = json.loads((built / folder / f"embed/{first}.json").read_text("utf-8"))
    assert snippet == oembed["html"]
    assert f"{own}{paths.EMBED_RESIZER}" in snippet
    if folder == "":
        for words in (
            "The order is a safety rule.",
            "The terms on which you may reuse these instructions are not set yet.",
            "The maker: to be confirmed. E-mail: to be confirmed. Web: spinalbackrack.com.",
            f"now {FORMAT}.",
            f"Without the script the frame is {EMBED_HEIGHT} pixels high",
        ):
            assert words in text, words
    home = (built / folder / "index.html").read_text("utf-8")
    assert 'href="partner-api/"' in home  # in the navigation


# --- 6. oEmbed discovery ------------------------------------------------------------------------


@pytest.mark.parametrize("folder", LANGUAGES)
def test_every_exercise_page_names_its_oembed_file(
    built: Path, cat: Catalogue, folder: str
) -> None:
    own = f"{SITE_URL}{folder}"
    for exercise in cat.published:
        page = (built / folder / paths.page_file(exercise.id)).read_text("utf-8")
        head = page[: page.index("</head>")]
        found = re.findall(r'<link rel="alternate" type="application/json\+oembed"[^>]*>', head)
        assert len(found) == 1, exercise.id
        href = re.search(r'href="([^"]+)"', found[0])[1]  # type: ignore[index]
        assert href == f"{own}embed/{exercise.id}.json"
        oembed = json.loads(site_file(built, href).read_text("utf-8"))
        assert f'src="{own}embed/{exercise.id}.html"' in oembed["html"]
        assert re.search(r'title="[^"]+"', found[0])


# --- 7. the embed: its own script only, and a frame the height of its content ----------------


def test_the_embed_runs_only_its_own_script_allowed_by_its_policy(built: Path) -> None:
    page = (built / "embed/stomach-crunch.html").read_text("utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    assert scripts == [("", HEIGHT_SCRIPT)]
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert found is not None
    policy = html.unescape(found[1])
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe" not in policy and "http" not in policy
    assert scan_page(page, "embed/stomach-crunch.html", lambda p: False) == []
    changed = page.replace(HEIGHT_SCRIPT, HEIGHT_SCRIPT.replace("report()", "report( )", 1))
    assert scan_page(changed, "embed/x.html", lambda p: False) == ["<script> with an inline script"]
    inside = page.replace("</article>", f"<script>{HEIGHT_SCRIPT}</script></article>")
    assert "<script> inside the page content" in " ".join(
        scan_page(inside, "embed/x.html", lambda p: False)
    )
    oembed = json.loads((built / "embed/stomach-crunch.json").read_text("utf-8"))
    sandbox = re.search(r'sandbox="([^"]*)"', oembed["html"])[1]  # type: ignore[index]
    assert "allow-scripts" in sandbox.split() and "allow-same-origin" not in sandbox
    assert (built / paths.EMBED_RESIZER).read_text("utf-8") == RESIZER_SCRIPT


@pytest.fixture(scope="module")
def partner(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Serve the site on one localhost port and a partner's pages on another; yield both."""
    folder = tmp_path_factory.mktemp("partner")
    with serving(built) as site, serving(folder) as host:
        oembed = json.loads((built / "embed/stomach-crunch.json").read_text("utf-8"))
        snippet = oembed["html"].replace(SITE_URL, site + "/")
        without = re.sub(r"<script\b.*?</script>", "", snippet)
        for name, body in (("with.html", snippet), ("without.html", without)):
            (folder / name).write_text(
                f'<!DOCTYPE html><html lang="en"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>A partner</title><body><h1>A partner</h1>{body}</body></html>",
                encoding="utf-8",
            )
        yield site, host
    shutil.rmtree(folder)


MEASURE = """() => {
  const frame = document.querySelector("iframe");
  return frame.getBoundingClientRect().height;
}"""


def _open(browser: Any, url: str, width: int) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=1)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="networkidle")
    return page, problems


@pytest.mark.parametrize("width", [360, 1280])
def test_the_embed_frame_takes_the_height_of_its_content(
    browser: Any, partner: tuple[str, str], width: int
) -> None:
    site, host = partner
    assert site.rsplit(":", 1)[1] != host.rsplit(":", 1)[1]  # another origin
    page, problems = _open(browser, f"{host}/with.html", width)
    try:
        page.wait_for_function('() => document.querySelector("iframe").style.height !== ""')
        page.wait_for_timeout(300)  # let the last report arrive
        height = page.evaluate(MEASURE)
        frame = next(f for f in page.frames if f.url.startswith(site))
        inner = frame.evaluate("() => document.documentElement.scrollHeight")
        assert height > EMBED_HEIGHT, (height, inner)  # 2,400 px and more of content
        assert inner <= height + 1, (width, inner, height)
        # A message from any window but the frame's own changes nothing.
        page.evaluate("() => window.postMessage({backrackEmbedHeight: 120}, '*')")
        page.wait_for_timeout(200)
        assert page.evaluate(MEASURE) == height
        assert [p for p in problems if "Content Security Policy" in p] == []
    finally:
        page.close()


def test_without_the_script_the_frame_keeps_its_fallback_height(
    browser: Any, partner: tuple[str, str]
) -> None:
    host = partner[1]
    page, _ = _open(browser, f"{host}/without.html", 1280)
    try:
        page.wait_for_timeout(300)
        assert page.evaluate(MEASURE) == EMBED_HEIGHT
    finally:
        page.close()
