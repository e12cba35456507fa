"""The maker and the products, from ``content/products.yaml``: who makes the backrack™ and what
is sold, for the identity every output carries.

A field that is not known yet is left empty (never guessed): a preview
build shows it as "to be confirmed" and the status report names it; a release
build refuses to publish without it (``identity_gaps``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from generator.errors import Problem
from generator.model import Slug, Strict, Text
from generator.sources.bind import load_model
from generator.sources.rules import check_glyphs, check_language
from generator.translations.languages import SUPPORTED, unsupported

PRODUCTS_FILE = "content/products.yaml"


class Maker(Strict):
    """Who makes the product (EU Regulation 2023/988, Art. 9: name, trade mark, postal and
    electronic address)."""

    name: Text | None = None
    """The company's registered name; empty until confirmed."""
    trade_mark: Text
    """The trade mark as written in running text, e.g. ``backrack™``."""
    postal_address: list[Text] | None = None
    """The postal address, a line each; empty until confirmed."""
    email: Text | None = None
    """The contact e-mail address; empty until confirmed."""
    web: Annotated[str, Field(pattern=r"^https://[^\s]+$")] | None = None
    """The maker's web address."""


class ResponsiblePerson(Strict):
    """The economic operator responsible in the EU, when the maker is outside it."""

    name: Text | None = None
    postal_address: list[Text] | None = None
    email: Text | None = None


class Size(Strict):
    """One size of a product, for people of a height range."""

    name: Text
    """E.g. ``Small``."""
    model: Text | None = None
    """The model or article number printed on the product; empty until confirmed."""
    height_min_m: Annotated[float, Field(gt=0.5, lt=2.5)]
    height_max_m: Annotated[float, Field(gt=0.5, lt=2.5)]
    height_imperial: Text
    """The same heights in feet and inches as the maker gives them, e.g. "5 ft 1 in to 5 ft 9 in
    tall" (not computed: the maker rounds)."""

    @property
    def metric_range(self) -> tuple[float, float]:
        """Return the heights in metres, lowest and highest (the outputs write them in the
        reader's language: ``generator.outputs.words.height_metric``)."""
        return self.height_min_m, self.height_max_m

    @model_validator(mode="after")
    def _ordered(self) -> Size:
        if self.height_min_m >= self.height_max_m:
            raise ValueError("height_min_m must be less than height_max_m")
        return self


class Product(Strict):
    """A product as sold."""

    id: Slug
    name: Text
    """The product's name as written in running text."""
    description: Text
    """One or two plain sentences: what it is."""
    intended_use: Text
    """What it is for, in plain words."""
    sizes: Annotated[list[Size], Field(min_length=1)]
    languages: Annotated[list[Annotated[str, Field(pattern=r"^[a-z]{2}$")]], Field(min_length=1)]
    """The languages its instructions are published in (ISO 639-1)."""
    markets: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] | None = None
    """The countries it is sold in (ISO 3166-1 alpha-2); empty until confirmed."""
    exercises: list[Slug] | None = None
    """The exercises its instructions include, by id; empty: the whole published sequence."""


class Products(Strict):
    """The maker, an optional EU responsible person, and the products."""

    maker: Maker
    eu_responsible_person: ResponsiblePerson | None = None
    products: Annotated[list[Product], Field(min_length=1)]
    licence: Text | None = None
    """The terms on which partners may reuse the instructions (the API file, the embeds), as
    the maker states them; empty until the maker has set them (never guessed)."""

    @model_validator(mode="after")
    def _unique(self) -> Products:
        ids = [p.id for p in self.products]
        if len(ids) != len(set(ids)):
            raise ValueError("two products have the same id")
        return self


def load_products(root: Path, problems: list[Problem]) -> Products | None:
    """Load ``content/products.yaml`` (required), adding its problems to ``problems``: the
    model's, characters the typeface lacks, and the plain-language rules on the texts a
    reader meets (a product's description and intended use)."""
    if not (root / PRODUCTS_FILE).is_file():
        problems.append(Problem(PRODUCTS_FILE, 1, 1, "(document)", "file is missing"))
        return None
    document, products = load_model(root / PRODUCTS_FILE, root, Products, problems)
    if document is not None:
        problems.extend(check_glyphs(document))
    if document is not None and products is not None:
        for index, product in enumerate(products.products):
            for position, ref in enumerate(product.exercises or []):
                if not (root / "content" / "exercises" / f"{ref}.yaml").is_file():
                    problems.append(
                        document.value_problem(
                            ("products", index, "exercises", position),
                            f"no exercise {ref!r} (content/exercises/{ref}.yaml)",
                        )
                    )
            for position, language in enumerate(product.languages):
                if language not in SUPPORTED:
                    where = ("products", index, "languages", position)
                    problems.append(document.value_problem(where, unsupported(language)))
        texts: list[tuple[tuple[str | int, ...], str]] = []
        for index, product in enumerate(products.products):
            texts.append((("products", index, "description"), product.description))
            texts.append((("products", index, "intended_use"), product.intended_use))
        problems.extend(check_language(document, texts))
    return products


def identity_gaps(products: Products, product: Product | None = None) -> list[str]:
    """Return the identity fields not yet known (``maker.email``, ``products.0.sizes.1.model``…),
    for the maker and ``product`` (every product without it)."""
    gaps = [
        f"maker.{field}"
        for field in ("name", "postal_address", "email", "web")
        if getattr(products.maker, field) is None
    ]
    for index, found in enumerate(products.products):
        if product is not None and found.id != product.id:
            continue
        gaps += [
            f"products.{index}.sizes.{s}.model"
            for s, size in enumerate(found.sizes)
            if size.model is None
        ]
        if found.markets is None:
            gaps.append(f"products.{index}.markets")
    return gaps
