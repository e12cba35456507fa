"""The safety-parity check across outputs, and the embeds for partners."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from conftest import BUILD_DATE, SITE_URL, digest, edit, site_files, views_of
from test_cards import run
from test_site import build, catalogue

from generator.checks.extract import PdfTexts, html_text, pdf_text
from generator.checks.memo import CheckMemo
from generator.checks.parity import (
    PAGE_BREAK,
    booklet_sections,
    check_panel,
    check_panel_text,
    check_parity,
    check_reading,
    output_texts,
    sheet_cards,
    squeeze,
)
from generator.checks.verify import message_texts, verify_site
from generator.outputs.contract import BEFORE_STEPS, Part, reading
from generator.outputs.embed_scripts import HEIGHT_SCRIPT
from generator.outputs.print.sheets import SHEETS

FULL_OUTPUTS = ("web page", "card", "print-shop card", "embed", "API record")
"""The full outputs of one exercise that ``output_texts`` reads back."""


def every_text(built: Path, exercise_id: str) -> dict[str, str]:
    """Return the extracted text of every full output of one exercise, the booklet's section
    and each home-print sheet's card included."""
    found = catalogue()
    files = site_files(built)
    exercise = found.get(exercise_id)
    texts = {k: v for k, v in output_texts(files, exercise, PdfTexts()).items() if v}
    texts["booklet"] = booklet_sections(pdf_text(files["print/backrack-en/booklet.pdf"]), found)[
        exercise_id
    ]
    for sheet in SHEETS:
        text = pdf_text(files[f"print/backrack-en/cards-{sheet}.pdf"])
        texts[f"home-print sheet ({sheet})"] = sheet_cards(text, found)[exercise_id]
    return texts


def test_every_full_output_carries_every_part_in_the_contracts_order(built: Path) -> None:
    found = catalogue()
    views = views_of(found)
    assert check_parity(site_files(built), found, views, site_url=SITE_URL) == []
    for exercise in found.published:
        view = views[exercise.id]
        texts = every_text(built, exercise.id)
        assert set(texts) == {
            *FULL_OUTPUTS,
            "booklet",
            *(f"home-print sheet ({s})" for s in SHEETS),
        }
        for output, text in texts.items():
            hay = squeeze(text)
            first_step = hay.index(squeeze(view.steps[0].text))
            for t in reading(view):
                assert squeeze(t.text) in hay, (output, exercise.id, t.part, t.text)
                if t.part in BEFORE_STEPS:
                    assert hay.index(squeeze(t.text)) < first_step, (output, exercise.id, t)


def test_every_output_shows_each_message_once(built: Path) -> None:
    """A message stands once per exercise (its signal word and hazard, or a notice's title),
    in every full output: no warning twice with two explanations."""
    found = catalogue()
    views = views_of(found)
    messages = {Part.DOCTOR_NOTICE, Part.OWN_MESSAGES, Part.GENERAL, Part.STEP_MESSAGES}
    for exercise in found.published:
        wanted = [t.text for t in reading(views[exercise.id]) if t.part in messages]
        heads = [t for t in wanted if t.split(" ", 1)[0] in {"WARNING", "CAUTION", "DANGER"}]
        heads.append(views[exercise.id].notice[0].message.title or "")
        for output, text in every_text(built, exercise.id).items():
            hay = squeeze(text)
            for head in heads:
                assert hay.count(squeeze(head)) == wanted.count(head), (output, exercise.id, head)


def test_45_degrees_never_breaks_across_lines(built: Path) -> None:
    texts = every_text(built, "stomach-crunch")
    files = site_files(built)  # the booklet's and sheets' texts as laid out, not squeezed
    texts["booklet"] = pdf_text(files["print/backrack-en/booklet.pdf"])
    for sheet in SHEETS:
        texts[f"home-print sheet ({sheet})"] = pdf_text(
            files[f"print/backrack-en/cards-{sheet}.pdf"]
        )
    for output, text in texts.items():
        assert "more than 45°." in " ".join(text.split()), output


