"""What is wrong in a translation file, at its line, for the author (and the translator).

Checked in every validation, with the sources (``generator.sources.validate``):

- the language is one the outputs can be made in (``languages.SUPPORTED``: Latin script, left to
  right); a file of another language is refused, not printed wrong;
- no translation holds right-to-left text, or a character the typeface lacks (the same
  check as the sources', per language: a missing glyph would print as a box);
- a translation keeps the English's placeholders (``{title}``), which the outputs fill in;
- the plain-language rule that has a measure in every language: sentences of at most
  ``MAX_SENTENCE_WORDS`` words (a warning, as for the English). The reading-grade formulas
  (Flesch-Kincaid, SMOG) are English-only and are not applied to translations.

The gate (translated, current, approved, same numbers and trade mark) is not here: it decides
what is published (``gate.py``), and the build and ``status`` report it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from string import Formatter

from generator.errors import Problem
from generator.sources import readability
from generator.sources.fonts import missing_characters
from generator.sources.rules import MAX_SENTENCE_WORDS
from generator.translations import files
from generator.translations.languages import SOURCE_LANGUAGE, SUPPORTED, unsupported

RIGHT_TO_LEFT = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
"""Unicode bidirectional classes of right-to-left text."""


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return {"(unbalanced braces)"}


def language_problems(root: Path, language: str) -> list[Problem]:
    """Return what is wrong in one language's translation file (it alone decides)."""
    return list(_file_problems(root, language))


def _file_problems(root: Path, language: str) -> Iterator[Problem]:
    where = f"{files.FOLDER}/{language}.po"
    if language == SOURCE_LANGUAGE or language not in SUPPORTED:
        yield Problem(where, 1, 1, "(document)", unsupported(language))
        return
    for message in files.read(root, language):
        if not message.id or not message.string or not message.context:
            continue
        text, english = str(message.string), str(message.id)
        line, field = message.lineno or 1, str(message.context)

        def problem(
            what: str, severity: str = "error", line: int = line, field: str = field
        ) -> Problem:
            return Problem(where, line, 1, field, what, severity)

        backwards = sorted({c for c in text if unicodedata.bidirectional(c) in RIGHT_TO_LEFT})
        if backwards:
            yield problem(
                f"right-to-left text ({''.join(backwards)!r}) is not supported: the outputs "
                "would print it in the wrong order"
            )
        missing = missing_characters(text)
        if missing:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
            yield problem(f"the typeface has no glyph for {shown}: it would print as a box")
        if _placeholders(text) != _placeholders(english):
            want = ", ".join(f"{{{n}}}" for n in sorted(_placeholders(english))) or "none"
            yield problem(f"the places to fill in must stay as in the English: {want}")
        for sentence in readability.sentences(text):
            count = len(readability.words(sentence))
            if count > MAX_SENTENCE_WORDS:
                yield problem(
                    f"sentence of {count} words (aim for {MAX_SENTENCE_WORDS} or fewer): "
                    f"'{sentence[:60]}…'",
                    "warning",
                )
