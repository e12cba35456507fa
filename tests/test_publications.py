"""Publications: a product's instructions in a language, each with its own booklet, home-print
sheets and panel, holding only its sizes and its exercises, and re-rendered only when what it
includes changes.

The second product here is a test fixture (a rack of one size for the basic exercises), not a
product of the maker's: content/products.yaml names only the backrack™.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITE_URL, edit
from test_site import copy_project

from generator.build import build
from generator.checks.extract import pdf_text
from generator.checks.verify import message_texts
from generator.outputs import paths
from generator.outputs.print.source import squeeze
from generator.sources.publications import publications
from generator.sources.validate import load_catalogue

BASIC = "basic-rack"
BASIC_EXERCISES = ("getting-on", "starting-position", "single-leg-raise")
SECOND_PRODUCT = f"""  - id: {BASIC}
    name: basic rack
    description: >-
      A test product: a rack of one size, for the basic exercises only.
    intended_use: >-
      To test the build. It is not sold.
    sizes:
      - name: medium
        model: TEST-1
        height_min_m: 1.60
        height_max_m: 1.80
        height_imperial: 5 ft 3 in to 5 ft 11 in tall
    languages: [en]
    exercises: [{", ".join(BASIC_EXERCISES)}]
"""


@pytest.fixture
def two_products(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    path = root / "content" / "products.yaml"
    path.write_text(path.read_text(encoding="utf-8") + SECOND_PRODUCT, encoding="utf-8")
    return root


def test_each_product_is_a_publication_with_its_own_exercises(two_products: Path) -> None:
    found, problems = load_catalogue(two_products)
    assert found is not None, problems
    made = {p.id: p for p in publications(found)}
    assert list(made) == ["backrack-en", f"{BASIC}-en"]
    basic = made[f"{BASIC}-en"].catalogue(found)
    assert tuple(e.id for e in basic.published) == BASIC_EXERCISES
    assert [p.id for p in basic.products.products] == [BASIC]
    assert len(made["backrack-en"].catalogue(found).published) == len(found.published)


def test_two_products_give_two_booklets_each_with_its_sizes_and_exercises(
    two_products: Path,
) -> None:
    result = build(two_products, site_url=SITE_URL)
    site = result.site_dir
    found, _ = load_catalogue(two_products)
    assert found is not None
    whole = squeeze(pdf_text((site / paths.booklet("backrack-en")).read_bytes()))
    basic = squeeze(pdf_text((site / paths.booklet(f"{BASIC}-en")).read_bytes()))
    # Its own sizes: the backrack™'s two, the test product's one.
    assert squeeze("1.55") in whole and squeeze("2.00") in whole and "TEST-1" not in whole
    assert "TEST-1" in basic and squeeze("1.60 m to 1.80 m") in basic
    assert squeeze("1.55 m") not in basic and squeeze("2.00 m") not in basic
    for exercise in found.published:
        opening = squeeze(f"{exercise.title} {exercise.purpose}")
        assert opening in whole, exercise.id
        assert (opening in basic) == (exercise.id in BASIC_EXERCISES), exercise.id
        if exercise.id not in BASIC_EXERCISES:
            continue
        # Every safety message of every exercise it includes, and each step's messages.
        resolved = list(found.safety(exercise))
        for phase in exercise.phases:
            for step in phase.steps:
                resolved += found.resolve_all(step.safety)
        for message in resolved:
            for text in message_texts(message.message):
                assert squeeze(text) in basic, (exercise.id, text)
    for name in ("booklet-imposed.pdf", "cards-a4.pdf", "cards-letter-light-ink.pdf"):
        assert (site / paths.publication(f"{BASIC}-en") / name).is_file(), name
    sheets = squeeze(pdf_text((site / paths.sheets(f"{BASIC}-en", "a4")).read_bytes()))
    assert squeeze("Stomach crunch") not in sheets and squeeze("Getting on the rack") in sheets


def test_changing_one_exercise_re_renders_only_the_publications_that_include_it(
    two_products: Path,
) -> None:
    build(two_products, site_url=SITE_URL)
    edit(
        two_products,
        "content/exercises/stomach-crunch.yaml",
        "      - Put your hands behind your head.\n",
        "      - Put both hands behind your head.\n",
    )
    result = build(two_products, site_url=SITE_URL)
    rendered = set(result.rendered)
    assert "booklet:backrack-en" in rendered and "exercise:stomach-crunch" in rendered
    assert "sheets:backrack-en" in rendered  # imposed again from the changed card
    assert f"booklet:{BASIC}-en" not in rendered and f"panel:{BASIC}-en" not in rendered
    assert f"sheets:{BASIC}-en" not in rendered
    edit(
        two_products,
        "content/exercises/single-leg-raise.yaml",
        "version: 1\n",
        "version: 2\n",
    )
    rendered = set(build(two_products, site_url=SITE_URL).rendered)
    assert {"booklet:backrack-en", f"booklet:{BASIC}-en"} <= rendered
