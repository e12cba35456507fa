"""The safety gate on what was built: read the output back and check it.

The sources are gated in ``validate``; this module checks the rendered result,
so that a template change cannot drop a warning silently. For every published
exercise the web page must carry, as text, the doctor notice and every safety
message, each before the steps it concerns; no draft may have a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from generator.checks.scan import scan_site
from generator.model import Exercise, Message
from generator.sources.catalogue import Catalogue, Resolved


@dataclass
class PageText:
    """The visible text of a page's main content, and where its steps start."""

    text: str = ""
    """All text, white space collapsed, in document order."""
    steps: list[int] = field(default_factory=list)
    """Offset in ``text`` where each numbered step starts."""


class _Extractor(HTMLParser):
    """Collect the text inside ``<article>`` and the start of each ``ol.step-list > li``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self._chunks: list[str] = []
        self._article = 0
        self._in_steps = 0
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article":
            self._article += 1
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "ol" and "step-list" in classes:
            self._in_steps += 1
        if tag == "li" and self._in_steps and self._article:
            self.page.steps.append(len(self._joined()))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article -= 1
        if tag in ("script", "style", "template"):
            self._hidden -= 1
        if tag == "ol" and self._in_steps:
            self._in_steps -= 1

    def handle_data(self, data: str) -> None:
        if self._article and not self._hidden:
            self._chunks.append(data)

    def _joined(self) -> str:
        joined = " ".join(" ".join(self._chunks).split())
        return joined + " " if joined else ""

    def close(self) -> None:
        super().close()
        self.page.text = self._joined()


def page_text(html: str) -> PageText:
    """Return the main text of an HTML page and the offsets of its steps."""
    extractor = _Extractor()
    extractor.feed(html)
    extractor.close()
    return extractor.page


def message_texts(message: Message) -> list[str]:
    """Return the texts that must appear for a message: its signal word and every line."""
    parts = [message.signal.value if message.signal else None, message.title, message.hazard]
    parts += [*message.avoid, *message.text, *message.items, message.consequence]
    return [" ".join(p.split()) for p in parts if p]


def check_exercise_text(page: PageText, catalogue: Catalogue, exercise: Exercise) -> list[str]:
    """Return what is missing or misplaced in one exercise's extracted text."""
    failures: list[str] = []
    if not page.steps:
        return [f"{exercise.id}: no numbered steps found"]
    first_step = page.steps[0]
    for resolved in catalogue.resolve_all(exercise.safety):
        failures += _require_before(page.text, resolved, first_step, 0, exercise.id, "first step")
    number = 0
    for phase in exercise.phases:
        for step in phase.steps:
            start = page.steps[number] if number < len(page.steps) else len(page.text)
            earlier = page.steps[number - 1] if number else 0
            for resolved in catalogue.resolve_all(step.safety):
                failures += _require_before(
                    page.text, resolved, start, earlier, exercise.id, f"step {number + 1}"
                )
            number += 1
    if number != len(page.steps):
        failures.append(f"{exercise.id}: {len(page.steps)} steps shown, {number} in the source")
    return failures


def _require_before(
    text: str, resolved: Resolved, limit: int, after: int, exercise_id: str, where: str
) -> list[str]:
    failures = []
    for part in message_texts(resolved.message):
        found = text.find(part, after)
        if found < 0:
            failures.append(f"{exercise_id}: missing safety text {part!r}")
        elif found >= limit:
            failures.append(f"{exercise_id}: safety text {part!r} stands after the {where}")
    return failures


def verify_site(site_dir: Path, catalogue: Catalogue, *, offline: bool = False) -> list[str]:
    """Return every safety failure in a built site (empty when it is sound).

    The offline copy has ``<page>.html`` files instead of folders, and only the
    SVG diagrams (its pages show those; the PNG and PDF copies are for designers).
    """
    failures: list[str] = []
    for exercise in catalogue.published:
        page = site_dir / "exercises" / exercise.id / "index.html"
        if offline:
            page = site_dir / "exercises" / f"{exercise.id}.html"
        if not page.is_file():
            failures.append(f"{exercise.id}: page {page.relative_to(site_dir)} is missing")
            continue
        extracted = page_text(page.read_text(encoding="utf-8"))
        failures += check_exercise_text(extracted, catalogue, exercise)
        failures += _missing_diagrams(site_dir, exercise, ("svg",) if offline else DIAGRAM_FORMATS)
    failures += scan_site(site_dir)
    for draft in catalogue.drafts:
        for folder in ("exercises", "diagrams"):
            if (site_dir / folder / draft.id).exists() or (
                site_dir / folder / f"{draft.id}.html"
            ).exists():
                failures.append(f"{draft.id}: a draft was published in {folder}/")
    return failures


DIAGRAM_FORMATS = ("svg", "png", "pdf")


def _missing_diagrams(site_dir: Path, exercise: Exercise, formats: tuple[str, ...]) -> list[str]:
    missing = []
    for phase in exercise.phases:
        for suffix in formats:
            path = site_dir / "diagrams" / exercise.id / f"{phase.id}.{suffix}"
            if not path.is_file() or path.stat().st_size == 0:
                missing.append(f"{exercise.id}: diagram {path.relative_to(site_dir)} is missing")
    return missing
