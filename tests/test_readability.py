"""Reading-grade measures, checked against figures worked out by hand."""

from __future__ import annotations

import pytest

from generator import readability


@pytest.mark.parametrize(
    ("word", "count"),
    [("the", 1), ("rack", 1), ("spine", 1), ("gently", 2), ("abdominal", 4), ("vertebrae", 3)],
)
def test_syllables_from_the_pronouncing_dictionary(word: str, count: int) -> None:
    assert readability.syllables(word) == count


def test_syllables_of_an_unknown_word_are_estimated_from_vowel_groups() -> None:
    assert readability.syllables("backrack") == 2
    assert readability.syllables("zzz") == 1


def test_grades_of_a_short_text_match_the_formulas() -> None:
    # 2 sentences, 7 words, 7 syllables, no word of 3 or more syllables:
    # FK = 0.39 * 7/2 + 11.8 * 7/7 - 15.59 = -2.425; SMOG = 1.043 * sqrt(0) + 3.1291
    result = readability.measure(["Lie on the rack. Bend your knees."])
    assert (result.sentences, result.words) == (2, 7)
    assert result.flesch_kincaid == -2.4
    assert result.smog == 3.1


def test_long_words_raise_both_grades() -> None:
    plain = readability.measure(["Lie on the rack and rest."])
    medical = readability.measure(["Decompression mobilises intervertebral articulations."])
    assert medical.flesch_kincaid > plain.flesch_kincaid + 10
    assert medical.smog > plain.smog + 5


def test_text_without_end_punctuation_is_one_sentence() -> None:
    assert readability.sentences("Tensing your neck") == ["Tensing your neck"]
    assert readability.measure([]).words == 0
