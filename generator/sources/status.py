"""The content status report (``python -m generator status``): per publication, what is
published, what is still a draft and why, which identity fields are not yet known, and why a
release build would be refused.

A publication is, for now, a product's instructions in one of its languages
(``identity.document_id``, e.g. ``backrack-en``) with the whole published
sequence. Why an exercise is a draft is read from its source: the comment at
the top of the file (``# Draft: ...``), and the parts a published exercise needs
that it does not have yet.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.model import Exercise
from generator.outputs.identity import document_id, release_problems
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.products import identity_gaps

EXERCISES_DIR = "content/exercises"
_BOILERPLATE = re.compile(r"\s*Drafts are checked but never published\.?\s*")


def draft_reason(root: Path, exercise: Exercise) -> str:
    """Return why ``exercise`` is a draft, as its source says it: the comment at the top of the
    file (without the schema line and the reminder that drafts are never published)."""
    noted = _leading_comment(root / EXERCISES_DIR / f"{exercise.id}.yaml")
    noted = _BOILERPLATE.sub(" ", re.sub(r"^Draft:\s*", "", noted)).strip()
    return noted or "no reason written in the source (add '# Draft: why' at its top)"


def still_missing(exercise: Exercise) -> list[str]:
    """Return what a published exercise needs that this draft does not have yet."""
    return [
        name
        for name, present in (
            ("purpose", exercise.purpose),
            ("phases with steps", any(p.steps for p in exercise.phases)),
        )
        if not present
    ]


def _leading_comment(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    comment = []
    for line in lines:
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if not text.startswith("yaml-language-server:"):
            comment.append(text)
    return " ".join(t for t in comment if t)


def status_report(catalogue: Catalogue, settings: Settings) -> str:
    """Return the status report as plain text, one block per publication."""
    titles = {info.id: info.title for info in catalogue.shared.sections}
    refused = release_problems(catalogue, settings)
    blocks = []
    for product in catalogue.products.products:
        gaps = identity_gaps(catalogue.products, product)
        for language in product.languages:
            publication = document_id(product, language)
            lines = [f"{publication}: the {product.name} instructions, language {language!r}"]
            lines.append(f"  published exercises ({len(catalogue.published)}):")
            for info, exercises in catalogue.sections():
                names = ", ".join(e.title for e in exercises) or "none yet (nothing published)"
                lines.append(f"    {info.title}: {names}")
            drafts = [e for e in catalogue.drafts if e.language.split("-")[0] == language]
            lines.append(f"  drafts, not published ({len(drafts)}):")
            for draft in drafts:
                lines.append(f"    {draft.title} ({draft.id}; part: {titles[draft.section]})")
                lines.append(f"      why: {draft_reason(settings.root, draft)}")
                if missing := still_missing(draft):
                    lines.append(f"      not written yet: {', '.join(missing)}")
            if not drafts:
                lines.append("    none")
            lines.append(f"  identity fields not yet known ({len(gaps)}):")
            lines.append("    " + (", ".join(gaps) or "none"))
            lines.append(licence_status(catalogue))
            own = [r.removeprefix(f"{publication}: ") for r in refused if r.startswith(publication)]
            if own:
                lines.append(
                    f"  a release build would be refused ({len(own)} reason(s)); "
                    "no output is made, neither the website and API nor the print files:"
                )
                lines += [f"    - {reason}" for reason in own]
            else:
                lines.append("  a release build would not be refused")
            blocks.append("\n".join(lines))
    blocks += translation_status(catalogue, settings)
    return "\n\n".join(blocks) + "\n"


def licence_status(catalogue: Catalogue) -> str:
    """Return the line on the terms of reuse of the API and the embeds (open until the maker
    sets ``licence`` in ``content/products.yaml``)."""
    if catalogue.products.licence:
        return f"  terms of reuse (API, embeds): {catalogue.products.licence}"
    return (
        "  open field: the terms of reuse (API, embeds) are not yet set "
        "(content/products.yaml: licence); only the maker can set them"
    )


def translation_status(catalogue: Catalogue, settings: Settings) -> list[str]:
    """Return a block per translation: whether a release makes it, which exercises it may
    publish, and each entry that holds one back (language, entry, why, exercises)."""
    from generator.translations.apply import translation
    from generator.translations.files import FOLDER, languages
    from generator.translations.gate import grouped
    from generator.translations.languages import SOURCE_LANGUAGE

    declared = {lang for p in catalogue.products.products for lang in p.languages}
    blocks = []
    for language in sorted((set(languages(settings.root)) | declared) - {SOURCE_LANGUAGE}):
        found = translation(settings.root, catalogue, language)
        release = (
            "a release makes it (content/products.yaml declares it)"
            if language in declared
            else "a release leaves it out (no product declares it in content/products.yaml)"
        )
        lines = [f"translation {language!r} ({found.name}), {FOLDER}/{language}.po: {release}"]
        for exercise in catalogue.published:
            gaps = found.gaps.get(exercise.id, ())
            state = "may be published" if not gaps else f"held back by {len(gaps)} entries"
            lines.append(f"  {exercise.id}: {state}")
        if not found.complete:
            lines.append("  a preview marks it 'translation not yet reviewed'; entries to finish:")
            lines += [f"    - {line}" for line in grouped(found.all_gaps())]
        blocks.append("\n".join(lines))
    return blocks
