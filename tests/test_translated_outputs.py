"""Every output per language, and the safety-translation gate inside build, release and status.

The real content has a German translation recorded as not yet approved: a preview builds
it below ``de/`` with a "translation not yet reviewed" banner; a release leaves it out until a
product declares the language, and then refuses it until every entry an exercise shows is
translated, current and approved, with the English's numbers and trade mark.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SITE_URL, edit, site_files
from pypdf import PdfReader
from test_release import run, visible

from generator.checks.extract import PdfTexts, pdf_text
from generator.checks.parity import booklet_sections, check_reading, output_texts, squeeze
from generator.dev import synthetic
from generator.outputs.view import exercise_views
from generator.outputs.words import ENGLISH, speaking
from generator.settings import read_settings
from generator.sources.validate import load_catalogue
from generator.translations import files
from generator.translations.apply import translation
from generator.translations.units import catalogue_units

DE = "content/translations/de.po"


def german(root: Path = REPO) -> dict[str, str]:
    """Return the German translations of ``root``, by entry id."""
    return {str(m.context): str(m.string) for m in files.read(root, "de") if m.context}


def english(root: Path = REPO) -> dict[str, str]:
    return {str(m.context): str(m.id) for m in files.read(root, "de") if m.context}


# --- the preview of the real content ------------------------------------------------------------


def test_a_preview_builds_the_german_page_card_booklet_embed_and_api_in_german(
    built: Path,
) -> None:
    de, en = german(), english()
    doctor = "shared:messages.consult-doctor.text.0"
    title = "exercise:stomach-crunch:title"
    banner = de["words:unreviewed_mark"]

    page = (built / "de/exercises/stomach-crunch/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page
    text = visible(page)
    assert de["words:unreviewed"] in text and de[title] in text and de[doctor] in text
    assert en[doctor] not in text and en["words:before_start"] not in text

    for pdf in ("de/cards/stomach-crunch.pdf", "de/print/backrack-de/booklet.pdf"):
        data = (built / pdf).read_bytes()
        read = squeeze(pdf_text(data))
        assert squeeze(de[doctor]) in read and squeeze(de[title]) in read, pdf
        assert squeeze(en[doctor]) not in read, pdf
        assert squeeze(banner) in read, pdf  # on every page of a preview
        assert str(PdfReader(built / pdf).trailer["/Root"]["/Lang"]) == "de", pdf

    embed = visible((built / "de/embed/stomach-crunch.html").read_text(encoding="utf-8"))
    assert de["words:unreviewed"] in embed and de[doctor] in embed

    api = json.loads((built / "de/api/exercises.json").read_bytes())
    assert (api["language"], api["reviewed"]) == ("de", False)
    record = next(r for r in api["exercises"] if r["id"] == "stomach-crunch")
    assert record["title"] == de[title]
    assert record["url"] == f"{SITE_URL}de/exercises/stomach-crunch/"  # the German site's

    english_api = json.loads((built / "api/exercises.json").read_bytes())
    assert (english_api["language"], english_api["reviewed"]) == ("en", True)


def test_the_german_outputs_hold_the_contract_and_a_moved_warning_fails_in_each(
    built: Path,
) -> None:
    catalogue, _ = load_catalogue(REPO)
    assert catalogue is not None
    language = translation(REPO, catalogue, "de")
    de = german()
    warning = de["exercise:stomach-crunch:safety.4.hazard"]
    hazard = squeeze(f"{de['words:signal_word_warning']} {warning}")
    files_de = {
        path.removeprefix("de/"): data
        for path, data in site_files(built).items()
        if path.startswith("de/")
    }
    with speaking(language.speech):
        found = language.catalogue
        view = exercise_views(found)["stomach-crunch"]
        texts = {k: v for k, v in output_texts(files_de, view.exercise, PdfTexts()).items() if v}
        booklet = pdf_text(files_de["print/backrack-de/booklet.pdf"])
        texts["booklet"] = booklet_sections(booklet, found)["stomach-crunch"]
        assert set(texts) >= {"web page", "card", "embed", "API record", "booklet"}
        for output, text in texts.items():
            assert check_reading(squeeze(text), view, output, found) == [], output
            assert hazard in squeeze(text), output
            moved = squeeze(text).replace(hazard, "") + hazard
            failures = check_reading(moved, view, output, found)
            assert len(failures) == 1 and "stands after step 1" in failures[0], (output, failures)
            assert warning in failures[0]


def test_status_names_the_language_the_exercise_and_the_entry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(REPO, capsys, "translations", "check", "de")
    assert code != 0
    assert (
        f"{DE}: shared:messages.consult-doctor.text.0: de stomach-crunch: not approved by a "
        "reviewer"
    ) in err
    assert "de stomach-crunch: not publishable" in out
    code, out, err = run(REPO, capsys, "status")
    assert code == 0, err
    assert "translation 'de' (Deutsch), content/translations/de.po: a release leaves it out" in out
    assert "  stomach-crunch: held back by " in out
    assert (
        f"    - {DE}: shared:messages.consult-doctor.text.0: de: not approved by a reviewer "
        "(holds back: "
    ) in out


# --- release: left out until declared, refused until approved ------------------------------------


def releasable(target: Path) -> Path:
    """Return a copy of the project that a release build accepts in English: the identity
    filled with test values (example.test), getting off published."""
    root = synthetic.copy_project(REPO, target)
    products = root / "content/products.yaml"
    text = products.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  name: +#.*$", "  name: Test Maker Ltd", text)
    text = re.sub(
        r"(?m)^  postal_address: +#.*$", "  postal_address: [1 Test Street, Testtown]", text
    )
    text = re.sub(r"(?m)^  email: +#.*$", "  email: help@example.test", text)
    text = re.sub(r"(?m)^( +)model: +#.*$", r"\1model: TEST", text)
    text = re.sub(r"(?m)^( +)markets: +#.*$", r"\1markets: [GB, DE]", text)
    products.write_text(text, encoding="utf-8")
    edit(root, "content/exercises/getting-off.yaml", "status: draft", "status: published")
    with (root / "content/exercises/getting-off.yaml").open("a", encoding="utf-8") as stream:
        stream.write(  # a stand-in, in this throw-away copy only: getting off is not written yet
            "\nphases:\n  - id: stand-in\n    title: Test stand-in\n    pose: getting-on-sit\n"
            "    steps:\n      - Test stand-in step.\n"
        )
    return root


def declare_german(root: Path) -> None:
    edit(root, "content/products.yaml", "languages: [en]", "languages: [en, de]")


def approve(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(root, capsys, "translations", "update", "de")
    assert code == 0, err
    by = ("--by", "Test Reviewer", "--date", "2026-12-02")
    code, _, err = run(root, capsys, "translations", "approve", "de", *by)
    assert code == 0, err


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a releasable copy with German declared and every German entry approved."""
    root = releasable(tmp_path_factory.mktemp("approved") / "project")
    # Getting off is published here: its texts need German too (a test stand-in, marked so).
    catalogue, problems = load_catalogue(root)
    assert catalogue is not None, problems
    files.update(root, "de", catalogue_units(catalogue))
    catalog = files.read(root, "de")
    for message in catalog:
        if message.context and message.id and not message.string:
            message.string = f"[de] {message.id}"
    files.write(root, "de", catalog)
    files.update(root, "de", catalogue_units(catalogue))
    files.approve(root, "de", "Test Reviewer", "2026-12-02")
    declare_german(root)
    return root


