"""The built website: parse what was rendered, then assert on it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUILD_DATE, REPO, SITE_URL, digest, edit

from generator.__main__ import main
from generator.dev import synthetic
from generator.outputs.words import height_metric
from generator.sources.validate import load_catalogue


def copy_project(target: Path) -> Path:
    """Copy what a build needs into ``target`` and return it."""
    return synthetic.copy_project(REPO, target)


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``build`` in-process at the tests' site address; return the exit code and everything
    printed."""
    capsys.readouterr()
    address = [] if "--site-url" in args else ["--site-url", SITE_URL]
    code = main(["--root", str(root), "build", *args, *address])
    out, err = capsys.readouterr()
    return code, out + err


def catalogue():  # type: ignore[no-untyped-def]
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


def main_html(page: Path) -> str:
    """Return the page's article element, where the content is."""
    text = page.read_text(encoding="utf-8")
    start, end = text.index("<article"), text.index("</article>")
    return text[start:end]


def visible(fragment: str) -> str:
    """Return the text of an HTML fragment, tags removed, entities decoded, spaces collapsed."""
    without_tags = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", fragment, flags=re.S)
    return " ".join(html.unescape(without_tags).split())


def test_every_published_exercise_has_a_page_in_catalogue_order(built: Path) -> None:
    published = [e.id for e in catalogue().published]
    assert published[:2] == ["getting-on", "starting-position"]
    for exercise_id in published:
        assert (built / "exercises" / exercise_id / "index.html").is_file()
    home = visible(main_html(built / "index.html"))
    positions = [home.index(e.title) for e in catalogue().published]
    assert positions == sorted(positions)


def test_both_original_exercises_are_published(built: Path) -> None:
    for exercise_id in ("stomach-crunch", "single-leg-raise"):
        text = visible(main_html(built / "exercises" / exercise_id / "index.html"))
        assert "consult your doctor" in text
        assert "If you feel you have strained a muscle, stop." in text


def test_no_draft_appears_anywhere_in_the_site(built: Path) -> None:
    cat = catalogue()
    assert cat.drafts, "the real catalogue has drafts; this test must see them"
    section_titles = {s.title for s in cat.shared.sections}
    forbidden = {}
    for draft in cat.drafts:
        marks = [f"exercises/{draft.id}", draft.purpose]
        marks += [draft.title] if draft.title not in section_titles else []
        forbidden[draft.id] = [m for m in marks if m]
    for path in built.rglob("*"):
        assert not any(f"exercises/{d}" in path.as_posix() for d in forbidden), path
        if path.suffix in (".html", ".json", ".xml"):
            text = html.unescape(path.read_text(encoding="utf-8"))
            for draft_id, marks in forbidden.items():
                for mark in marks:
                    assert mark not in text, f"draft {draft_id}: {mark!r} in {path}"


def test_doctor_notice_and_warnings_stand_before_the_first_step(built: Path) -> None:
    cat = catalogue()
    for exercise in cat.published:
        article = main_html(built / "exercises" / exercise.id / "index.html")
        first_step = visible(article[: article.index('class="step-list"')])
        notice = cat.shared.messages["consult-doctor"].text[0]
        assert "consult your doctor" in notice
        assert notice in first_step, exercise.id
        for resolved in cat.resolve_all(exercise.safety):
            message = resolved.message
            for part in [message.hazard or message.title or "", *message.avoid, *message.items]:
                assert part in first_step, (exercise.id, part)


def test_step_level_message_stands_right_before_its_step(built: Path) -> None:
    text = visible(main_html(built / "exercises" / "stomach-crunch" / "index.html"))
    hazard = text.index("Pulling on your head with your arms can strain your neck.")
    step = text.index("Lift your upper back, shoulders and head a little off the rack.")
    previous_step = text.index("Fill your chest from top to bottom, within reason.")
    assert previous_step < hazard < step


def test_signal_words_have_one_look_and_notice_never_has_the_triangle(built: Path) -> None:
    article = main_html(built / "exercises" / "stomach-crunch" / "index.html")
    panels = re.findall(
        r'<div class="admonition safety safety-(\w+)"[^>]*data-signal="(\w+)"', article
    )
    assert {(cls, signal.lower()) for cls, signal in panels} == {(c, c) for c, _ in panels}
    titles = re.findall(r'<p class="admonition-title safety-signal">(.*?)</p>', article, re.S)
    assert titles
    for title in titles:
        word = visible(title)
        assert ("alert-symbol" in title) == (word != "NOTICE"), title


