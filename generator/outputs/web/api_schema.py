"""The JSON Schema of the partner API file (``api/exercises.json``), generated from typed models.

The models below say, field by field, what the file holds; the schema is made from them
(pydantic, draft 2020-12), so that it cannot drift from a hand copy. Every key is required
(``null`` stands where a value is not given), no other key is allowed, and the codes a
program acts on are closed lists taken from the sources' own model: ``section``, ``areas``,
a message's ``role`` and ``signal``. Every address is absolute. The file is published with
the site, in each language (``api/exercises.schema.json``), and the API file names it in
``$schema``. ``generator/outputs/web/api.py`` writes the file; a test validates the real
file of every language against this schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.model import BodyArea, Role, Section, Signal

DRAFT = "https://json-schema.org/draft/2020-12/schema"

Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$", json_schema_extra={"format": "uri"})]
"""An absolute address."""


class Record(BaseModel):
    """Base of every record: every key is required and no other is allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Maker(Record):
    """Who makes the product (``null`` where not yet confirmed)."""

    name: str | None
    trade_mark: str
    postal_address: list[str] | None
    email: str | None
    web: str | None


class ResponsiblePerson(Record):
    """The EU responsible person."""

    name: str | None
    postal_address: list[str] | None
    email: str | None


class Size(Record):
    """One size of the product, for a body height."""

    name: str
    model: str | None
    height_min_m: float
    height_max_m: float
    height_metric: str
    height_imperial: str


class Product(Record):
    """The product the instructions are for."""

    id: str
    name: str
    description: str
    intended_use: str
    sizes: list[Size]


class Document(Record):
    """These instructions: id, version, date of issue and language."""

    id: str
    version: int
    issued: str
    language: str


class Identity(Record):
    """Who makes the product, which product, which instructions."""

    maker: Maker
    eu_responsible_person: ResponsiblePerson | None
    product: Product
    document: Document


class Message(Record):
    """A safety message or a note, with every field (empty ones as ``null`` or ``[]``)."""

    ref: str | None
    """The shared text it comes from, if any."""
    role: Role
    signal: Signal | None
    """The signal word's code, the same in every language."""
    signal_word: str | None
    """The signal word as the reader sees it, in the file's language."""
    title: str | None
    hazard: str | None
    items: list[str]
    avoid: list[str]
    consequence: str | None
    text: list[str]


class Link(Record):
    """Another published exercise."""

    id: str
    title: str
    url: Url


class Embed(Record):
    """The exercise's embed page and its oEmbed file."""

    page: Url
    oembed: Url


class Prerequisites(Record):
    """What is needed first."""

    exercises: list[Link]
    months_of_use: int | None
    note: str | None


class Diagram(Record):
    """A phase's picture."""

    svg: Url
    alt: str
    width: int
    height: int


class Step(Record):
    """A numbered step; its safety messages come before its text."""

    number: int
    safety: list[Message]
    text: str


class Phase(Record):
    """A phase: title, caption, breathing, picture, steps, common mistakes."""

    number: int
    id: str
    title: str
    caption: str | None
    breathing: str | None
    diagram: Diagram
    steps: list[Step]
    mistakes: list[str]


class Dose(Record):
    """How much and how often, as the page prints it."""

    repetitions: str | None
    hold_seconds: int | None
    frequency: str | None
    note: str | None


class Links(Record):
    """What comes next, and the exercise that balances this one."""

    next: Link | None
    balances: Link | None


class Exercise(Record):
    """One published exercise. Show its fields in ``reading_order``."""

    id: str
    identity: Identity
    title: str
    purpose: str
    section: Section
    order: int
    version: int
    reviewed: str
    language: str
    areas: list[BodyArea]
    suitable_for: list[str]
    not_suitable_for: list[str]
    url: Url
    """The exercise's web page."""
    preview: Url
    """Its sharing image (PNG)."""
    embed: Embed
    safety: list[Message]
    general_safety: list[Message]
    prerequisites: Prerequisites
    warm_up: list[Message]
    phases: list[Phase]
    dose: Dose | None
    expect: list[Message]
    tips: list[str]
    links: Links


class ExercisesFile(Record):
    """The published exercises of one language, in catalogue order."""

    schema_: Url = Field(alias="$schema")
    """The address of this schema."""
    format: Literal[6]
    """The version of the file's layout (``api.FORMAT``, whose history ``api.py`` tells)."""
    language: str
    reviewed: bool
    """``false`` for a translation not yet reviewed."""
    identity: Identity
    licence: str | None
    """The terms on which the content may be reused; ``null``: not yet set by the maker."""
    reading_order: list[str]
    """The order in which a reader must meet the fields of a record."""
    exercises: list[Exercise]


def api_schema(schema_url: str) -> dict[str, object]:
    """Return the JSON Schema of the API file, whose own address is ``schema_url``."""
    schema = ExercisesFile.model_json_schema(by_alias=True)
    schema["$schema"] = DRAFT
    schema["$id"] = schema_url
    return schema