def release(root: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code, stdout, stderr = run(
        root,
        capsys,
        "build",
        "--release",
        "--no-cache",
        "--site-dir",
        str(out),
        "--site-url",
        SITE_URL,
    )
    return code, stdout + stderr


def test_a_release_leaves_german_out_until_declared_then_includes_it_approved(
    tmp_path: Path, approved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = releasable(tmp_path / "plain")
    code, said = release(plain, tmp_path / "site-en", capsys)
    assert code == 0, said
    assert not (tmp_path / "site-en/de").exists()  # not approved, not declared: left out
    assert "languages: en\n" in said

    code, said = release(approved, tmp_path / "site-de", capsys)
    assert code == 0, said
    site = tmp_path / "site-de"
    page = (site / "de/exercises/stomach-crunch/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page and german(approved)["words:unreviewed"] not in page
    card = squeeze(pdf_text((site / "de/cards/stomach-crunch.pdf").read_bytes()))
    assert squeeze(german(approved)["exercise:stomach-crunch:title"]) in card
    assert "VORSCHAU" not in card and squeeze(ENGLISH["preview"]) not in card
    assert (site / "de/print/backrack-de/booklet.pdf").is_file()


WARNING_HAZARD = "exercise:stomach-crunch:safety.4.hazard"
NUMBER_ENTRY = "shared:messages.contraindications.items.1"
TRADE_MARK_ENTRY = "shared:messages.consult-doctor.text.1"


def _set(root: Path, entry: str, change: object) -> None:
    catalog = files.read(root, "de")
    for message in catalog:
        if str(message.context) == entry:
            change(message)  # type: ignore[operator]
    files.write(root, "de", catalog)


def _english_edited(root: Path) -> None:
    edit(
        root,
        "content/exercises/stomach-crunch.yaml",
        "Holding your breath while you lift can harm you.",
        "Holding your breath while you lift can hurt you.",
    )


CASES = {
    "an English warning edited": (WARNING_HAZARD, _english_edited, "outdated"),
    "a German warning deleted": (
        WARNING_HAZARD,
        lambda root: _set(root, WARNING_HAZARD, lambda m: setattr(m, "string", "")),
        "not translated",
    ),
    "a German warning left fuzzy": (
        WARNING_HAZARD,
        lambda root: _set(root, WARNING_HAZARD, lambda m: m.flags.add("fuzzy")),
        "marked fuzzy",
    ),
    "a number changed": (
        NUMBER_ENTRY,
        lambda root: _set(
            root, NUMBER_ENTRY, lambda m: setattr(m, "string", str(m.string).replace("45", "40"))
        ),
        "the numbers differ",
    ),
    "the trade mark dropped": (
        TRADE_MARK_ENTRY,
        lambda root: _set(
            root, TRADE_MARK_ENTRY, lambda m: setattr(m, "string", str(m.string).replace("™", ""))
        ),
        "'backrack™' must stand as in the English",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_translation_refuses_a_release_and_is_marked_in_a_preview(
    case: str, tmp_path: Path, approved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry, breaks, why = CASES[case]
    root = tmp_path / "project"
    shutil.copytree(approved, root)
    breaks(root)
    code, said = release(root, tmp_path / "site", capsys)
    assert code != 0 and not (tmp_path / "site").exists()
    line = next((x for x in said.splitlines() if f"{DE}: {entry}: de: " in x), "")
    assert why in line, said
    assert "holds back: " in line and "stomach-crunch" in line, line

    # A preview builds it, marked, and never shows a broken translation: the English stands.
    catalogue, _ = load_catalogue(root)
    assert catalogue is not None
    language = translation(root, catalogue, "de")
    assert not language.speech.reviewed
    assert any(g.entry == entry and why in g.why for g in language.gaps["stomach-crunch"])
    if entry == WARNING_HAZARD:
        shown = language.catalogue.get("stomach-crunch").safety[4].hazard  # type: ignore[union-attr]
    else:
        message = language.catalogue.shared.messages[entry.split(".")[1]]
        shown = (message.items if ".items." in entry else message.text)[int(entry[-1])]
    source = {u.id: u.text for u in catalogue_units(catalogue)}
    assert shown == source[entry]


def test_a_preview_reports_the_gate_naming_language_exercise_and_entry(
    tmp_path: Path, approved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    shutil.copytree(approved, root)
    _set(root, WARNING_HAZARD, lambda m: m.flags.add("fuzzy"))
    code, out, err = run(
        root,
        capsys,
        "build",
        "--no-cache",
        "--site-dir",
        str(tmp_path / "site"),
        "--site-url",
        SITE_URL,
    )
    assert code == 0, err
    said = out + err
    assert f"{DE}: {WARNING_HAZARD}: de: marked fuzzy" in said
    assert "marked 'translation not yet reviewed': de" in said
    page = (tmp_path / "site/de/exercises/stomach-crunch/index.html").read_text(encoding="utf-8")
    text = visible(page)
    assert german(root)["words:unreviewed"] in text
    assert "Holding your breath while you lift can harm you." in text  # the English stands


def test_an_unsupported_or_right_to_left_language_is_refused_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = synthetic.copy_project(REPO, tmp_path / "project")
    shutil.copy(root / DE, root / "content/translations/ar.po")
    code, out, err = run(root, capsys, "check")
    assert code != 0
    assert "content/translations/ar.po:1:1: (document): the outputs cannot be made in 'ar'" in (
        out + err
    )
    (root / "content/translations/ar.po").unlink()
    edit(root, "content/products.yaml", "languages: [en]", "languages: [en, he]")
    code, out, err = run(root, capsys, "check")
    assert code != 0
    assert re.search(
        r"content/products\.yaml:\d+:\d+: products\.0\.languages\.1: the outputs cannot be made "
        r"in 'he'",
        out + err,
    ), out + err
    edit(root, "content/products.yaml", "languages: [en, he]", "languages: [en]")
    _set(root, "exercise:stomach-crunch:title", lambda m: setattr(m, "string", "تمرين البطن"))
    code, out, err = run(root, capsys, "check")
    assert code != 0
    assert re.search(
        r"content/translations/de\.po:\d+:1: exercise:stomach-crunch:title: right-to-left text",
        out + err,
    ), out + err


def test_dates_and_numbers_are_written_the_languages_way(built: Path) -> None:
    important = visible((built / "de/important-information/index.html").read_text(encoding="utf-8"))
    assert "1,55 m bis 1,75 m" in important.replace("\u00a0", " ")
    english = visible((built / "important-information/index.html").read_text(encoding="utf-8"))
    assert "1.55 m to 1.75 m" in english.replace("\u00a0", " ")
    page = visible((built / "de/exercises/stomach-crunch/index.html").read_text(encoding="utf-8"))
    assert re.search(
        r"\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|"
        r"Oktober|November|Dezember) \d{4}\b",
        page,
    )
    settings = read_settings(REPO)
    assert settings.in_language("de", "en").site_url.endswith("/de/")
