"""One view of an exercise: everything a reader sees of it, built once, rendered by every output.

The web page, the card, the home-print sheet, the booklet, the embed, the
structured data and the API all render an ``ExerciseView``; none of them
builds its own context or edits this one. Messages are resolved, links to
drafts left out, steps numbered 1 to N through the whole exercise, and the
diagrams drawn, here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagrams.render import Drawn, draw_exercise
from generator.model import Exercise, Phase, Role, SectionInfo, Step
from generator.outputs.words import WORDS, display_date
from generator.sources.catalogue import Catalogue, Resolved

GENERAL = frozenset({Role.CONTRAINDICATIONS, Role.CAUTION, Role.STOP_RULE})
"""The roles of the texts that every exercise carries alike."""


@dataclass(frozen=True)
class StepView:
    """One numbered step and the messages that stand before it."""

    number: int
    """Its number, 1 to N through the whole exercise (not restarted in each phase)."""
    text: str
    """The action, as written."""
    safety: tuple[Resolved, ...]
    """The messages that stand right before this step, in order."""
    step: Step
    """The step as written in the source."""


@dataclass(frozen=True)
class PhaseView:
    """One phase: its picture, its steps, what can go wrong."""

    number: int
    """Its number, 1 to the number of phases."""
    phase: Phase
    """The phase as written (title, caption, breathing, mistakes)."""
    diagram: Drawn
    """Its posture diagram, drawn once."""
    steps: tuple[StepView, ...]

    @property
    def first(self) -> int:
        """Return the number of its first step."""
        return self.steps[0].number if self.steps else 0


@dataclass(frozen=True)
class DoseView:
    """How much and how often, each part ready to print."""

    repetitions: str | None
    """E.g. ``5`` or ``5 to 10``."""
    hold_seconds: int | None
    frequency: str | None
    note: str | None


@dataclass(frozen=True)
class ExerciseView:
    """What a reader sees of one published exercise, in the order they meet it."""

    exercise: Exercise
    """The exercise as written (title, purpose, suitability, tips…)."""
    section: SectionInfo
    """The part of the catalogue it belongs to."""
    product: str
    """The product's name as written in running text."""
    notice: tuple[Resolved, ...]
    """The consult-your-doctor notice, first of all."""
    own: tuple[Resolved, ...]
    """The exercise's own messages before the first step, in the author's order."""
    general: tuple[Resolved, ...]
    """The texts that are the same on every exercise (contraindications, cautions, stop rule)."""
    warm_up: tuple[Resolved, ...]
    """The shared warm-up texts, when the exercise asks for a warm-up."""
    prerequisites: tuple[Exercise, ...]
    """The published exercises to be at ease with first."""
    phases: tuple[PhaseView, ...]
    expect: tuple[Resolved, ...]
    """What to expect."""
    dose: DoseView | None
    next: Exercise | None
    """The next exercise, when it is published."""
    balances: Exercise | None
    """The exercise that balances this one, when it is published."""
    previous_in_order: Exercise | None
    """The published exercise before this one in catalogue order."""
    next_in_order: Exercise | None
    """The published exercise after this one in catalogue order."""

    @property
    def id(self) -> str:
        """Return the exercise's id."""
        return self.exercise.id

    @property
    def safety(self) -> tuple[Resolved, ...]:
        """Return every message before the first step: notice, own messages, general texts."""
        return self.notice + self.own + self.general

    @property
    def steps(self) -> tuple[StepView, ...]:
        """Return every step, in order."""
        return tuple(step for phase in self.phases for step in phase.steps)

    @property
    def diagrams(self) -> tuple[Drawn, ...]:
        """Return the diagram of every phase, in order."""
        return tuple(phase.diagram for phase in self.phases)

    @property
    def revision(self) -> str:
        """Return the revision line every output prints."""
        e = self.exercise
        return WORDS["revision"].format(id=e.id, version=e.version, date=display_date(e.reviewed))


def exercise_view(catalogue: Catalogue, exercise: Exercise) -> ExerciseView:
    """Return the view of one published exercise (its diagrams drawn here)."""
    drawn = draw_exercise(catalogue.kit, exercise)
    before, after = catalogue.neighbours(exercise)
    links = (catalogue.published_link(ref) for ref in exercise.prerequisites.exercises)
    safety = catalogue.safety(exercise)
    warm_up = catalogue.shared_by_role(Role.WARM_UP) if exercise.prerequisites.warm_up else []
    return ExerciseView(
        exercise=exercise,
        section=next(s for s in catalogue.shared.sections if s.id is exercise.section),
        product=catalogue.shared.product,
        notice=tuple(r for r in safety if r.role is Role.DOCTOR_NOTICE),
        own=tuple(r for r in safety if r.role not in GENERAL and r.role is not Role.DOCTOR_NOTICE),
        general=tuple(r for r in safety if r.role in GENERAL),
        warm_up=tuple(warm_up),
        prerequisites=tuple(link for link in links if link is not None),
        phases=_phases(catalogue, exercise, drawn),
        expect=tuple(catalogue.resolve_all(exercise.expect)),
        dose=_dose(exercise),
        next=catalogue.published_link(exercise.links.next),
        balances=catalogue.published_link(exercise.links.balances),
        previous_in_order=before,
        next_in_order=after,
    )


def exercise_views(catalogue: Catalogue) -> dict[str, ExerciseView]:
    """Return the view of every published exercise, by id, in catalogue order."""
    return {e.id: exercise_view(catalogue, e) for e in catalogue.published}


def _phases(catalogue: Catalogue, exercise: Exercise, drawn: list[Drawn]) -> tuple[PhaseView, ...]:
    phases, number = [], 0
    for index, (phase, diagram) in enumerate(zip(exercise.phases, drawn, strict=True), 1):
        steps = []
        for step in phase.steps:
            number += 1
            safety = tuple(catalogue.resolve_all(step.safety))
            steps.append(StepView(number, step.text, safety, step))
        phases.append(PhaseView(index, phase, diagram, tuple(steps)))
    return tuple(phases)


def _dose(exercise: Exercise) -> DoseView | None:
    dose = exercise.dose
    if dose is None:
        return None
    reps = dose.repetitions
    repetitions = None
    if reps is not None:
        between = WORDS["range"].format(min=reps.min, max=reps.max)
        repetitions = str(reps.min) if reps.min == reps.max else between
    return DoseView(repetitions, dose.hold_seconds, dose.frequency, dose.note)


def review_drawings(catalogue: Catalogue) -> list[tuple[Exercise, list[Drawn]]]:
    """Return the diagrams of every phase of every exercise, drafts included, for the review
    sheet that clinicians approve them on (never for an output of the site)."""
    return [(e, draw_exercise(catalogue.kit, e)) for e in catalogue.exercises]
