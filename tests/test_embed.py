"""The embed says the whole exercise: every part of the web page, in its order and words,
with the safety messages and the prerequisites before the first step.

Every test reads the shared build's embed pages back as text (``generator/checks/extract.py``).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from conftest import REPO, SITE_URL, site_files, views_of

from generator.checks.extract import PageText, html_text, page_text
from generator.checks.verify import check_exercise_text, message_texts, verify_site
from generator.model import Message, Role
from generator.outputs import paths
from generator.outputs.view import ExerciseView
from generator.outputs.words import speaking
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue
from generator.translations.apply import translation

PAGE_ONLY = (
    "Printable card (PDF)",
    "Read all the important information before you use the",
)
"""How the web page's own lines start, which the embed leaves out: the card link (a file a
partner's frame does not serve) and the link to the important information (the embed prints
the contraindications and the stop rule themselves, and links only to its own page)."""


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


@pytest.fixture(scope="module")
def views(cat: Catalogue) -> list[ExerciseView]:
    return list(views_of(cat).values())


def embed_html(site: Path, exercise_id: str) -> str:
    return (site / paths.embed(exercise_id)).read_text(encoding="utf-8")


def words(text: str) -> str:
    """Return ``text`` with its white space collapsed, as the extracted text has it."""
    return " ".join(text.split())


def article_words(html: str) -> list[str]:
    """Return the visible words of a page's ``<article>``, the diagrams' own text left out."""
    found = re.search(r"<article\b.*?</article>", html, re.S)
    assert found is not None
    return html_text(found.group(0)).split()


class Reading:
    """Walk through an embed's text as a reader does: each part must come after the last."""

    def __init__(self, page: PageText, exercise_id: str) -> None:
        self.text, self.id, self.at = page.text, exercise_id, 0

    def then(self, part: str, before: int | None = None) -> int:
        """Find ``part`` after the last part found (and before ``before``); return where."""
        found = self.text.find(words(part), self.at)
        assert found >= 0, (self.id, "missing, or out of order", part)
        if before is not None:
            assert found < before, (self.id, "stands too late", part)
        self.at = found + len(words(part))
        return found

    def message(self, message: Message, before: int | None = None) -> None:
        """Find a message: its signal word or title first, then each of its lines."""
        parts = message_texts(message)
        start = self.then(parts[0], before)
        for part in parts[1:]:
            found = self.text.find(part, start)
            assert found >= 0 and (before is None or found < before), (self.id, part)
        self.at = max(self.text.find(part, start) + len(part) for part in parts)


def test_the_embed_reads_as_the_web_page(built: Path, views: list[ExerciseView]) -> None:
    """Word for word, the embed's content is the page's, less the page's own links."""
    for view in views:
        page = (built / paths.page_file(view.id)).read_text(encoding="utf-8")
        web = " ".join(article_words(page))
        web = web[web.index(f"{view.exercise.title} {view.exercise.purpose}") :]  # no labels
        web = web.removesuffix(f" {view.revision}")  # the embed prints it after the content
        for line in PAGE_ONLY:
            web, count = re.subn(re.escape(line) + r"[^.]*\. ", "", web)
            assert count <= 1, (view.id, line)
        embed = " ".join(article_words(embed_html(built, view.id)))
        if embed != web:
            diff = difflib.unified_diff(web.split(". "), embed.split(". "), lineterm="")
            raise AssertionError(f"{view.id}:\n" + "\n".join(diff))


