"""Rasterised diagrams: the right limbs are where they should be, and browsers agree.

The pictures are rendered by cairosvg (as the PNG exports are) and, where
Chromium is installed, compared with what Chromium draws from the same SVG.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import cairosvg
import pytest
from PIL import Image

from generator.diagrams.render import Drawn, draw_exercise
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRE_BROWSER = os.environ.get("BACKRACK_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


def drawing(catalogue: Catalogue, exercise_id: str, phase_id: str) -> Drawn:
    exercise = catalogue.get(exercise_id)
    assert exercise is not None
    return next(d for d in draw_exercise(catalogue.kit, exercise) if d.phase == phase_id)


class Raster:
    """A cairosvg rendering at one pixel per CSS pixel, addressed in scene centimetres."""

    def __init__(self, drawn: Drawn) -> None:
        box = re.search(r'viewBox="(-?\d+) (-?\d+) (\d+) (\d+)" width="(\d+)"', drawn.svg)
        assert box is not None
        left, minus_top, width, _, pixels = (int(v) for v in box.groups())
        self.left, self.top, self.scale = left, -minus_top, pixels / width
        png = cairosvg.svg2png(bytestring=drawn.svg.encode())
        self.image = Image.open(io.BytesIO(png)).convert("RGB")

    def count(self, colour: str, x0: float, x1: float, y0: float, y1: float) -> int:
        """Count pixels of exactly ``colour`` in the scene rectangle x0..x1, y0..y1 (cm)."""
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        px0, px1 = self.px(x0), self.px(x1)
        py0, py1 = self.py(y1), self.py(y0)
        return sum(
            1
            for x in range(max(px0, 0), min(px1, self.image.width))
            for y in range(max(py0, 0), min(py1, self.image.height))
            if self.image.getpixel((x, y)) == rgb
        )

    def top_of(self, colour: str, x0: float, x1: float) -> float:
        """Return the height (cm) of the highest pixel of ``colour`` between x0 and x1."""
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        for y in range(self.image.height):
            for x in range(max(self.px(x0), 0), min(self.px(x1), self.image.width)):
                if self.image.getpixel((x, y)) == rgb:
                    return self.top - y / self.scale
        raise AssertionError(f"no {colour} pixel between x={x0} and x={x1}")

    def px(self, x: float) -> int:
        return round((x - self.left) * self.scale)

    def py(self, y: float) -> int:
        return round((self.top - y) * self.scale)


def test_single_leg_raise_lifts_the_near_leg_and_keeps_the_far_foot_down(
    catalogue: Catalogue,
) -> None:
    palette = catalogue.kit.scene.palette
    ready = Raster(drawing(catalogue, "single-leg-raise", "starting-position"))
    raised = Raster(drawing(catalogue, "single-leg-raise", "raise"))
    # The band just above the floor, left of the rack: where the feet stand.
    near_ready = ready.count(palette.near, -80, 0, 0.5, 5)
    near_raised = raised.count(palette.near, -80, 0, 0.5, 5)
    assert near_ready > 100, "in the starting position the near foot is on the floor"
    assert near_raised == 0, "in the raise the near foot is off the floor"
    assert raised.count(palette.far, -80, 0, 0.5, 5) > 30, "the far foot stays on the floor"
    # The raised knee is higher than the bent knee of the starting position.
    assert raised.top_of(palette.near, -40, 20) > ready.top_of(palette.near, -40, 20) + 5


def test_the_crunch_lifts_the_head_a_little(catalogue: Catalogue) -> None:
    palette = catalogue.kit.scene.palette
    ready = Raster(drawing(catalogue, "stomach-crunch", "preparation"))
    lift = Raster(drawing(catalogue, "stomach-crunch", "lift"))
    rise = lift.top_of(palette.near, 50, 120) - ready.top_of(palette.near, 50, 120)
    assert 5 < rise < 40, rise


def test_getting_on_kneels_off_the_rack(catalogue: Catalogue) -> None:
    palette = catalogue.kit.scene.palette
    kneel = Raster(drawing(catalogue, "getting-on", "kneel"))
    assert kneel.count(palette.near, 0, 90, 0, 80) == 0, "nothing of the figure over the rack"
    assert kneel.top_of(palette.near, -120, 0) > 100, "kneeling upright"


# --- cairosvg and Chromium draw the same picture ----------------------------------------------


def chromium_png(svg_file: Path, width: int, height: int, out: Path) -> Image.Image:
    assert CHROMIUM is not None
    profile = out.parent / "profile"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            svg_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return Image.open(out).convert("RGB")


def ink(image: Image.Image) -> set[tuple[int, int]]:
    """Return the pixels that are clearly not background."""
    return {
        (x, y)
        for x in range(image.width)
        for y in range(image.height)
        if min(image.getpixel((x, y))) < 200  # type: ignore[arg-type]
    }


@pytest.mark.parametrize(
    ("exercise_id", "phase_id"),
    [("stomach-crunch", "lift"), ("single-leg-raise", "raise"), ("getting-on", "sit")],
)
def test_cairosvg_draws_what_chromium_draws(
    catalogue: Catalogue, tmp_path: Path, exercise_id: str, phase_id: str
) -> None:
    if CHROMIUM is None:
        if REQUIRE_BROWSER:
            pytest.fail("Chromium is required here (BACKRACK_REQUIRE_BROWSER=1) but not found")
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it")
    drawn = drawing(catalogue, exercise_id, phase_id)
    svg_file = tmp_path / "diagram.svg"
    svg_file.write_text(drawn.svg, encoding="utf-8")
    browser = chromium_png(svg_file, drawn.width, drawn.height, tmp_path / "chromium.png")
    cairo = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=drawn.svg.encode())))
    cairo = cairo.convert("RGB")
    assert browser.size == cairo.size
    a, b = ink(browser), ink(cairo)
    overlap = len(a & b) / len(a | b)
    assert overlap > 0.99, f"cairosvg and Chromium differ: {overlap:.3f} of ink pixels shared"