def test_rebuild_gives_byte_identical_files(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)  # the shared build's date
    root = copy_project(tmp_path)  # no cache: every file rendered again
    assert build(root, capsys, "--strict")[0] == 0
    assert digest(root / "site") == digest(built)


def test_script_in_a_title_shows_as_text_and_injects_nothing(
    copy_built: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)  # what the title leaves alone is cached
    root = copy_built(tmp_path / "project")
    title = "</title><script>alert(1)</script> & [x](javascript:alert(2))"
    name = "content/exercises/starting-position.yaml"
    edit(root, name, "title: Starting position\n", f"title: '{title}'\n")
    edit(root, name, "purpose: ", 'purpose: <img src=x onerror=alert(3)> "quoted" ')
    code, output = build(root, capsys)
    assert code == 0, output
    site = root / "site"
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        assert "javascript:alert" not in re.sub(r"\s", "", visible("") + _hrefs(text)), path
    page = (site / "exercises" / "starting-position" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert heading is not None
    assert visible(heading.group(1)) == title
    nav_titles = [
        visible(t) for t in re.findall(r'<span class="md-ellipsis">(.*?)</span>', page, re.S)
    ]
    assert title in nav_titles


def _hrefs(text: str) -> str:
    return " ".join(re.findall(r'(?:href|src)="([^"]*)"', text))


def test_failed_build_leaves_the_previous_site_and_the_sources_untouched(
    copy_built: Callable[[Path], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_built(tmp_path / "project")  # the previous site: the shared build's
    site_before = digest(root / "site")
    name = "content/exercises/stomach-crunch.yaml"
    edit(root, name, "  - ref: stop-rule\n", "")
    sources_before = digest(root / "content")
    code, output = build(root, capsys)
    assert code == 1
    assert "Traceback" not in output
    assert f"{name}:24:1: safety: a published exercise must carry the stop rule" in output
    assert digest(root / "site") == site_before
    assert digest(root / "content") == sources_before
    leftovers = [p.name for p in root.glob(".site*") if p.name != ".site.lock"]
    assert not leftovers, "the staging folder was left behind"


def test_template_that_drops_the_warnings_fails_the_build(
    copy_built: Callable[[Path], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_built(tmp_path / "project")  # the previous site: the shared build's
    site_before = digest(root / "site")
    template = "templates/pages/exercise.md.j2"
    edit(
        root,
        template,
        "{% for resolved in view.notice + view.own %}\n{{ message(resolved) }}",
        "{% for resolved in [] %}\n",
    )
    code, output = build(root, capsys)
    assert code == 1
    assert "the built site fails the safety check" in output
    assert "stomach-crunch: missing safety text 'If you are in any doubt" in output
    assert digest(root / "site") == site_before


def test_template_that_moves_a_step_warning_after_its_step_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path)
    template = "templates/pages/exercise.md.j2"
    edit(
        root,
        template,
        "<li>{{ item.text }}</li>\n",
        "<li>{{ item.text }}</li>\n{% for r in item.safety %}{{ message(r) }}{% endfor %}\n",
    )
    edit(
        root,
        template,
        "{% for resolved in item.safety %}\n{{ message(resolved) }}\n{% endfor %}\n",
        "",
    )
    code, output = build(root, capsys)
    assert code == 1
    assert "stands after the step" in output


def test_readme_example_is_a_valid_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", readme, re.S)
    assert example is not None
    root = copy_project(tmp_path)
    (root / "content/exercises/stomach-crunch.yaml").write_text(example.group(1), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "check", "--strict"]) == 0, capsys.readouterr().err


def test_important_information_carries_every_shared_safety_text(built: Path) -> None:
    cat = catalogue()
    text = visible(main_html(built / "important-information" / "index.html"))
    for role in ("doctor-notice", "contraindications", "stop-rule", "caution"):
        assert any(m.role.value == role for m in cat.shared.messages.values())
    for ref in cat.shared.important:
        shared = cat.shared.messages[ref]
        for part in [shared.heading, shared.hazard, shared.title, *shared.items, *shared.avoid]:
            if part:
                assert part in text, (ref, part)
    for size in cat.products.products[0].sizes:
        assert height_metric(size) in text and size.height_imperial in text


# --- posture diagrams on the site -------------------------------------------------------------

FIGURE = re.compile(
    r'<figure class="diagram">\s*<img alt="([^"]*)" height="(\d+)" src="([^"]+)" width="(\d+)" />'
    r"\s*(?:<figcaption>(.*?)</figcaption>)?\s*</figure>",
    re.S,
)


def test_every_phase_shows_its_diagram_in_order_with_its_caption(built: Path) -> None:
    for exercise in catalogue().published:
        page = built / "exercises" / exercise.id / "index.html"
        figures = FIGURE.findall(page.read_text(encoding="utf-8"))
        assert [Path(src).stem for _, _, src, _, _ in figures] == [p.id for p in exercise.phases]
        for (alt, height, src, width, caption), phase in zip(figures, exercise.phases, strict=True):
            svg = (page.parent / src).resolve()
            assert svg.is_file() and svg.is_relative_to(built.resolve())
            text = svg.read_text(encoding="utf-8")
            assert f'width="{width}" height="{height}"' in text
            assert f'<desc id="diagram-{exercise.id}-{phase.id}-desc">{alt}</desc>' in text
            assert html.unescape(caption) == (phase.caption or "")


def test_each_diagram_has_a_png_and_a_one_page_pdf_copy(built: Path) -> None:
    for exercise in catalogue().published:
        for phase in exercise.phases:
            stem = built / "diagrams" / exercise.id / phase.id
            svg = stem.with_suffix(".svg").read_text(encoding="utf-8")
            size = re.search(r'width="(\d+)" height="(\d+)"', svg)
            assert size is not None
            png = stem.with_suffix(".png").read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = int.from_bytes(png[16:20]), int.from_bytes(png[20:24])
            assert (width, height) == (2 * int(size[1]), 2 * int(size[2]))
            pdf = stem.with_suffix(".pdf").read_bytes()
            assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_no_draft_has_a_diagram(built: Path) -> None:
    published = {e.id for e in catalogue().published}
    assert {p.name for p in (built / "diagrams").iterdir()} == published


# --- finding the pages, sitemap, canonical URLs, the offline copy -----------------------------


def test_sitemap_and_canonical_urls_come_from_site_url(built: Path) -> None:
    found = catalogue()
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    exercise_urls = [f"{SITE_URL}exercises/{e.id}/" for e in found.published]
    assert set(exercise_urls) <= set(locations)
    assert SITE_URL in locations and f"{SITE_URL}exercises/" in locations
    assert not any(d.id in loc for d in found.drafts for loc in locations)
    for exercise in found.published:
        page = (built / "exercises" / exercise.id / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{SITE_URL}exercises/{exercise.id}/">' in page


def test_index_lists_every_published_exercise_with_its_labels(built: Path) -> None:
    page = (built / "exercises" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<td[^>]*><a href="([^"]+)/">([^<]+)</a></td>', page)
    published = catalogue().published
    assert [href for href, _ in rows] == [e.id for e in published]
    assert [html.unescape(t) for _, t in rows] == [e.title for e in published]
    for exercise in published:
        exercise_page = (built / "exercises" / exercise.id / "index.html").read_text("utf-8")
        assert "Lower back" not in exercise.areas or "Lower back" in exercise_page


def test_each_section_with_exercises_has_an_index_page_listing_them(built: Path) -> None:
    for info, exercises in catalogue().sections():
        page = built / "sections" / info.id / "index.html"
        if not exercises:
            assert not page.exists()
            continue
        text = page.read_text(encoding="utf-8")
        links = re.findall(r'<a href="\.\./\.\./exercises/([^/]+)/">', text)
        assert links == [e.id for e in exercises]


def test_the_offline_copy_is_linked_from_home_and_has_file_urls(built: Path) -> None:
    import zipfile

    home = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/backrack-exercises-offline.zip"' in home
    with zipfile.ZipFile(built / "downloads" / "backrack-exercises-offline.zip") as archive:
        names = archive.namelist()
        offline_home = archive.read("backrack-exercises/index.html").decode("utf-8")
        offline_downloads = archive.read("backrack-exercises/downloads/index.html").decode()
    assert names == sorted(names)
    for exercise in catalogue().published:
        assert f"backrack-exercises/exercises/{exercise.id}.html" in names
    assert not any(d.id in n for d in catalogue().drafts for n in names)
    for page in (offline_home, offline_downloads):  # the copy does not offer itself
        assert "offline.zip" not in page