def test_every_part_of_the_exercise_is_in_its_embed_in_the_page_order(
    built: Path, views: list[ExerciseView]
) -> None:
    for view in views:
        exercise, needs = view.exercise, view.exercise.prerequisites
        page = page_text(embed_html(built, view.id))
        assert len(page.steps) == len(view.steps), view.id
        first_step = page.steps[0]
        read = Reading(page, view.id)
        # Before the first step (the contract's order): purpose, the doctor notice and the
        # exercise's own messages, who it suits, what is needed first with the warm-up, and
        # the general texts.
        read.then(f"{exercise.title} {exercise.purpose}", first_step)
        read.then("Before you start", first_step)
        assert view.notice[0].role is Role.DOCTOR_NOTICE
        for resolved in view.notice + view.own:
            read.message(resolved.message, first_step)
        if exercise.suitable_for or exercise.not_suitable_for:
            read.then("Is it right for you?", first_step)
        if exercise.suitable_for:
            read.then("Suitable for:", first_step)
            for item in exercise.suitable_for:
                read.then(item, first_step)
        if exercise.not_suitable_for:
            read.then("Not suitable for:", first_step)
            for item in exercise.not_suitable_for:
                read.then(item, first_step)
        if view.prerequisites or needs.months_of_use or needs.note or view.warm_up:
            read.then("What you need first", first_step)
        for target in view.prerequisites:
            read.then(f"Be at ease with {target.title} first.", first_step)
        if needs.months_of_use:
            months = f"regularly for at least {needs.months_of_use} months first."
            read.then(f"Use the {view.product} {months}", first_step)
        if needs.note:
            read.then(needs.note, first_step)
        assert bool(view.warm_up) == needs.warm_up, view.id
        for resolved in view.warm_up:
            read.message(resolved.message, first_step)
        assert {r.ref for r in view.general} == {"contraindications", "cautions", "stop-rule"}
        read.then("For every exercise", first_step)
        for resolved in view.general:
            read.message(resolved.message, first_step)
        # Each phase: title, caption, breathing, then its steps (their messages before each),
        # then its common mistakes, before the next phase's first step.
        for number, phase in enumerate(view.phases, 1):
            assert phase.number == number
            heading = f"Part {number}: " if len(view.phases) > 1 else ""
            starts = page.steps[phase.first - 1]
            read.then(f"{heading}{phase.phase.title}", starts)
            if phase.phase.caption:
                read.then(phase.phase.caption, starts)
            if phase.phase.breathing:
                read.then(f"Breathing: {phase.phase.breathing}", starts)
            for step in phase.steps:
                at = page.steps[step.number - 1]
                for resolved in step.safety:
                    read.message(resolved.message, at)
                assert read.then(step.text) == at, (view.id, step.number)
            following = (
                page.steps[phase.steps[-1].number] if phase.number < len(view.phases) else None
            )
            if phase.phase.mistakes:
                read.then("Common mistakes:", following)
                for mistake in phase.phase.mistakes:
                    read.then(mistake, following)
        # After the steps: the dose, what to expect, tips, what comes next.
        if view.dose:
            read.then("How much and how often")
            if view.dose.repetitions:
                read.then(f"Repetitions: {view.dose.repetitions}")
            if view.dose.hold_seconds:
                read.then(f"Hold: about {view.dose.hold_seconds} seconds")
            if view.dose.frequency:
                read.then(f"How often: {view.dose.frequency}")
            if view.dose.note:
                read.then(view.dose.note)
        if view.expect:
            read.then("What to expect")
            for resolved in view.expect:
                read.message(resolved.message)
        if exercise.tips:
            read.then("Tips")
            for tip in exercise.tips:
                read.then(tip)
        if view.next or view.balances:
            read.then("What comes next")
        if view.next:
            read.then(f"Next exercise: {view.next.title}")
        if view.balances:
            read.then(f"Balance this exercise with: {view.balances.title}")


def test_the_embed_names_only_published_exercises_and_links_only_its_page(
    built: Path, cat: Catalogue, views: list[ExerciseView]
) -> None:
    drafts = [d.title for d in cat.drafts]
    # stomach-crunch is balanced by a draft: the embed says nothing of it.
    assert any(v.exercise.links.balances and not v.balances for v in views)
    for view in views:
        html = embed_html(built, view.id)
        text = page_text(html).text
        for title in drafts:
            for line in ("Be at ease with", "Next exercise:", "Balance this exercise with:"):
                assert f"{line} {title}" not in text, (view.id, title)
        if not view.next:
            assert "Next exercise:" not in text
        if not view.balances:
            assert "Balance this exercise with:" not in text
        if not (view.next or view.balances):
            assert "What comes next" not in text
        article = html[html.index("<article>") : html.index("</article>")]
        assert "href=" not in article, view.id  # other exercises are named, not linked
        links = re.findall(r'href="([^"]+)"', html)  # the canonical link, and the link back
        assert links == [paths.page_url(SITE_URL, view.id)] * 2, view.id


def test_the_embed_passes_the_safety_check_of_the_pages_and_the_site_passes_verify(
    built: Path, cat: Catalogue
) -> None:
    """The check ``verify`` runs on every web page holds for every embed too, and ``verify``
    passes on the built site (``test_parity`` runs the parity check on it)."""
    for exercise in cat.published:
        page = page_text(embed_html(built, exercise.id))
        assert check_exercise_text(page, cat, exercise) == [], exercise.id
    files = site_files(built)
    english = {path: data for path, data in files.items() if not path.startswith("de/")}
    assert verify_site(english, cat) == []
    # Each language's site is checked on its own, in its language, as the build does.
    german = translation(REPO, cat, "de")
    own = {path.removeprefix("de/"): data for path, data in files.items() if path.startswith("de/")}
    with speaking(german.speech):
        assert verify_site(own, german.catalogue) == []
