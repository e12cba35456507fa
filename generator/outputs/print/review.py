"""The diagram review sheet: every phase of every exercise, drafts included, on A4 pages.

For clinicians, to approve the pictures in one sitting: each picture with its
exercise, phase, status, caption, generated description (the alt text, in the
words a screen reader says) and the contacts its pose states (what rests on or
lies along what, where the hands are, what moves from the phase before). It
holds drafts, so it is never part of the site: ``python -m generator review``
writes it where it is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from generator.diagrams.kit import Kit
from generator.diagrams.render import Drawn, contact_sentences
from generator.model import Exercise
from generator.outputs.print.render import layout, write_pdf
from generator.sources.catalogue import Catalogue
from generator.sources.fonts import font_face_css, font_files

CSS = """
@page { size: A4 landscape; margin: 10mm;
        @top-left { content: "Diagram review sheet: every phase, drafts included. "
                             "Not for publication."; font-size: 9pt; color: #444; }
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
html { font-family: "Atkinson Hyperlegible", sans-serif; font-size: 9.5pt; line-height: 1.25;
       color: #1a1a1a; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
p.intro { margin: 0 0 4mm; }
table.grid { border-collapse: separate; border-spacing: 2mm; width: 100%; table-layout: fixed; }
table.grid tr { break-inside: avoid; }
.cell { vertical-align: top; border: 0.3mm solid #999; padding: 2mm; }
.cell h2 { font-size: 10.5pt; margin: 0 0 1mm; }
.status { font-weight: bold; }
.draft { color: #8a1c00; }
.cell img { width: 55mm; height: auto; display: block; margin: 1mm auto; }
.label { font-weight: bold; }
.cell p { margin: 0 0 1mm; }
.cell ul { margin: 0 0 1mm; padding-left: 4mm; }
"""


def review_html(
    catalogue: Catalogue, drawings: Sequence[tuple[Exercise, list[Drawn]]], date: str
) -> str:
    """Return the review sheet's HTML: a cell per phase, in catalogue order."""
    kit = catalogue.kit
    cells = []
    for exercise, drawn in drawings:
        status = "published" if exercise.published else "draft (never published)"
        for index, (phase, diagram) in enumerate(zip(exercise.phases, drawn, strict=True)):
            contacts = _contacts(kit, exercise, index)
            cells.append(
                '<td class="cell">'
                f"<h2>{escape(exercise.title)}: {index + 1}. {escape(phase.title)}</h2>"
                f'<p><span class="status{" draft" if not exercise.published else ""}">'
                f"{escape(status)}</span> · {escape(exercise.id)} · phase {escape(phase.id)}"
                f" · pose {escape(phase.pose)}</p>"
                f'<img src="resource:{escape(diagram.path)}" alt="{escape(diagram.alt)}">'
                f'<p><span class="label">Caption:</span> {escape(phase.caption or "(none)")}</p>'
                f'<p><span class="label">Description (alt text):</span> {escape(diagram.alt)}</p>'
                '<p class="label">Contacts the pose states:</p>'
                f"<ul>{''.join(f'<li>{escape(c)}</li>' for c in contacts) or '<li>(none)</li>'}"
                "</ul></td>"
            )
    phases = len(cells)
    cells += ["<td></td>"] * (-len(cells) % 3)
    rows = "".join(f"<tr>{''.join(cells[i : i + 3])}</tr>" for i in range(0, len(cells), 3))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Diagram review sheet</title>"
        f'<meta name="dcterms.created" content="{date}">'
        f'<meta name="dcterms.modified" content="{date}">'
        f"<style>{font_face_css('resource:fonts/')}{CSS}</style></head><body>"
        "<h1>Diagram review sheet</h1>"
        f'<p class="intro">{len(drawings)} exercises, {phases} phases, drafts included. For each'
        " picture: does it show what the caption, the description and the contacts say? Mark"
        " any that does not, with the exercise and phase.</p>"
        f'<table class="grid">{rows}</table></body></html>'
    )


def _contacts(kit: Kit, exercise: Exercise, index: int) -> list[str]:
    pose = kit.poses[exercise.phases[index].pose]
    return list(contact_sentences(pose, after_a_phase=index > 0))


def render_review(
    catalogue: Catalogue, drawings: Sequence[tuple[Exercise, list[Drawn]]], epoch: int
) -> bytes:
    """Return the review sheet as PDF bytes."""
    resources = {f"fonts/{name}": data for name, data in font_files().items()}
    for _, drawn in drawings:
        resources |= {d.path: d.svg.encode() for d in drawn}
    date = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with layout(review_html(catalogue, drawings, date), resources) as rendered:
        return write_pdf(rendered, f"review-{epoch}".encode())
