"""The quick-start panel for the box artwork."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import views_of
from test_site import catalogue

from generator.checks.verify import message_texts
from generator.errors import RenderError
from generator.model import Role
from generator.outputs.print.panel import render_panel, text_width, wrap

MM = 72 / 25.4


def test_panel_is_self_contained_sized_and_carries_the_warnings(built: Path) -> None:
    found = catalogue()
    svg = (built / "print" / "quick-start.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    panel = found.printing.panel
    assert root.get("width") == f"{panel.width:g}mm" and root.get("height") == f"{panel.height:g}mm"
    for element in root.iter():
        tag = element.tag.split("}")[1]
        assert tag not in ("script", "image", "foreignObject", "use", "text"), tag
        assert not any("href" in name or name.startswith("on") for name in element.attrib)
    desc = root.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and desc.text
    words = " ".join(desc.text.split())
    for role in (Role.CONTRAINDICATIONS, Role.DOCTOR_NOTICE):
        for resolved in found.shared_by_role(role):
            for part in message_texts(resolved.message):
                if part not in ("WARNING", "DANGER", "CAUTION"):
                    assert part in words, part
    getting_on = next(e for e in found.published if e.section.value == "getting-on")
    assert words.index("Ask your doctor first") < words.index(getting_on.phases[0].title)
    assert svg.count("<svg ") == 1 + len(getting_on.phases) + 1  # panel, diagrams, QR code
    pdf = (built / "print" / "quick-start.pdf").read_bytes()
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert box is not None
    assert abs(float(box[1]) / MM - panel.width) < 0.1
    assert abs(float(box[2]) / MM - panel.height) < 0.1


def test_panel_lines_fit_their_column_and_a_panel_too_small_is_an_error() -> None:
    lines = wrap("Do not use the backrack™ if you have any of these health problems.", 40, 7.5)
    assert len(lines) > 1 and all(text_width(line, 7.5) <= 40 for line in lines)
    with pytest.raises(RenderError, match=r"quick-start panel: the text is \d+\.\d mm too long"):
        found = catalogue()
        render_panel(found, views_of(found), "https://exercises.example.invalid/", 150, 60)
