"""The diagram review sheet for clinicians: every phase of every exercise, drafts included."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from conftest import REPO
from pypdf import PdfReader
from test_site import catalogue

from generator.__main__ import main
from generator.checks.extract import pdf_text
from generator.outputs.print import review
from generator.outputs.print.review import render_review
from generator.outputs.print.source import squeeze
from generator.outputs.view import review_drawings

A4_LANDSCAPE = (841.89, 595.28)
"""A4 landscape in PDF points."""


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
    pages = PdfReader(out).pages
    header = squeeze("Diagram review sheet: every phase, drafts included. Not for publication.")
    for number, page in enumerate(pages, 1):
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == (
            A4_LANDSCAPE
        )
        on_page = squeeze(page.extract_text())
        assert header in on_page, number
        assert squeeze(f"Page {number} of {len(pages)}") in on_page, number


def test_the_review_sheet_is_a_tagged_pdf_ua_1_with_the_same_bytes_for_the_same_sources() -> None:
    found = catalogue()
    drawings = review_drawings(found)
    first = render_review(found, drawings, 1_700_000_000)
    assert first == render_review(found, drawings, 1_700_000_000)
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata is not None and reader.metadata.title == "Diagram review sheet"
    assert b"<pdfuaid:part>1</pdfuaid:part>" in first
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    alts = [d.alt for _, drawn in drawings for d in drawn]
    assert all(alts), "PDF/UA-1: every picture has its text alternative"


def test_the_review_sheet_no_longer_goes_through_weasyprint() -> None:
    source = Path(review.__file__).read_text(encoding="utf-8")
    imported = {
        name
        for node in ast.walk(ast.parse(source))
        for name in (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
    }
    assert "weasyprint" not in imported
    assert "generator.outputs.print.render" not in imported


def test_the_review_sheet_is_never_written_into_a_built_site(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = built / "review.pdf"
    assert main(["--root", str(REPO), "review", "--out", str(target)]) == 1
    assert "inside a built site; the sheet holds drafts" in capsys.readouterr().err
    assert not target.exists()
