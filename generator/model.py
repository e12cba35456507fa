"""Typed, immutable records for the exercise catalogue.

The loader hands these models strings only; every conversion (to a number, a
date, a signal word) happens here, so that the rules live in one place. The
JSON Schema published for authors' editors is generated from these classes.

Text fields hold one language (``language``); a translation is a file of the
same shape in another language, so adding one changes no field.
"""

from __future__ import annotations

import datetime
import unicodedata
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

EARLIEST_REVIEW = datetime.date(1980, 1, 1)
"""Earliest review date: a ZIP entry (the offline copy) cannot carry an earlier time."""
LATEST_REVIEW = datetime.date(2106, 2, 7)
"""Latest review date: the build date defaults to the latest review, and a gzip header (the
site's ``sitemap.xml.gz``) carries it as unsigned 32-bit seconds, which end on 2106-02-07."""


def _visible_text(value: str) -> str:
    """Collapse white space and refuse text with nothing visible in it."""
    text = " ".join(value.split())
    visible = [c for c in text if unicodedata.category(c)[0] not in ("C", "Z")]
    if not visible:
        raise ValueError("must contain visible text; it is empty or blank")
    return text


def _review_date(value: datetime.date) -> datetime.date:
    """Refuse a review date that some output could not carry as its date."""
    if not EARLIEST_REVIEW <= value <= LATEST_REVIEW:
        raise ValueError(
            f"must be a date from {EARLIEST_REVIEW} to {LATEST_REVIEW} "
            f"(the dates every output can carry), not '{value}'"
        )
    return value


def _as_list(value: Any) -> Any:
    """Let an author write a single item where a list is expected."""
    return [value] if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_visible_text)]
"""A piece of reader-facing text: at least one visible character, white space collapsed."""
Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
"""An id: lowercase words of letters and digits joined by hyphens."""
TextList = Annotated[list[Text], BeforeValidator(_as_list)]
"""One text or a list of texts."""


class Strict(BaseModel):
    """Base for every record: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Section(StrEnum):
    """The parts of the catalogue, in the order a person goes through them."""

    GETTING_ON = "getting-on"
    BASIC = "basic"
    GETTING_OFF = "getting-off"
    ADVANCED = "advanced"


class Status(StrEnum):
    """Whether an exercise may be published."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Signal(StrEnum):
    """Signal words of ANSI Z535.6 / ISO 3864-2, from most to least severe."""

    DANGER = "DANGER"
    WARNING = "WARNING"
    CAUTION = "CAUTION"
    NOTICE = "NOTICE"

    @property
    def has_alert_symbol(self) -> bool:
        """Return whether the safety-alert triangle goes with this word (never with NOTICE)."""
        return self is not Signal.NOTICE


class Role(StrEnum):
    """What a shared text is for; the safety gate looks for these roles."""

    DOCTOR_NOTICE = "doctor-notice"
    CONTRAINDICATIONS = "contraindications"
    STOP_RULE = "stop-rule"
    CAUTION = "caution"
    WARM_UP = "warm-up"
    EXPECTED_REACTION = "expected-reaction"
    SET_UP = "set-up"
    GENERAL = "general"


class BodyArea(StrEnum):
    """Body areas an exercise works on, for filtering and pressure-zone overlays."""

    NECK = "neck"
    THORACIC = "thoracic"
    LUMBAR = "lumbar"
    ABDOMEN = "abdomen"
    HIPS = "hips"
    HAMSTRINGS = "hamstrings"


def _check_complete(message: MessageFields) -> None:
    """Refuse a safety message without hazard or avoidance, or a notice without text."""
    if message.signal is not None and (message.hazard is None or not message.avoid):
        missing = "hazard" if message.hazard is None else "avoid"
        raise ValueError(f"a safety message with a signal word needs '{missing}'")
    if message.signal is None and (message.title is None or not (message.text or message.items)):
        raise ValueError(
            "a message needs a 'signal' word (with 'hazard' and 'avoid'), "
            "or a 'title' and 'text' for a notice"
        )


