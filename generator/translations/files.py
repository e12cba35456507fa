"""The translation files: ``content/translations/<language>.po``, gettext PO read and written
with babel, one entry per unit (``generator.translations.units``).

An entry's context (``msgctxt``) is the unit's stable id, its ``msgid`` the English source
text, its ``msgstr`` the translation. Two comments make a translation checkable:

- ``#. source <hash>``: the hash of the source text the translation translates;
- ``# approved <hash> by <reviewer> on <date>``: a reviewer approved the translation of
  the source with that hash.

``update`` keeps every translation. When a source text changes, its entry gets the
new ``msgid``, keeps the old one as the previous ``msgid`` and its translation, and is
marked fuzzy: a fuzzy or outdated entry counts as missing, never as a translation,
until a translator checks it and clears the mark. Nothing is ever pre-filled: a new
entry's translation is empty.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, unescape, write_po

from generator.translations.units import Unit

FOLDER = "content/translations"
PREVIOUS = re.compile(r'^#\| msgid "(.*)"\n(?:#.*\n)*msgctxt "(.*)"$', re.MULTILINE)
SOURCE = re.compile(r"^source ([0-9a-f]{12})$")
APPROVED = re.compile(r"^approved ([0-9a-f]{12}) by (.+) on (\d{4}-\d{2}-\d{2})$")


def po_path(root: Path, language: str) -> Path:
    """Return the translation file of a language."""
    return root / FOLDER / f"{language}.po"


def languages(root: Path) -> list[str]:
    """Return the languages that have a translation file, sorted."""
    folder = root / FOLDER
    return sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else []


def read(root: Path, language: str) -> Catalog:
    """Return a language's catalog (empty if it has no file yet)."""
    path = po_path(root, language)
    if not path.is_file():
        return Catalog(locale=language, project="backrack instructions", fuzzy=False)
    data = path.read_bytes()
    catalog = read_po(io.BytesIO(data), locale=language)
    # babel does not read the previous msgid back ("#| msgid"): the translator's tools show
    # it, so it is kept across updates.
    for previous, context in PREVIOUS.findall(data.decode("utf-8")):
        for message in catalog:
            if message.context == unescape(f'"{context}"') and message.id:
                message.previous_id = [unescape(f'"{previous}"')]
    return catalog


def entries(root: Path, language: str, cache: Path | None = None) -> dict[str, Message]:
    """Return a language's translated entries by context (the unit's id).

    ``cache``: the validation cache's folder, where the parse is kept by the file's hash
    (``generator.sources.memo``; parsing is most of the cost of a large file).
    """

    def parse() -> dict[str, Message]:
        return {str(m.context): m for m in read(root, language) if m.id and m.context}

    if cache is None:
        return parse()
    from generator.sources.memo import Checked, Memo

    def checked() -> Checked:
        return Checked(None, parse(), [])

    found: dict[str, Message] = (
        Memo(root, cache).checked(po_path(root, language), "translation entries", checked).value
    )
    return found


def write(root: Path, language: str, catalog: Catalog) -> None:
    """Write a language's catalog (deterministic: no dates in the header)."""
    catalog.creation_date = None  # type: ignore[assignment]
    catalog.revision_date = None  # type: ignore[assignment]
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False, include_previous=True)
    text = out.getvalue().decode("utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith('"POT-Creation'))
    text = "\n".join(line for line in text.splitlines() if not line.startswith('"PO-Revision'))
    path = po_path(root, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")


def _by_context(catalog: Catalog) -> dict[str, Message]:
    return {str(m.context): m for m in catalog if m.id and m.context}


def recorded_source(message: Message) -> str | None:
    """Return the hash of the source text a translation records, if any."""
    for comment in message.auto_comments:
        found = SOURCE.match(comment.strip())
        if found:
            return found.group(1)
    return None


def approvals(message: Message) -> list[tuple[str, str, str]]:
    """Return the approvals of a translation: (source hash, reviewer, date)."""
    found = (APPROVED.match(c.strip()) for c in message.user_comments)
    return [(m.group(1), m.group(2), m.group(3)) for m in found if m]


@dataclass(frozen=True)
class Updated:
    """What an update did to a language's file."""

    added: int
    outdated: int
    """Entries whose source changed: marked fuzzy, their translation kept."""
    obsolete: int


def update(root: Path, language: str, units: list[Unit]) -> Updated:
    """Bring a language's file up to date with the units; keep every translation."""
    old = read(root, language)
    existing = _by_context(old)
    catalog = Catalog(
        locale=language,
        project="backrack instructions",
        version="1",
        msgid_bugs_address="",
        last_translator="",
        language_team="",
        fuzzy=False,
        header_comment=HEADER,
    )
    added = outdated = 0
    for unit in units:
        found = existing.pop(unit.id, None)
        if found is None:
            catalog.add(unit.text, "", context=unit.id, auto_comments=[f"source {unit.digest}"])
            added += 1
            continue
        message = Message(
            unit.text,
            found.string,
            context=unit.id,
            auto_comments=[c for c in found.auto_comments if not SOURCE.match(c.strip())],
            user_comments=list(found.user_comments),
            flags=set(found.flags),
            previous_id=found.previous_id,
        )
        recorded = recorded_source(found) or unit.digest
        if found.id != unit.text:  # the English changed: the translation is outdated
            message.previous_id = [str(found.id)]
            if found.string:
                message.flags.add("fuzzy")
                outdated += 1
        elif found.string and "fuzzy" not in found.flags:
            recorded = unit.digest  # translated and checked against this source
            message.previous_id = []
        message.auto_comments.insert(0, f"source {recorded}")
        catalog[unit.text] = message  # the key is the msgid; the context comes with it
    for message in existing.values():
        catalog.obsolete[catalog._key_for(message.id, message.context)] = message
    write(root, language, catalog)
    return Updated(added, outdated, len(existing))


def approve(root: Path, language: str, reviewer: str, date: str) -> int:
    """Record a reviewer's approval of every current translation not yet approved in its
    present form; return how many were approved. A fuzzy, empty or outdated entry is not."""
    catalog = read(root, language)
    count = 0
    for message in catalog:
        if not message.id or not message.string or "fuzzy" in message.flags:
            continue
        recorded = recorded_source(message)
        if recorded is None or any(h == recorded for h, _, _ in approvals(message)):
            continue
        message.user_comments.append(f"approved {recorded} by {reviewer} on {date}")
        count += 1
    write(root, language, catalog)
    return count


HEADER = """\
# Translations of the backrack instructions: one entry per text a reader sees.
# msgctxt is the text's stable id; msgid the English; msgstr the translation.
# "#. source <hash>" is the English a translation translates; "# approved ..." a
# reviewer's approval of it. Update with: python -m generator translations update"""
