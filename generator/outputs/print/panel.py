"""The quick-start panel for the box artwork, laid out by Typst (``templates/print/panel.typ``).

One page, read top to bottom: the title; the safety texts every exercise
carries, before anything else (the doctor notice, the contraindications, the
cautions and the stop rule, each in the look it has in every output: band,
safety-alert triangle, signal word); how to get on the rack, each phase's
picture and title; the address of the whole instructions, as text and QR
code; the identity line (product · maker's web address · document id and
version). A preview (not a release build) says so in the bleed, where it is
cut off. What it keeps of the getting-on exercise is declared in
``generator.outputs.contract.ABRIDGED``.

The panel goes to the packaging printer: its page is the trim size with 3 mm
of bleed on each side, made print-ready (PDF/X, CMYK, TrimBox and BleedBox,
crop marks outside the bleed) by ``generator.outputs.print.prepress``.

Nothing is shrunk to fit: text is 9 pt or larger. A text that does not fit
its place fails the build, naming the source file and field it was written
in and by how much it is too long; so does a line that runs out of the
panel's margins.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from generator.errors import RenderError
from generator.model import Exercise, Section
from generator.outputs import paths
from generator.outputs.identity import identity
from generator.outputs.print import data
from generator.outputs.print.prepress import for_print_shop
from generator.outputs.print.qr import qr_svg
from generator.outputs.print.readback import text_outside
from generator.outputs.print.source import exercise_file, locate
from generator.outputs.print.typeset import query, typeset
from generator.outputs.view import ExerciseView
from generator.outputs.words import LEGEND, WORDS, legend_marks, preview_mark
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.palette import PROJECT

TEMPLATE = "panel.typ"
MARGIN = 5.0
"""Text stays this far (mm) inside the trim."""
BLEED = 3.0
"""Bleed on each side (mm), as the print shop's other files have."""
PICTURE_HEIGHT = 30.0
"""The tallest picture is at most this high (mm); all are drawn at one scale."""

TOO_LONG = "shorten it or make the panel larger (print.yaml, panel:)"


def getting_on(catalogue: Catalogue) -> Exercise:
    """Return the published exercise the panel shows: how to get on the rack."""
    found = next((e for e in catalogue.published if e.section is Section.GETTING_ON), None)
    if found is None:
        raise RenderError("quick-start panel: no published getting-on exercise")
    return found


def identity_line(catalogue: Catalogue) -> str:
    """Return the panel's identity line: product · maker's web address · document id and
    version ("to be confirmed" where a field is not yet known)."""
    found = identity(catalogue)
    return WORDS["identity_panel"].format(
        product=found["product"]["name"],
        web=found["maker"]["web"] or WORDS["to_be_confirmed"],
        document=found["document"]["id"],
        version=found["document"]["version"],
    )


def panel_data(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    site_url: str,
    size: tuple[float, float],
    root: Path = PROJECT,
    bleed: float = BLEED,
    preview: bool = False,
) -> dict[str, Any]:
    """Return the data the panel template is laid out from (``size``: trim width and height
    in mm; ``preview``: mark it as not for release, in the bleed)."""
    exercise = getting_on(catalogue)
    view = views[exercise.id]
    product = catalogue.shared.product
    url = f"{site_url.rstrip('/')}/"
    heading = WORDS["panel_heading"].format(product=product)
    return data.common(root, exercise.language) | {
        "panel": {
            "title": heading,
            "heading": heading,
            "description": f"{exercise.title}: {exercise.purpose}",
            "product": product,
            "width": size[0],
            "height": size[1],
            "margin": MARGIN,
            "bleed": bleed,
            "picture_height": PICTURE_HEIGHT,
            "more": WORDS["panel_more"],
            "url": url,
            "qr": qr_svg(url).decode(),
            "qr_alt": WORDS["qr"].format(url=url),
            "identity": identity_line(catalogue),
            "preview": preview,
            "preview_text": preview_mark(),
        },
        "messages": data.messages(view.notice + view.general),
        "getting_on": {
            "title": exercise.title,
            "legend": [LEGEND[mark] for mark in legend_marks(view.phases)],
            "phases": [
                {
                    "number": entry.number,
                    "title": entry.phase.title,
                    "diagram": {
                        "svg": entry.diagram.svg,
                        "alt": entry.diagram.alt,
                        "width": entry.diagram.width,
                        "height": entry.diagram.height,
                    },
                }
                for entry in view.phases
            ],
        },
    }