class MessageFields(Strict):
    """The parts of a message, shared by messages written once and messages written in place.

    A safety message follows DITA's hazard statement: the hazard, how to
    avoid it and, where useful, the consequence. A notice has a title and text.
    """

    signal: Signal | None = None
    """DANGER, WARNING, CAUTION or NOTICE; absent for a plain notice such as the doctor notice."""
    title: Text | None = None
    """Heading of a notice; a safety message uses its hazard as heading."""
    hazard: Text | None = None
    """The type of hazard, in one short sentence."""
    avoid: TextList = []
    """How to avoid the hazard: one or more short instructions."""
    consequence: Text | None = None
    """What may happen if the message is ignored."""
    text: TextList = []
    """Body of a notice: one or more short paragraphs."""
    items: TextList = []
    """A list that belongs to the message, such as the contraindications."""


class Message(MessageFields):
    """A safety message (with a signal word) or a notice (without one)."""

    @model_validator(mode="after")
    def _complete(self) -> Message:
        _check_complete(self)
        return self


class SharedMessage(Message):
    """A message written once in ``content/shared.yaml`` and used by reference."""

    role: Role = Role.GENERAL
    """What the message is for; the safety gate requires some roles on every exercise."""
    heading: Text | None = None
    """Heading above the message on the important-information page."""


class Entry(MessageFields):
    """A message in an exercise: a reference to a shared one, or one written in place."""

    ref: Slug | None = None
    """Id of a shared message in ``content/shared.yaml``; give it alone."""

    @model_validator(mode="after")
    def _ref_or_inline(self) -> Entry:
        inline = self.model_dump(exclude={"ref"}, exclude_defaults=True)
        if self.ref is not None and inline:
            raise ValueError(
                f"give either 'ref' or the message itself, not both ({', '.join(inline)})"
            )
        if self.ref is None:
            _check_complete(self)
        return self

    def inline(self) -> Message:
        """Return the message written in place (only valid when ``ref`` is absent)."""
        return Message(**self.model_dump(exclude={"ref"}, exclude_defaults=True))