def test_the_crunch_says_what_the_read_back_found_missing_in_every_output(built: Path) -> None:
    """The facts the first read-back found dropped are now in every output, before step 1
    where they concern the steps."""
    needed_first = [
        "Then walk for about 10 minutes.",  # the warm-up
        "Double leg raise",  # be at ease with it first
        "Strong back pain right now. Lie on the rack without exercises first.",
        "Do not use it after the sixth month of pregnancy.",  # the cautions
    ]
    later = [
        "Tensing your neck.",
        "Arching your lower back too much.",
        "Bringing your head toward your chest. This rounds your neck and back.",
        "Reverse leg raise" if catalogue().get("reverse-leg-raise").published else "Lean back",
        "5 to 10",
    ]
    for output, text in every_text(built, "stomach-crunch").items():
        hay = squeeze(text)
        first_step = hay.index(squeeze("Lie on the rack in the starting position."))
        for needle in needed_first:
            assert -1 < hay.find(squeeze(needle)) < first_step, (output, needle)
        for needle in later:
            assert hay.find(squeeze(needle), first_step) > 0, (output, needle)


def test_a_cards_side_1_carries_every_message_before_side_2s_steps(built: Path) -> None:
    found = catalogue()
    views = views_of(found)
    for exercise in found.published:
        view = views[exercise.id]
        for folder in ("cards", "cards/print"):
            text = pdf_text((built / folder / f"{exercise.id}.pdf").read_bytes())
            side_1, side_2 = (squeeze(page) for page in text.split(PAGE_BREAK))
            for t in reading(view):
                if t.part in BEFORE_STEPS:
                    assert squeeze(t.text) in side_1, (folder, exercise.id, t)
                if t.part is Part.STEPS:
                    assert squeeze(t.text) in side_2, (folder, exercise.id, t)
                    assert squeeze(t.text) not in side_1, (folder, exercise.id, t)
    getting_on = squeeze(pdf_text((built / "cards" / "getting-on.pdf").read_bytes()))
    assert squeeze("Left is as you look down the rack from the top end.") in getting_on


def tag_text(pdf: Path) -> str:
    """Return the text of a tagged PDF in the order of its structure tree (what a screen
    reader follows), as poppler reads it."""
    # poppler prints an element's title as it is stored (an empty UTF-16 one as b"\xfe\xff")
    done = subprocess.run(["pdfinfo", "-struct-text", str(pdf)], capture_output=True, check=True)
    tree = done.stdout.decode("utf-8", errors="replace")
    return " ".join(m.group(1) for m in re.finditer(r'^\s*"(.*)"\s*$', tree, re.M))


def test_cards_and_booklet_hold_the_contract_in_tag_order(built: Path) -> None:
    """A screen reader meets every part in the contract's order, the safety before step 1,
    on every card (side 1 before side 2) and in every booklet section."""
    found = catalogue()
    views = views_of(found)
    for exercise in found.published:
        for folder in ("cards", "cards/print"):
            text = tag_text(built / folder / f"{exercise.id}.pdf")
            output = f"{folder} (tag order)"
            assert check_reading(text, views[exercise.id], output, found) == [], exercise.id
    sections = booklet_sections(tag_text(built / "print" / "backrack-en" / "booklet.pdf"), found)
    for exercise_id, section in sections.items():
        assert section is not None, exercise_id
        assert check_reading(section, views[exercise_id], "booklet", found) == [], exercise_id


def without(text: str, needles: list[str]) -> str:
    """Return ``text`` as a template that dropped these texts would give it."""
    hay = squeeze(text)
    for needle in needles:
        hay = hay.replace(squeeze(needle), "")
    return hay


