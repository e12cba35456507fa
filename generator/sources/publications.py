"""Publications: a product's instructions in one language, with the exercises they include.

The booklet, the home-print sheets and the box panel are made per publication;
cards and web pages stay per exercise. A publication is laid out from a
catalogue of its own (``Publication.catalogue``): the same shared texts, only
its product (its sizes, its identity) and only the published exercises it
includes, in the catalogue's order, so every renderer and check of a printed
output works on it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.sources.catalogue import Catalogue
from generator.sources.products import Product


@dataclass(frozen=True)
class Publication:
    """A product's instructions in one language."""

    product: Product
    language: str

    @property
    def id(self) -> str:
        """Return the publication's id, its document id: ``<product>-<language>``."""
        return f"{self.product.id}-{self.language}"

    def includes(self, exercise_id: str) -> bool:
        """Return whether the publication includes an exercise (every one, by default)."""
        chosen = self.product.exercises
        return chosen is None or exercise_id in chosen

    def catalogue(self, catalogue: Catalogue) -> Catalogue:
        """Return the catalogue this publication is laid out from: its product alone, and the
        exercises it includes (drafts kept, so the checks can tell one was left out)."""
        exercises = tuple(
            e for e in catalogue.exercises if self.includes(e.id) and e.language == self.language
        )
        products = catalogue.products.model_copy(update={"products": [self.product]})
        return replace(catalogue, exercises=exercises, products=products, _by_id={})


def publications(catalogue: Catalogue) -> list[Publication]:
    """Return the publications made from a catalogue: each product in the catalogue's language,
    in file order. (Which languages are made is the build's choice: a release makes those the
    products declare, a preview every language with a translation file.)"""
    return [Publication(product, catalogue.language) for product in catalogue.products.products]
