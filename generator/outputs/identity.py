"""The identity every output carries: who makes the product, which product, which instructions.

One block, built once from ``content/products.yaml`` and the catalogue, for the
booklet's first pages and back cover, the cards' identity line, the panel, the
website's footer and every API record (IEC/IEEE 82079-1: product
identification, the version and date of the instructions; EU Regulation
2023/988, Art. 9: the maker's name, trade mark, postal and electronic address).
A field not yet confirmed is shown as "to be confirmed" (``WORDS["to_be_confirmed"]``, in the
reader's language) in a preview and
named by ``release_problems``; it is never guessed.
"""

from __future__ import annotations

from typing import Any

from generator.model import Section
from generator.outputs.words import height_metric
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.products import Product, identity_gaps
from generator.sources.publications import publications


def instructions_version(catalogue: Catalogue) -> tuple[int, str]:
    """Return the version of the instructions (the sum of the published exercises' versions,
    which grows with every change) and their date of issue (the newest review date)."""
    published = catalogue.published
    if not published:
        return 0, ""
    newest = max(e.reviewed for e in published)
    return sum(e.version for e in published), newest.isoformat()


def document_id(product: Product, language: str) -> str:
    """Return the id of a product's instructions in a language, e.g. ``backrack-en``."""
    return f"{product.id}-{language}"


def product_of(catalogue: Catalogue) -> Product:
    """Return the product the instructions are for (the first in ``content/products.yaml``)."""
    return catalogue.products.products[0]


def identity(
    catalogue: Catalogue, product: Product | None = None, language: str | None = None
) -> dict[str, Any]:
    """Return the identity block as plain data (``None`` where a field is not yet known), of
    the instructions in ``language`` (default: the catalogue's)."""
    product = product or product_of(catalogue)
    language = language or catalogue.language
    maker = catalogue.products.maker
    version, issued = instructions_version(catalogue)
    responsible = catalogue.products.eu_responsible_person
    return {
        "maker": {
            "name": maker.name,
            "trade_mark": maker.trade_mark,
            "postal_address": maker.postal_address,
            "email": maker.email,
            "web": maker.web,
        },
        "eu_responsible_person": responsible.model_dump() if responsible is not None else None,
        "product": {
            "id": product.id,
            "name": product.name,
            "description": product.description,
            "intended_use": product.intended_use,
            "sizes": [
                {
                    "name": size.name,
                    "model": size.model,
                    "height_min_m": size.height_min_m,
                    "height_max_m": size.height_max_m,
                    "height_metric": height_metric(size),
                    "height_imperial": size.height_imperial,
                }
                for size in product.sizes
            ],
        },
        "document": {
            "id": document_id(product, language),
            "version": version,
            "issued": issued,
            "language": language,
        },
    }


def missing_parts(catalogue: Catalogue) -> list[Section]:
    """Return the parts of the sequence that have no published exercise (e.g. getting off)."""
    return [info.id for info, exercises in catalogue.sections() if not exercises]


def release_problems(catalogue: Catalogue, settings: Settings) -> list[str]:
    """Return why these outputs may not be released (empty: they may), each line naming its
    publication: a placeholder site address, an identity field not yet known, a part of the
    sequence without a published exercise (a reader would be taken onto the rack and not off
    it)."""
    problems = []
    titles = {info.id: info.title for info in catalogue.shared.sections}
    for publication in publications(catalogue):
        name = publication.id
        if settings.placeholder:
            problems.append(
                f"{name}: the site address {settings.site_url or '(none)'!r} is a placeholder: "
                "set site_url in mkdocs.yml or pass --site-url"
            )
        problems += [
            f"{name}: content/products.yaml: {field}: not yet known"
            for field in identity_gaps(catalogue.products, publication.product)
        ]
        problems += [
            f"{name}: the part {titles[part]!r} has no published exercise "
            "(its exercises are drafts: see python -m generator status)"
            for part in missing_parts(publication.catalogue(catalogue))
        ]
    return problems