@pytest.mark.parametrize("part", list(Part))
def test_an_output_that_drops_a_part_fails_naming_output_exercise_and_part(
    built: Path, part: Part
) -> None:
    """For each full output and each part: the real output, with that part's texts taken
    out, fails the check, which names the output, the exercise and the part."""
    found = catalogue()
    view = views_of(found)["stomach-crunch"]
    dropped = [t.text for t in reading(view) if t.part is part]
    assert dropped, f"the stomach crunch has every part, {part} too"
    for output, text in every_text(built, "stomach-crunch").items():
        assert check_reading(text, view, output, found) == [], output
        failures = check_reading(without(text, dropped), view, output, found)
        assert any(f": {output} of stomach-crunch: {part}: lacks " in f for f in failures), (
            output,
            part,
            failures,
        )


def test_a_message_moved_after_the_first_step_fails_in_every_output(built: Path) -> None:
    found = catalogue()
    view = views_of(found)["stomach-crunch"]
    hazard = squeeze("WARNING Holding your breath while you lift can harm you.")
    for output, text in every_text(built, "stomach-crunch").items():
        moved = squeeze(text).replace(hazard, "") + hazard
        failures = check_reading(moved, view, output, found)
        assert failures == [
            "content/exercises/stomach-crunch.yaml: safety.4.hazard: "
            f"{output} of stomach-crunch: the exercise's own safety messages: "
            "stands after step 1: 'WARNING Holding your breath while you lift can harm you.'"
        ], (output, failures)


BROKEN_TEMPLATES = [
    ("web page", "templates/pages/exercise.md.j2", "{% if phase.mistakes %}", "{% if false %}"),
    ("card", "templates/print/card.typ", "  tips(ex, 2)\n", ""),
    ("embed", "templates/embed/exercise.html.j2", "{{ ex.needs(view) }}", ""),
    ("booklet", "templates/print/booklet.typ", "  dose(ex, sub)\n", ""),
]


