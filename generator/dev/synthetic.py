"""A synthetic catalogue of any size, derived from the real one, for the benchmark.

Each published exercise but the getting-on one (a catalogue has one way onto the rack) is
copied as often as needed. A copy gets its own id, title and order, a purpose with one
sentence added from a small pool, and its links point at copies of the same round, so every
copy is valid and its text differs from the others. Drafts are kept once, as they are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

#: What a copy needs besides its content.
PROJECT_PARTS = (
    "mkdocs.yml",
    "print.yaml",
    "content",
    "diagrams",
    "generator",
    "templates",
    "schema",
)

#: Plain sentences, one of which is added to each copy's purpose.
EXTRA = (
    "Take your time with each step.",
    "Go slowly and breathe calmly.",
    "Rest on the rack between rounds.",
    "Stop if anything hurts.",
    "Keep your movements small and easy.",
    "Do this on a firm, flat floor.",
    "Wear loose, light clothes.",
)


def copy_project(root: Path, target: Path) -> Path:
    """Copy what a build needs from the project at ``root`` into ``target``; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def synthetic_project(root: Path, count: int, target: Path) -> Path:
    """Copy the project at ``root`` into ``target`` with ``count`` published exercises."""
    copy_project(root, target)
    folder = target / "content" / "exercises"
    sources = sorted(folder.glob("*.yaml"))
    published: list[dict[str, Any]] = []
    for path in sources:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("status") == "published":
            published.append(data)
    if not published:
        raise ValueError("the real catalogue has no published exercise to copy")
    if count < len(published):
        raise ValueError(f"count must be at least {len(published)}, the real catalogue")
    # The getting-on exercise is not copied: a catalogue has one way onto the rack, which the
    # quick-start panel shows.
    pool = [data for data in published if data.get("section") != "getting-on"]
    wanted = [
        (pool[index % len(pool)], index // len(pool) + 2) for index in range(count - len(published))
    ]
    made = {f"{original['id']}-{round_}" for original, round_ in wanted}
    for original, round_ in wanted:
        copy = _variant(original, round_, made)
        text = yaml.safe_dump(copy, sort_keys=False, allow_unicode=True, width=1000)
        (folder / f"{copy['id']}.yaml").write_text(text, encoding="utf-8")
    return target


def _variant(original: dict[str, Any], round_: int, made: set[str]) -> dict[str, Any]:
    """Return copy number ``round_`` of an exercise, linked to the same round's copies
    where they exist (``made``) and to the originals otherwise."""
    copy: dict[str, Any] = yaml.safe_load(yaml.safe_dump(original))

    def rename(exercise_id: str) -> str:
        renamed = f"{exercise_id}-{round_}"
        return renamed if renamed in made else exercise_id

    copy["id"] = rename(original["id"])
    copy["title"] = f"{original['title']} {round_}"
    copy["order"] = original["order"] + 5 * round_
    copy["purpose"] = f"{original['purpose']} {EXTRA[round_ % len(EXTRA)]}"
    prerequisites = copy.get("prerequisites") or {}
    if "exercises" in prerequisites:
        prerequisites["exercises"] = [rename(e) for e in prerequisites["exercises"]]
    links = copy.get("links") or {}
    for key, value in list(links.items()):
        links[key] = rename(value) if isinstance(value, str) else [rename(v) for v in value]
    return copy


# --- languages × products × exercises -----------------------------------------------------------

#: A letter of each language's own alphabet and the plain letter it stands in for: each
#: translation writes it for the first plain one, so that each language's text differs from the
#: English and from the others' (and the typeface's cover of that letter is exercised) without
#: a word, a number or a sentence more, and at about the same width (a text that just fits a
#: card's box still fits: a letter added could push a caption out of it).
MARKERS = {
    "de": ("ä", "a"),
    "fr": ("é", "e"),
    "es": ("ñ", "n"),
    "it": ("ì", "i"),
    "nl": ("ë", "e"),
    "pt": ("ã", "a"),
    "da": ("ø", "o"),
    "sv": ("å", "a"),
    "nb": ("å", "a"),
    "fi": ("ö", "o"),
    "pl": ("ł", "l"),
    "cs": ("ř", "r"),
    "hu": ("ő", "o"),
    "ro": ("ș", "s"),
    "is": ("ð", "d"),
    "sl": ("č", "c"),
    "et": ("õ", "o"),
    "lv": ("ā", "a"),
    "lt": ("ų", "u"),
}

REVIEWER = "the benchmark"
"""Who approves a synthetic translation (``files.approve`` records it in each entry)."""
APPROVED_ON = "2026-01-01"


def translated(text: str, language: str) -> str:
    """Return the synthetic translation of an English text: the text with the language's marker
    letter for the first plain letter it stands in for (not in the trade mark), a sentence
    longer than the translations' limit cut in two (some of the outputs' own English words are
    longer: a translation is held to it). The words, numbers, trade mark and places to fill
    in stay as in the English.

    A text with places to fill in (the outputs' own words: ``{seconds} seconds``, ``about
    {seconds} seconds``) is left unmarked: the checks find one inside another, as a
    translator keeps them."""
    from generator.sources.readability import words
    from generator.sources.rules import MAX_SENTENCE_WORDS

    marker, plain = MARKERS[language]
    tokens: list[str] = []
    count, marked = 0, "{" in text
    for token in text.split(" "):
        if not marked and plain in token and "backrack" not in token:
            token, marked = token.replace(plain, marker, 1), True
        found = len(words(token))
        if tokens and count + found > MAX_SENTENCE_WORDS:
            tokens[-1] += "."
            count = 0
        tokens.append(token)
        count = 0 if re.search(r"[.!?]$", token) else count + found
    return " ".join(tokens)


def synthetic_languages(count: int) -> list[str]:
    """Return ``count`` languages the outputs can be made in, the sources' own first."""
    from generator.translations.languages import SOURCE_LANGUAGE, SUPPORTED

    chosen = [SOURCE_LANGUAGE, *(code for code in SUPPORTED if code != SOURCE_LANGUAGE)]
    if not 1 <= count <= len(chosen):
        raise ValueError(f"languages must be from 1 to {len(chosen)} (languages.SUPPORTED)")
    return chosen[:count]


def synthetic_catalogue(
    root: Path, languages: int, products: int, exercises: int, target: Path
) -> Path:
    """Copy the project at ``root`` into ``target`` as a catalogue of ``languages`` languages ×
    ``products`` products × ``exercises`` published exercises; return it.

    The exercises are ``synthetic_project``'s. The real product is copied ``products`` times
    (its own id and name each), every copy declaring every language. Each language but the
    sources' gets a complete translation file, made and approved through the project's own
    functions (``files.update``, ``files.approve``), its text the English with the language's
    marker (``translated``). The real translation files are replaced.
    """
    from generator.sources.validate import load_catalogue
    from generator.translations import files
    from generator.translations.units import catalogue_units

    codes = synthetic_languages(languages)
    synthetic_project(root, exercises, target)
    path = target / "content" / "products.yaml"
    path.write_text(_products(path.read_text(encoding="utf-8"), products, codes), encoding="utf-8")
    for old in (target / files.FOLDER).glob("*.po"):
        old.unlink()
    catalogue, problems = load_catalogue(target)
    if catalogue is None:
        raise ValueError("the synthetic catalogue is not valid:\n" + "\n".join(map(str, problems)))
    units = catalogue_units(catalogue)
    for language in codes[1:]:
        files.update(target, language, units)
        entries = files.read(target, language)
        for message in entries:
            if message.id and message.context:
                message.string = translated(str(message.id), language)
        files.write(target, language, entries)
        files.approve(target, language, REVIEWER, APPROVED_ON)
    return target


def _products(text: str, count: int, languages: list[str]) -> str:
    """Return ``content/products.yaml`` with its first product copied ``count`` times, each
    copy with its own id and name, every one declaring ``languages``. (Edited as text, not
    dumped, to keep the file's empty fields and comments as they are.)"""
    head, marker, rest = text.partition("\nproducts:\n")
    found = re.search(r"^  - id: (\S+)\n(?:(?!  - ).*\n)*", rest, re.MULTILINE)
    if not marker or found is None:
        raise ValueError("content/products.yaml: no product to copy")
    block = re.sub(
        r"^    languages: .*$",
        f"    languages: [{', '.join(languages)}]",
        found.group(0),
        count=1,
        flags=re.MULTILINE,
    )
    if "    languages: [" not in block:
        raise ValueError("content/products.yaml: the first product declares no languages")
    name = re.search(r"^    name: (.+)$", block, re.MULTILINE)
    assert name is not None
    copies = [block]
    for number in range(2, count + 1):
        copy = block.replace(
            f"  - id: {found.group(1)}\n", f"  - id: {found.group(1)}-{number}\n", 1
        )
        copies.append(copy.replace(name.group(0), f"{name.group(0)} {number}", 1))
    return head + marker + "".join(copies) + rest[found.end() :].replace(found.group(0), "")