def render_panel(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    site_url: str,
    width: float,
    height: float,
    root: Path = PROJECT,
    bleed: float = BLEED,
    epoch: int = 0,
    preview: bool = False,
) -> bytes:
    """Return the panel of ``width`` × ``height`` mm (plus ``bleed`` each side) as Typst lays
    it out, a tagged PDF (PDF/UA-1: a title, a language, alt text on every picture), before
    the print shop's step; fail, naming the source, if a text does not fit."""
    laid_out = panel_data(catalogue, views, site_url, (width, height), root, bleed, preview)
    _check_fit(catalogue, query(root, TEMPLATE, laid_out, "panel-fit")[0], height)
    pdf = typeset(root, TEMPLATE, laid_out, epoch)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if pages != 1:
        raise RenderError(
            f"{exercise_file(getting_on(catalogue))}: quick-start panel: the panel takes "
            f"{pages} pages; {TOO_LONG}"
        )
    problems = [
        f"{locate(catalogue, line.text, getting_on(catalogue))}: quick-start panel: a line runs "
        f"{line.by:.1f} mm out of the panel's margins: {line.text[:40]!r}"
        for line in text_outside(pdf, MARGIN + bleed)
        if line.text != preview_mark()  # the preview mark, in the bleed
    ]
    if problems:
        raise RenderError("\n".join(problems))
    return pdf


def _check_fit(catalogue: Catalogue, fit: Mapping[str, Any], height: float) -> None:
    """Raise if the safety texts do not fit the room the panel leaves them."""
    room, tallest = float(fit["room"]), float(fit["tallest"])
    exercise = getting_on(catalogue)
    frame = float(fit["head"]) + float(fit["foot"]) + 2 * float(fit["gap"])
    if frame > height - 2 * MARGIN:
        raise RenderError(
            f"{exercise_file(exercise)}: title, phases.*.title: quick-start panel: the title, "
            f"the pictures and the address alone are {frame - height + 2 * MARGIN:.1f} mm too "
            f"long for the panel's {height:g} mm; {TOO_LONG}"
        )
    if tallest <= room + 0.05:
        return
    over = fit["over"] or {"text": "", "ref": None}
    source = locate(catalogue, str(over["text"]), exercise, over["ref"])
    raise RenderError(
        f"{source}: quick-start panel: the text is {tallest - room:.1f} mm too long; {TOO_LONG}"
    )


def panel_files(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    settings: Settings,
    publication: str,
) -> dict[str, bytes]:
    """Return a publication's panel, print-ready for the packaging printer (``catalogue``: the
    publication's own, ``Publication.catalogue``)."""
    panel = catalogue.printing.panel
    pdf = render_panel(
        catalogue,
        views,
        settings.site_url,
        panel.width,
        panel.height,
        settings.root,
        BLEED,
        settings.epoch,
        preview=not settings.release,
    )
    return {paths.panel(publication): _for_print_shop(pdf, catalogue, settings.root)}


def _for_print_shop(pdf: bytes, catalogue: Catalogue, root: Path) -> bytes:
    """Return the panel for the packaging printer: PDF/X in CMYK, TrimBox and BleedBox, crop
    marks outside the bleed."""
    panel = catalogue.printing.panel
    title = (
        f"{WORDS['panel_heading'].format(product=catalogue.shared.product)} (box panel, print shop)"
    )
    identifier = hashlib.sha256(f"panel:{panel.width}x{panel.height}".encode()).hexdigest()[:32]
    return for_print_shop(pdf, bleed=BLEED, title=title, identifier=identifier.encode(), root=root)
