"""Translation files and the safety-translation gate.

The "translation" here is a test stand-in (the English with ``[de]`` before it), not German:
the tests hold the bookkeeping (entries, source hashes, fuzzy marks, approvals) and the gate,
which do not depend on the words.
"""

from __future__ import annotations

from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import edit
from test_site import copy_project

from generator.__main__ import main
from generator.sources.validate import load_catalogue
from generator.translations import files, gate
from generator.translations.apply import translation
from generator.translations.units import catalogue_units

CRUNCH = "content/exercises/stomach-crunch.yaml"
WARNING = "Never hold your breath to keep your muscles tight."
WARNING_ID = "exercise:stomach-crunch:safety.4.avoid.0"
CONTRAINDICATION = "Severe scoliosis, where the spine curves sideways by more than 45°."
BRAND_LINE = "Do not use the backrack™ if you have any of these health problems."


def run(root: Path, *args: str) -> tuple[int, str]:
    out = StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(["--root", str(root), "translations", *args])
    return code, out.getvalue()


def fill(root: Path, language: str, change: dict[str, str] | None = None) -> None:
    """Give every entry a stand-in translation (or the one in ``change``, by msgid)."""
    path = files.po_path(root, language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for message in catalog:
        if message.id:
            message.string = (change or {}).get(str(message.id), f"[{language}] {message.id}")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def entries(root: Path, language: str) -> dict[str, object]:
    return {str(m.context): m for m in files.read(root, language) if m.id}


@pytest.fixture
def translated(tmp_path: Path) -> Path:
    """A copy of the project with a complete, approved stand-in translation."""
    root = copy_project(tmp_path / "project")
    assert run(root, "update", "de")[0] == 0
    fill(root, "de")
    assert run(root, "update", "de")[0] == 0  # records each translation's source
    code, printed = run(root, "approve", "de", "--by", "A Reviewer", "--date", "2026-12-01")
    assert code == 0, printed
    return root


def gaps(root: Path, exercise: str = "stomach-crunch") -> list[gate.Gap]:
    found, problems = load_catalogue(root)
    assert found is not None, problems
    return list(translation(root, found, "de").gaps[exercise])


def test_one_entry_per_text_with_a_stable_id_and_nothing_pre_filled(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")  # French: no file yet
    code, printed = run(root, "update", "fr")
    assert code == 0 and "new" in printed
    found, _ = load_catalogue(root)
    assert found is not None
    units = catalogue_units(found)
    made = entries(root, "fr")
    assert set(made) == {u.id for u in units} and len(units) == len(made)
    assert all(not m.string for m in made.values())  # type: ignore[attr-defined]
    assert WARNING_ID in made and "words:fit" in made and "shared:storage" in made
    assert run(root, "check", "fr")[0] == 1  # nothing translated: nothing publishable
    before = files.po_path(root, "fr").read_bytes()
    run(root, "update", "fr")
    assert files.po_path(root, "fr").read_bytes() == before  # the same bytes again


def test_a_complete_approved_translation_passes_the_gate(translated: Path) -> None:
    code, printed = run(translated, "check", "de")
    assert code == 0, printed
    assert "de stomach-crunch: may be published" in printed


def test_an_edited_english_warning_makes_its_translation_outdated(translated: Path) -> None:
    edit(translated, CRUNCH, WARNING, "Never hold your breath to keep your stomach tight.")
    found = gaps(translated)
    entry = WARNING_ID
    assert [g.why.split(":")[0] for g in found if g.entry == entry] == ["outdated"]
    code, printed = run(translated, "update", "de")
    assert "1 outdated" in printed
    message = entries(translated, "de")[entry]
    assert "fuzzy" in message.flags  # type: ignore[attr-defined]
    assert message.previous_id == [WARNING]  # type: ignore[attr-defined]
    assert message.string == f"[de] {WARNING}"  # type: ignore[attr-defined]  # kept
    found = gaps(translated)
    assert [g.why.split(":")[0] for g in found if g.entry == entry] == ["marked fuzzy"]
    code, printed = run(translated, "check", "de")
    assert code == 1
    assert f"content/translations/de.po: {entry}: de stomach-crunch: marked fuzzy" in printed


def test_a_deleted_or_fuzzy_german_warning_counts_as_missing(translated: Path) -> None:
    fill(translated, "de", {WARNING: ""})
    assert [str(g) for g in gaps(translated) if g.entry == WARNING_ID] == [
        f"content/translations/de.po: {WARNING_ID}: de stomach-crunch: not translated"
    ]
    fill(translated, "de")
    path = files.po_path(translated, "de")
    text = path.read_text(encoding="utf-8")
    marked = text.replace(f'msgctxt "{WARNING_ID}"', f'#, fuzzy\nmsgctxt "{WARNING_ID}"')
    path.write_text(marked, encoding="utf-8")
    assert [g.why.split(":")[0] for g in gaps(translated) if g.entry == WARNING_ID] == [
        "marked fuzzy"
    ]


def test_a_changed_number_or_a_dropped_trade_mark_fails_the_gate(translated: Path) -> None:
    changed = CONTRAINDICATION.replace("45", "40")
    fill(translated, "de", {CONTRAINDICATION: f"[de] {changed}"})
    found = gaps(translated)
    assert any(
        g.entry.startswith("shared:messages.contraindications.items")
        and g.why.startswith("the numbers differ")
        for g in found
    ), found
    assert all(g.exercise == "stomach-crunch" and g.language == "de" for g in found)
    fill(translated, "de", {BRAND_LINE: "[de] Do not use the rack if you have these problems."})
    found = gaps(translated)
    assert any("'backrack™' must stand as in the English" in g.why for g in found), found


def test_an_unapproved_translation_is_not_published(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    run(root, "update", "de")
    fill(root, "de")
    run(root, "update", "de")
    found = gaps(root)
    assert found and all(g.why == "not approved by a reviewer" for g in found)