def _step_from_text(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Step(Strict):
    """One action, in the active voice, addressed to the reader."""

    text: Text
    """The instruction, e.g. "Put your hands behind your head."."""
    safety: list[Entry] = []
    """Messages that concern this step only; they stand before it."""


class Marker(StrEnum):
    """Points of the figure a movement arrow can follow to the next phase."""

    HEAD = "head"
    SHOULDER = "shoulder"
    HIP = "hip"
    NEAR_KNEE = "near-knee"
    FAR_KNEE = "far-knee"
    NEAR_FOOT = "near-foot"
    FAR_FOOT = "far-foot"
    NEAR_HAND = "near-hand"
    FAR_HAND = "far-hand"


class Zone(StrEnum):
    """Where the rack presses hardest, highlighted on the diagram."""

    LUMBAR = "lumbar"
    THORACIC = "thoracic"
    NECK = "neck"


class Breath(StrEnum):
    """The breathing cue drawn at the mouth."""

    IN = "in"
    OUT = "out"


class Overlay(Strict):
    """Optional marks drawn over a phase's diagram."""

    arrow: Marker | None = None
    """A point whose movement to the next phase is drawn as an arrow."""
    pressure: Zone | None = None
    """The part of the spine where the pressure is, highlighted on the rack."""
    breath: Breath | None = None
    """Breathe in or out, drawn as an arrow at the mouth."""


class Phase(Strict):
    """A stage of an exercise with its own picture: preparation, lift, return…"""

    id: Slug
    """Stable id, used in diagram file names: ``site/diagrams/<exercise>/<phase>.svg``."""
    title: Text
    """Heading, e.g. "Get ready"."""
    pose: Slug
    """Name of the pose in ``diagrams/poses/`` drawn for this phase."""
    caption: Text | None = None
    """Caption under the phase diagram."""
    breathing: Text | None = None
    """Breathing cue for the phase, e.g. "Breathe out slowly"."""
    steps: Annotated[list[Annotated[Step, BeforeValidator(_step_from_text)]], Field(min_length=1)]
    """Numbered steps; a plain text is a step without its own safety message."""
    mistakes: TextList = []
    """Common mistakes to avoid in this phase."""
    overlay: Overlay = Overlay()
    """Marks drawn over the phase's diagram: a movement arrow, the pressure zone, breathing."""


class Range(Strict):
    """A number or a range of numbers, e.g. 5 to 10 repetitions."""

    min: Annotated[int, Field(ge=1, le=1000)]
    """Lowest value."""
    max: Annotated[int, Field(ge=1, le=1000)]
    """Highest value (the same as ``min`` for an exact number)."""

    @model_validator(mode="before")
    @classmethod
    def _single(cls, value: Any) -> Any:
        return {"min": value, "max": value} if isinstance(value, str | int) else value

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max < self.min:
            raise ValueError(f"'max' ({self.max}) is below 'min' ({self.min})")
        return self


class Dose(Strict):
    """How much and how often."""

    repetitions: Range | None = None
    """Repetitions per session."""
    hold_seconds: Annotated[int, Field(ge=1, le=600)] | None = None
    """How long to hold the position, in seconds."""
    frequency: Text | None = None
    """How often, e.g. "Every other day"."""
    note: Text | None = None
    """Advice on building up the dose."""


class Prerequisites(Strict):
    """What must come before this exercise."""

    exercises: list[Slug] = []
    """Exercises to be comfortable with first (ids)."""
    warm_up: bool = False
    """Whether to warm up first (the shared warm-up text is shown)."""
    months_of_use: Annotated[int, Field(ge=1, le=60)] | None = None
    """Months of regular use of the backrack™ needed first."""
    note: Text | None = None
    """Any other condition, in words."""


class Links(Strict):
    """Links to other exercises."""

    next: Slug | None = None
    """The exercise to try next."""
    balances: Slug | None = None
    """The exercise that trains the opposing muscles."""


class Exercise(Strict):
    """One exercise, as written in ``content/exercises/<id>.yaml``."""

    id: Slug
    """Stable id; must match the file name."""
    title: Annotated[Text, StringConstraints(max_length=80)]
    """The exercise's one name, used everywhere."""
    section: Section
    """Where it belongs in the sequence."""
    order: Annotated[int, Field(ge=1, le=999)]
    """Position within its section."""
    status: Status
    """``draft`` is validated and reported but never published."""
    version: Annotated[int, Field(ge=1)]
    """Content version; raise it with every change a reader would notice."""
    reviewed: Annotated[datetime.date, AfterValidator(_review_date)]
    """Date of the last clinical review (YYYY-MM-DD), from 1980-01-01 to 2106-02-07."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"
    """Language of the texts (BCP 47)."""
    purpose: Text | None = None
    """One line at the top: what the exercise is for."""
    areas: list[BodyArea] = []
    """Body areas it works on."""
    suitable_for: TextList = []
    """Conditions it suits."""
    not_suitable_for: TextList = []
    """Conditions it does not suit."""
    prerequisites: Prerequisites = Prerequisites()
    """What must come first."""
    safety: list[Entry] = []
    """Messages for the whole exercise; they stand before the first step."""
    phases: list[Phase] = []
    """The phases in order; a published exercise needs at least one."""
    dose: Dose | None = None
    """How much and how often."""
    expect: list[Entry] = []
    """What to expect: notices such as the expected reaction."""
    tips: TextList = []
    """Other advice, e.g. how to change the pressure."""
    links: Links = Links()
    """Links to other exercises."""

    @model_validator(mode="after")
    def _unique_phases(self) -> Exercise:
        ids = [p.id for p in self.phases]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"phase ids must be unique; repeated: {', '.join(duplicates)}")
        return self

    @property
    def published(self) -> bool:
        """Return whether this exercise may appear in any output."""
        return self.status is Status.PUBLISHED


class SectionInfo(Strict):
    """Title and introduction of a section of the catalogue."""

    id: Section
    """Which section."""
    title: Text
    """Heading, e.g. "Basic exercises"."""
    intro: Text
    """One or two sentences on what the section is for."""


class Shared(Strict):
    """The texts written once and used everywhere (``content/shared.yaml``)."""

    product: Text
    """The product name as written in running text: backrack™."""
    site_title: Text
    """Title of the website."""
    intro: TextList
    """Opening paragraphs of the home page."""
    sections: Annotated[list[SectionInfo], Field(min_length=4, max_length=4)]
    """The four sections, in order."""
    storage: Text
    """Where to keep the rack."""
    maintenance: Text | None = None
    """How to look after the rack."""
    messages: dict[Slug, SharedMessage]
    """Shared messages by id."""
    important: list[Slug]
    """Ids of the messages shown on the important-information page, in order."""


def exercise_schema() -> dict[str, Any]:
    """Return the JSON Schema of an exercise source, for editors."""
    schema = Exercise.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "exercise.schema.json"
    return schema


def shared_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``content/shared.yaml``, for editors."""
    schema = Shared.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "shared.schema.json"
    return schema


def field_names(model: type[BaseModel]) -> list[str]:
    """Return the field names a model accepts, for 'did you mean' hints."""
    return list(model.model_fields)
