"""The downloads page: every printable file and the offline copy, with its size and its use.

Pure functions from the catalogue, the settings and the sizes of the files the
build made to the list the page shows. A file is listed only where the build
made it (``sizes``): a placeholder site address makes no print-shop files, so
the page then offers none. Without sizes (a plain ``mkdocs serve``, where
the printed files are not made), every file the build would make is listed,
without its size.

The offline copy holds the web pages and each exercise's card; its downloads
page lists those cards, and names the website's downloads page for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babel.numbers import format_decimal

from generator.outputs import paths
from generator.outputs.print.sheets import SHEETS
from generator.outputs.words import WORDS, locale
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.publications import publications


@dataclass(frozen=True)
class Download:
    """One file to download: where it is (below the language's site folder), its name on the
    page, what it is for, and its size in bytes where known."""

    path: str
    title: str
    size: int | None
    purpose: str = ""


@dataclass(frozen=True)
class CardRow:
    """One exercise's cards: the colour card, and the light-ink card for a home printer."""

    title: str
    files: list[Download]


@dataclass(frozen=True)
class Group:
    """A part of the page: a heading, what the files are for, and the files."""

    title: str
    intro: str
    files: list[Download]
    cards: list[CardRow]


def display_size(size: int) -> str:
    """Return a file size as the reader's language writes it ("245 KB", "1.2 MB")."""
    if size < 1_000_000:
        return WORDS["size_kb"].format(
            size=format_decimal(max(1, round(size / 1000)), locale=locale())
        )
    return WORDS["size_mb"].format(size=format_decimal(size / 1_000_000, "0.0", locale=locale()))


def download_groups(
    catalogue: Catalogue, settings: Settings, sizes: Mapping[str, int] | None, offline: bool
) -> list[Group]:
    """Return the downloads page's parts, in the order a reader needs them: the cards, the
    booklet, the home-print sheets, the offline copy, then the files for the print shop."""

    def made(path: str, title: str, purpose: str = "") -> list[Download]:
        if sizes is None:
            shop = paths.for_print_shop(path) and settings.placeholder
            return [] if shop else [Download(path, title, None, purpose)]
        return [Download(path, title, sizes[path], purpose)] if path in sizes else []

    published = catalogue.published
    rows = [
        CardRow(
            exercise.title,
            made(paths.card(exercise.id), WORDS["download_card"])
            + ([] if offline else made(paths.light_card(exercise.id), WORDS["download_light"])),
        )
        for exercise in published
    ]
    groups = [Group(WORDS["download_cards"], WORDS["download_cards_intro"], [], rows)]
    if offline:
        return groups
    several = len(publications(catalogue)) > 1
    booklets: list[Download] = []
    sheets: list[Download] = []
    shop: list[Download] = []
    for publication in publications(catalogue):
        name = f" ({publication.product.name})" if several else ""
        booklets += made(
            paths.booklet(publication.id),
            WORDS["download_booklet"] + name,
            WORDS["download_booklet_use"],
        )
        for sheet in SHEETS:
            for light in (False, True):
                key = "download_sheet_light" if light else "download_sheet"
                sheets += made(
                    paths.sheets(publication.id, sheet, light),
                    WORDS[key].format(paper=WORDS[f"paper_{sheet}"]) + name,
                )
        shop += made(
            paths.booklet_print(publication.id),
            WORDS["download_booklet_print"] + name,
            WORDS["download_booklet_print_use"],
        )
        shop += made(
            paths.booklet_imposed(publication.id),
            WORDS["download_booklet_imposed"] + name,
            WORDS["download_booklet_imposed_use"],
        )
        shop += made(
            paths.panel(publication.id),
            WORDS["download_panel"] + name,
            WORDS["download_panel_use"],
        )
    shop += [
        file
        for exercise in published
        for file in made(
            paths.print_card(exercise.id),
            WORDS["download_print_card"].format(exercise=exercise.title),
        )
    ]
    offline_copy = made(paths.OFFLINE_ZIP, WORDS["download_offline"], WORDS["download_offline_use"])
    groups.append(Group(WORDS["download_booklets"], WORDS["download_booklets_intro"], booklets, []))
    groups.append(Group(WORDS["download_sheets"], WORDS["download_sheets_intro"], sheets, []))
    groups.append(Group(WORDS["offline"], WORDS["download_offline_intro"], offline_copy, []))
    groups.append(Group(WORDS["download_shop"], WORDS["download_shop_intro"], shop, []))
    return [g for g in groups if g.files or g.cards]


def downloadable(files: Mapping[str, bytes]) -> dict[str, int]:
    """Return the size of every file the downloads page can list, from a build's outputs."""
    return {path: len(data) for path, data in files.items() if path.startswith(paths.DOWNLOADABLE)}
