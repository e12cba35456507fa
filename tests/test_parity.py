"""The safety-parity check across outputs, and the embeds for partners."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import SITE_URL, edit, site_files
from test_cards import run
from test_site import build, catalogue, copy_project

from generator.checks.extract import PdfTexts, html_text
from generator.checks.parity import check_parity, output_texts, squeeze
from generator.checks.verify import message_texts


def test_every_output_of_every_exercise_carries_every_safety_text(built: Path) -> None:
    found = catalogue()
    files = site_files(built)
    assert check_parity(files, found) == []
    for exercise in found.published:
        texts = output_texts(files, exercise, PdfTexts())
        assert set(texts) == {"web page", "card", "print-shop card", "embed"}
        doctor = [r for r in found.safety(exercise) if r.role.value == "doctor-notice"]
        for output, text in texts.items():
            assert text is not None
            for part in message_texts(doctor[0].message):
                assert part in text, (output, exercise.id)


@pytest.mark.parametrize(
    ("template", "old", "output"),
    [
        ("templates/cards/faces.html.j2", "{% for resolved in view.safety %}", "card"),
        ("templates/embed/exercise.html.j2", "{% for resolved in view.safety %}", "embed"),
    ],
)
def test_an_output_that_loses_its_notices_fails_the_build_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: str, old: str, output: str
) -> None:
    root = copy_project(tmp_path)
    edit(root, template, old, "{% for resolved in [] %}")
    code, printed = build(root, capsys)
    assert code == 1
    source = "content/shared.yaml: messages.consult-doctor.text.0"
    lacks = f"{output} of stomach-crunch: lacks 'If you are in any doubt"
    assert f"{source}: {lacks}" in printed, printed
    assert not (root / "site").exists()


def test_embeds_are_self_contained_with_safety_before_the_steps(built: Path) -> None:
    found = catalogue()
    for exercise in found.published:
        page = (built / "embed" / f"{exercise.id}.html").read_text(encoding="utf-8")
        assert "<script" not in page and '<link rel="stylesheet"' not in page
        assert not re.search(r'\ssrc="', page), "embeds inline everything"
        links = re.findall(r'href="([^"]+)"', page)
        page_url = f"{SITE_URL}exercises/{exercise.id}/"
        assert set(links) == {page_url}
        text = html_text((built / "embed" / f"{exercise.id}.html").read_text(encoding="utf-8"))
        first_step = text.index(exercise.phases[0].steps[0].text)
        for resolved in found.safety(exercise):
            for part in message_texts(resolved.message):
                assert text.index(part) < first_step, (exercise.id, part)
        assert page.count('<figure class="diagram"><svg') == len(exercise.phases)


def test_oembed_files_describe_an_iframe_of_the_embed(built: Path) -> None:
    api = json.loads((built / "api" / "exercises.json").read_text(encoding="utf-8"))
    for record in api["exercises"]:
        assert (built / record["embed"]["page"]).is_file()
        oembed = json.loads((built / record["embed"]["oembed"]).read_text(encoding="utf-8"))
        assert oembed["version"] == "1.0" and oembed["type"] == "rich"
        src = f"{SITE_URL}{record['embed']['page']}"
        assert f'<iframe src="{src}"' in oembed["html"]
        assert oembed["width"] > 0 and oembed["height"] > 0


def html_step_numbers(html: str) -> list[tuple[int, str]]:
    """Return each step of a page as (its number, its text), from the step lists' start."""
    steps = []
    lists = re.findall(r'<ol class="step-list" start="(\d+)"[^>]*>(.*?)</ol>', html, re.S)
    for start, items in lists:
        texts = re.findall(r"<li>(.*?)</li>", items, re.S)
        steps += [(int(start) + i, " ".join(unescape(t).split())) for i, t in enumerate(texts)]
    return steps


def test_every_output_numbers_the_steps_the_same_way(built: Path) -> None:
    """Steps are numbered 1 to N through the whole exercise, across its phases and its
    step warnings, on the web page, in the embed, on both cards and in the booklet.

    The PDFs are read with pdftotext, which keeps the list numbers WeasyPrint draws."""
    found = catalogue()
    booklet = squeeze(run("pdftotext", str(built / "print" / "booklet.pdf"), "-"))
    for exercise in found.published:
        expected = [
            (number, step.text)
            for number, step in enumerate((s for p in exercise.phases for s in p.steps), 1)
        ]
        page = (built / "exercises" / exercise.id / "index.html").read_text(encoding="utf-8")
        embed = (built / "embed" / f"{exercise.id}.html").read_text(encoding="utf-8")
        assert html_step_numbers(page) == expected, exercise.id
        assert html_step_numbers(embed) == expected, exercise.id
        section = booklet[booklet.index(squeeze(f"{exercise.title} {exercise.purpose}")) :]
        for folder in ("cards", "cards/print"):
            card = squeeze(run("pdftotext", str(built / folder / f"{exercise.id}.pdf"), "-"))
            for number, text in expected:
                assert squeeze(f"{number}. {text}") in card, (folder, exercise.id, number)
        for number, text in expected:
            assert squeeze(f"{number}. {text}") in section, ("booklet", exercise.id, number)
