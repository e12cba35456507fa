"""The diagram review sheet for clinicians: every phase of every exercise, drafts included."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from test_site import catalogue

from generator.__main__ import main
from generator.checks.extract import pdf_text
from generator.outputs.print.source import squeeze


def test_the_review_sheet_lists_every_phase_with_caption_description_and_contacts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review.pdf"
    assert main(["--root", str(REPO), "review", "--out", str(out)]) == 0
    found = catalogue()
    phases = sum(len(e.phases) for e in found.exercises)
    printed = capsys.readouterr().out
    assert f"{len(found.exercises)} exercise(s), {phases} phase(s), drafts included" in printed
    text = squeeze(pdf_text(out.read_bytes()))
    assert found.drafts, "the real catalogue has drafts: the sheet must show them"
    for exercise in found.exercises:
        status = "published" if exercise.published else "draft (never published)"
        for number, phase in enumerate(exercise.phases, 1):
            heading = squeeze(f"{exercise.title}: {number}. {phase.title} {status}")
            assert heading in text, (exercise.id, phase.id)
            assert squeeze(phase.caption or "(none)") in text, (exercise.id, phase.id)
            assert squeeze(f"pose {phase.pose}") in text
    assert text.count(squeeze("Contacts the pose states:")) == phases
    assert text.count(squeeze("Description (alt text):")) == phases


def test_the_review_sheet_is_never_written_into_a_built_site(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = built / "review.pdf"
    assert main(["--root", str(REPO), "review", "--out", str(target)]) == 1
    assert "inside a built site; the sheet holds drafts" in capsys.readouterr().err
    assert not target.exists()
