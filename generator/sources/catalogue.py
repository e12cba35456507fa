"""The whole collection: order, sections, lookups and resolved messages.

Everything downstream (pages, cards, booklet) reads the catalogue, never the
raw sources, so that drafts cannot leak: ``published`` is the only list of
exercises an output is given.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from generator.diagrams.kit import Kit
from generator.model import Entry, Exercise, Message, Role, Section, SectionInfo, Shared
from generator.sources.print_config import PrintConfig
from generator.sources.products import Products

SECTION_ORDER = list(Section)


@dataclass(frozen=True)
class Resolved:
    """A message ready to render: the text, and the shared id and role it came from."""

    message: Message
    """The message itself."""
    ref: str | None = None
    """Id of the shared message, or ``None`` for one written in place."""
    role: Role = Role.GENERAL
    """Its role (``general`` for one written in place)."""
    heading: str | None = None
    """Heading of a shared message, for pages that list them."""


@dataclass(frozen=True)
class Catalogue:
    """Every exercise, valid and in reading order, with the shared texts."""

    shared: Shared
    """The texts written once."""
    exercises: tuple[Exercise, ...]
    """All exercises, drafts included, in catalogue order."""
    kit: Kit
    """The body model, the scene and the poses the diagrams are drawn from."""
    printing: PrintConfig
    """Settings of the printed outputs (``print.yaml``)."""
    products: Products
    """The maker and the products (``content/products.yaml``)."""
    language: str = "en"
    """The language its texts are in: the sources' own, or a translation's
    (``generator.translations.apply``)."""
    _by_id: dict[str, Exercise] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.exercises})

    @property
    def published(self) -> tuple[Exercise, ...]:
        """Return the exercises that may appear in outputs, in catalogue order."""
        return tuple(e for e in self.exercises if e.published)

    @property
    def drafts(self) -> tuple[Exercise, ...]:
        """Return the exercises that are never published."""
        return tuple(e for e in self.exercises if not e.published)

    @property
    def latest_review(self) -> datetime.date:
        """Return the latest review date of any exercise: the build date when none is set."""
        return max(e.reviewed for e in self.exercises)

    def get(self, exercise_id: str) -> Exercise | None:
        """Return the exercise with this id, draft or not."""
        return self._by_id.get(exercise_id)

    def published_link(self, exercise_id: str | None) -> Exercise | None:
        """Return the target of a link if it may be shown (it exists and is published)."""
        target = self._by_id.get(exercise_id) if exercise_id else None
        return target if target is not None and target.published else None

    def sections(self) -> list[tuple[SectionInfo, tuple[Exercise, ...]]]:
        """Return each section with its published exercises, in order."""
        return [
            (info, tuple(e for e in self.published if e.section is info.id))
            for info in sorted(self.shared.sections, key=lambda s: SECTION_ORDER.index(s.id))
        ]

    def safety(self, exercise: Exercise) -> list[Resolved]:
        """Return an exercise's own safety messages in the order every output shows them:
        the doctor notice first, then the rest in the author's order."""
        resolved = self.resolve_all(exercise.safety)
        return sorted(resolved, key=lambda r: r.role is not Role.DOCTOR_NOTICE)

    def neighbours(self, exercise: Exercise) -> tuple[Exercise | None, Exercise | None]:
        """Return the published exercises before and after this one in catalogue order."""
        order = self.published
        index = order.index(exercise)
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        return before, after

    def resolve(self, entry: Entry) -> Resolved:
        """Return the message an entry stands for, following a reference."""
        if entry.ref is None:
            return Resolved(entry.inline())
        return self._shared(entry.ref)

    def _shared(self, ref: str) -> Resolved:
        shared = self.shared.messages[ref]
        fields = shared.model_dump(exclude={"role", "heading"}, exclude_defaults=True)
        return Resolved(Message(**fields), ref, shared.role, shared.heading)

    def resolve_all(self, entries: list[Entry]) -> list[Resolved]:
        """Return the messages for a list of entries, in order."""
        return [self.resolve(e) for e in entries]

    def shared_by_role(self, role: Role) -> list[Resolved]:
        """Return the shared messages with a role, in file order."""
        return [self._shared(ref) for ref, m in self.shared.messages.items() if m.role is role]

    def important(self) -> list[Resolved]:
        """Return the messages of the important-information page, in order."""
        return [self.resolve(Entry(ref=ref)) for ref in self.shared.important]


def sort_key(exercise: Exercise) -> tuple[int, int, str]:
    """Return the key that puts exercises in catalogue order."""
    return (SECTION_ORDER.index(exercise.section), exercise.order, exercise.id)