@pytest.mark.parametrize(("output", "template", "old", "new"), BROKEN_TEMPLATES)
def test_a_template_that_drops_a_part_fails_the_build_naming_it(
    tmp_path: Path,
    copy_built: Callable[[Path], Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    output: str,
    template: str,
    old: str,
    new: str,
) -> None:
    root = copy_built(tmp_path / "project")
    before = digest(root / "site")
    edit(root, template, old, new)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    code, printed = build(root, capsys)
    assert code == 1, printed
    part = {
        "web page": "common mistakes: lacks 'Tensing your neck.'",
        "card": "tips: lacks 'Your stomach and back muscles work",
        "embed": "prerequisites: lacks 'Double leg raise'",
        "booklet": "dose: lacks '5 to 10'",
    }[output]
    assert f"{output} of stomach-crunch: {part}" in printed, printed
    if output == "web page":  # the offline copy's pages are the web pages' twins
        assert f"offline page of stomach-crunch: {part}" in printed, printed
    if output == "card":  # the home-print sheets share the card's faces
        assert "home-print sheet (a4) of stomach-crunch: tips: lacks" in printed, printed
    assert digest(root / "site") == before, "a failed build leaves the site as it was"


def test_an_api_record_that_drops_a_part_fails_naming_it(built: Path) -> None:
    """The API record is made by code, not a template: a record without the warm-up, in
    the built site's files, fails the check naming output, exercise and part."""
    found = catalogue()
    views = views_of(found)
    files = site_files(built)
    document = json.loads(files["api/exercises.json"])
    for record in document["exercises"]:
        record["warm_up"] = []
    broken = {**files, "api/exercises.json": json.dumps(document).encode()}
    failures = check_parity(broken, found, views, site_url=SITE_URL)
    assert failures and all(": API record of " in f for f in failures), failures
    assert any(
        "API record of stomach-crunch: warm-up: lacks 'Warm up first'" in f for f in failures
    )
    document["reading_order"].remove("tips")  # a record that says to skip a part
    skipped = {**files, "api/exercises.json": json.dumps(document).encode()}
    failures = check_parity(skipped, found, views, site_url=SITE_URL)
    assert any("API record of stomach-crunch: tips: lacks" in f for f in failures), failures


def test_the_panel_keeps_what_it_declares_and_points_to_the_whole(built: Path) -> None:
    found = catalogue()
    views = views_of(found)
    files = site_files(built)
    assert check_panel(files, found, views, SITE_URL, PdfTexts()) == []
    text = pdf_text(files["print/backrack-en/quick-start.pdf"])
    assert "consult your doctor" in text
    broken = text.replace("consult your doctor", "")
    failures = check_panel_text(broken, found, views, SITE_URL)
    assert any("quick-start panel of getting-on: doctor notice: lacks" in f for f in failures)
    assert check_panel_text(text, found, views, "https://elsewhere.test/") == [
        "quick-start panel: lacks the address of the whole instructions 'https://elsewhere.test/'"
    ]


def test_embeds_are_self_contained_with_safety_before_the_steps(built: Path) -> None:
    found = catalogue()
    for exercise in found.published:
        page = (built / "embed" / f"{exercise.id}.html").read_text(encoding="utf-8")
        # One script, the project's own (its height, for the partner's frame), by its text.
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)
        assert scripts == [HEIGHT_SCRIPT] and '<link rel="stylesheet"' not in page
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
        page, oembed_file = (record["embed"][k].removeprefix(SITE_URL) for k in ("page", "oembed"))
        assert (built / page).is_file()
        oembed = json.loads((built / oembed_file).read_text(encoding="utf-8"))
        assert oembed["version"] == "1.0" and oembed["type"] == "rich"
        src = record["embed"]["page"]
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

    The PDFs are read with pdftotext, which keeps the list numbers Typst draws."""
    found = catalogue()
    booklet = squeeze(run("pdftotext", str(built / "print" / "backrack-en" / "booklet.pdf"), "-"))
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


def test_a_check_passed_before_is_skipped_only_on_the_same_files(
    built: Path, tmp_path: Path
) -> None:
    """The memo of passed checks (a rebuild checks what changed): the same files skip every
    check; a changed file is checked again, and a failure is never remembered."""
    found = catalogue()
    views = views_of(found)
    files = {k: v for k, v in site_files(built).items() if not k.startswith("de/")}  # English
    salts = {e.id: f"salt of {e.id}" for e in found.published}
    salts |= {"": "whole", "code": "code"}
    salts |= {f"{kind}:backrack-en": kind for kind in ("publication", "panel")}

    def checked(site: dict[str, bytes], memo: CheckMemo) -> list[str]:
        memo.with_salts(salts)
        failures = verify_site(site, found, memo=memo)
        return failures + check_parity(site, found, views, site_url=SITE_URL, memo=memo)

    first = CheckMemo(tmp_path / "checks")
    assert checked(files, first) == []
    assert first.ran > 50 and first.skipped == 0
    first.save()

    again = CheckMemo(tmp_path / "checks")
    assert checked(files, again) == []
    assert again.ran == 0 and again.skipped == first.ran

    page = "exercises/stomach-crunch/index.html"
    warning = message_texts(found.resolve_all(found.get("stomach-crunch").safety)[0].message)[0]
    text = files[page].decode()
    assert warning in text
    broken = {**files, page: text.replace(warning, "").encode()}
    for _ in range(2):  # the failure is found, and found again: it was not remembered
        memo = CheckMemo(tmp_path / "checks")
        failures = checked(broken, memo)
        assert any("stomach-crunch" in f and "missing safety text" in f for f in failures)
        assert 0 < memo.ran <= 3  # the page's own checks and its scan; nothing else
        memo.save()

    # The page mended, and the exercise checked against another view of it (its source
    # changed): its six checks run again (page text; web page, card, print-shop card, embed
    # and API record), and the page's scan: the last build, of the broken page, kept only
    # what it met.
    salts["stomach-crunch"] = "another view of stomach-crunch"
    memo = CheckMemo(tmp_path / "checks")
    assert checked(files, memo) == []
    assert memo.ran == 7
