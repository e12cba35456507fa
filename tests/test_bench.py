"""The scale benchmark's catalogues and the languages it builds in (nothing here is timed:
``python -m generator.bench`` prints the figures)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import material
import pytest
from babel import Locale

from generator.__main__ import main
from generator.bench import _pss, _stage_times, parse_size
from generator.build import build, languages_to_make
from generator.dev.synthetic import MARKERS, synthetic_catalogue, synthetic_languages, translated
from generator.engine import timing
from generator.outputs.print.source import squeeze
from generator.settings import read_settings
from generator.sources.fonts import missing_characters
from generator.sources.readability import sentences, words
from generator.sources.rules import MAX_SENTENCE_WORDS
from generator.sources.validate import load_catalogue
from generator.translations import files
from generator.translations.gate import _numbers
from generator.translations.languages import SOURCE_LANGUAGE, SUPPORTED

REPO = Path(__file__).resolve().parent.parent

#: The letters of each language's alphabet beyond a to z (lower case; upper case checked too).
ALPHABETS = {
    "en": "",
    "de": "äöüß",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "es": "áéíñóúü",
    "it": "àèéìíîòóùú",
    "nl": "áéëïóöü",
    "pt": "áâãàçéêíóôõú",
    "da": "æøå",
    "sv": "åäö",
    "nb": "æøå",
    "fi": "äöåšž",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "hu": "áéíóöőúüű",
    "ro": "ăâîșț",
    "is": "áðéíóúýþæö",
    "sl": "čšž",
    "et": "äöõüšž",
    "lv": "āčēģīķļņšūž",
    "lt": "ąčęėįšųūž",
}


def test_every_supported_language_has_its_alphabet_listed_here() -> None:
    assert set(SUPPORTED) == set(ALPHABETS)


@pytest.mark.parametrize("language", sorted(SUPPORTED))
def test_a_supported_language_is_drawn_by_the_typeface_and_known_to_the_theme_and_babel(
    language: str,
) -> None:
    letters = set("abcdefghijklmnopqrstuvwxyz" + ALPHABETS[language])
    letters |= {c.upper() for c in letters if len(c.upper()) == 1}  # ß has no one-letter capital
    assert missing_characters("".join(sorted(letters))) == []
    partials = Path(material.__file__).parent / "templates" / "partials" / "languages"
    assert (partials / f"{language}.html").is_file()
    assert Locale.parse(language).language == language


@pytest.mark.parametrize("language", sorted(set(SUPPORTED) - {SOURCE_LANGUAGE}))
def test_a_synthetic_translation_keeps_what_the_gate_and_the_checks_ask(language: str) -> None:
    assert MARKERS[language][0] in ALPHABETS[language]
    english = (
        "Lie on the rack for 2 minutes with your knees bent, your feet flat on the floor, your "
        "arms by your sides and your head on a thin pillow, then roll onto your side to get up "
        "from the backrack™ onto the floor."
    )
    text = translated(english, language)
    assert text != english
    assert _numbers(text) == _numbers(english)
    assert text.count("backrack™") == 1
    assert words(text) and len(words(text)) == len(words(english))
    assert all(len(words(s)) <= MAX_SENTENCE_WORDS for s in sentences(text))
    assert missing_characters(text) == []
    # the outputs' own words with places to fill in stay as they are: the checks find
    # "{seconds} seconds" inside "about {seconds} seconds"
    assert translated("about {seconds} seconds", language) == "about {seconds} seconds"


def test_twenty_languages_can_be_asked_for() -> None:
    chosen = synthetic_languages(20)
    assert chosen[0] == SOURCE_LANGUAGE and len(set(chosen)) == 20
    assert set(chosen) <= set(SUPPORTED)


def test_a_catalogue_of_languages_products_and_exercises_is_valid_complete_and_approved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = synthetic_catalogue(REPO, 2, 2, 8, tmp_path / "p")
    catalogue, problems = load_catalogue(project)
    assert catalogue is not None
    assert [str(p) for p in problems] == []  # not even a warning: check --strict passes
    assert main(["--root", str(project), "check", "--strict"]) == 0
    assert len(catalogue.published) == 8
    products = catalogue.products.products
    assert [p.id for p in products] == ["backrack", "backrack-2"]
    assert len({p.name for p in products}) == 2
    assert all(p.languages == ["en", "de"] for p in products)
    assert files.languages(project) == ["de"]

    settings = read_settings(project, True).dated(catalogue.latest_review)
    made = languages_to_make(project, catalogue, settings)
    assert [t.language for t in made] == ["en", "de"]
    for language in made:
        assert language.all_gaps() == []  # translated, current and approved: nothing held back
        assert language.speech.reviewed
    german = made[1].catalogue
    assert {e.title for e in german.published}.isdisjoint({e.title for e in catalogue.published})
    entries = [m for m in files.read(project, "de") if m.id]
    assert entries and all(files.approvals(m) for m in entries)


@pytest.mark.parametrize(
    ("size", "shape"), [("real", None), ("20x2x50", (20, 2, 50)), ("2x1x8", (2, 1, 8))]
)
def test_a_size_is_real_or_languages_products_and_exercises(
    size: str, shape: tuple[int, int, int] | None
) -> None:
    assert parse_size(size) == shape


def test_a_size_of_another_form_is_refused() -> None:
    with pytest.raises(SystemExit):
        parse_size("1000")


def test_a_small_catalogue_builds_every_publication_at_a_real_address(tmp_path: Path) -> None:
    project = synthetic_catalogue(REPO, 2, 2, 6, tmp_path / "p")
    result = build(project, strict=True, site_url="https://exercises.backrack.test/")
    booklets = {u for u in result.rendered if "booklet:" in u}
    assert booklets == {
        "booklet:backrack-en",
        "booklet:backrack-2-en",
        "de/booklet:backrack-de",
        "de/booklet:backrack-2-de",
    }
    assert "unreviewed" not in result.summary and "not yet reviewed" not in result.summary


def test_a_hyphen_typst_repeats_on_the_next_line_reads_back_as_one() -> None:
    # cs, hr, pl, pt, sk: "half-" at a line's end, "-way" at the next one's start
    assert squeeze("Stop half- -way as you roll down.") == squeeze(
        "Stop half-way as you roll down."
    )
    assert squeeze("half\ufffe -way") == squeeze("half-way")
    assert squeeze("a - -b") != squeeze("a -b")


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_stage_timed_within_another_is_counted_once() -> None:
    """Loading is timed inside validation: the benchmark shows validation's own time, once
    (its CPU time was once taken out twice, and shown below zero)."""
    timing.take()
    with timing.without("validate", "load"):
        with timing.stage("load"):
            _busy(0.05)
        _busy(0.05)
    stages = _stage_times(timing.take())
    assert 0.04 < stages["load"][1] < 0.5
    assert 0.04 < stages["validate"][1] < stages["validate"][0] + 0.01


def test_memory_is_read_per_process_and_an_ended_one_counts_nothing() -> None:
    own, ended = _pss([os.getpid(), 2**22 + 1])
    assert own > 10  # this test process, in MB
    assert ended == 0.0
