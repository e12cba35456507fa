"""The outputs, cut into units, each made whole or taken from the cache.

A *unit* is a group of output files made together: one exercise's images,
cards and embeds; the website; its offline copy; the booklet; each
home-print sheet; the panel. Its key is the hash of everything it is made
from (see ``cache.py``); a unit whose key is in the cache is copied, not
rendered. The units that are missing are rendered by worker processes, one
per core, heaviest first; results are put together by path, so the output
does not depend on which worker finished first.

Every unit is a renderer's call: (catalogue, views, settings) → files. A
unit also returns the problems found while making it (a card that does not
fit; the offline copy's own safety check), which stop the build.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generator.checks.extract import PdfTexts
from generator.checks.parity import check_offline
from generator.checks.verify import verify_site
from generator.diagrams.export import diagram_files
from generator.engine import timing
from generator.engine.cache import Cache, canonical, digest, fingerprint, tree_digest
from generator.engine.timing import stage
from generator.engine.workers import core_count, run_tasks
from generator.errors import RenderError
from generator.model import Exercise, Section
from generator.outputs import paths
from generator.outputs.embeds import embed_files
from generator.outputs.identity import instructions_version
from generator.outputs.precompress import precompressed
from generator.outputs.previews import preview_files
from generator.outputs.print.booklet import render_booklets
from generator.outputs.print.cards import CARD_SIZES, render_cards
from generator.outputs.print.panel import panel_files
from generator.outputs.print.sheets import SHEETS, impose_sheets
from generator.outputs.view import ExerciseView
from generator.outputs.web.downloads import downloadable
from generator.outputs.web.website import render_website, zip_files
from generator.outputs.words import speech
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.publications import Publication, publications

Files = dict[str, bytes]
Made = tuple[Files, list[str]]
"""A unit's files and the problems found while making them."""


@dataclass(frozen=True)
class Unit:
    """A group of outputs made together, and the key of everything they are made from."""

    name: str
    key: str


@dataclass(frozen=True)
class Outputs:
    """Every output file of a build, what stops it, and which units were made or reused."""

    files: Files
    misfits: list[str]
    """Cards that do not fit their page."""
    offline_failures: list[str]
    """What the offline copy's own safety check found."""
    rendered: tuple[str, ...]
    reused: tuple[str, ...]

    def below(self, folder: str) -> Outputs:
        """Return these outputs with every path and unit name below ``folder`` (a language's)."""
        if not folder:
            return self
        return Outputs(
            {folder + path: data for path, data in self.files.items()},
            self.misfits,
            self.offline_failures,
            tuple(folder + name for name in self.rendered),
            tuple(folder + name for name in self.reused),
        )

    @staticmethod
    def joined(parts: list[Outputs]) -> Outputs:
        """Return the outputs of several languages together."""
        files: Files = {}
        for part in parts:
            files |= part.files
        return Outputs(
            files,
            [m for p in parts for m in p.misfits],
            [f for p in parts for f in p.offline_failures],
            tuple(n for p in parts for n in p.rendered),
            tuple(n for p in parts for n in p.reused),
        )


@dataclass(frozen=True)
class _Job:
    """What every unit is made from (handed to the workers by ``fork``, never pickled)."""

    catalogue: Catalogue
    views: Mapping[str, ExerciseView]
    settings: Settings
    pdf_text: PdfTexts
    sizes: Mapping[str, int] | None = None
    """The size of each printed file, for the downloads page (the website's units)."""
    cards: Mapping[str, bytes] | None = None
    """Each exercise's card, which the offline copy holds (the website's units)."""


def render_outputs(
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    settings: Settings,
    cache: Cache | None,
    jobs: int | None,
) -> Outputs:
    """Return every output: each unit from the cache, or rendered (in workers)."""
    keys = _Keys(settings, catalogue)
    texts = PdfTexts(cache.texts if cache else None)
    # First the printed files and the exercises' own; then the offline copy, which holds the
    # cards; then the website, whose downloads page gives the size of each (the zip's too).
    printed = _made(
        _printed_units(catalogue, keys), _Job(catalogue, views, settings, texts), cache, jobs
    )
    files = printed.files
    if not printed.misfits:
        with stage("sheets"):
            files |= sheet_files(catalogue, settings, files)
    if settings.placeholder:  # never send the print shop a QR code that leads nowhere
        files = {path: data for path, data in files.items() if not paths.for_print_shop(path)}
    sizes = downloadable(files)
    cards = {
        p: files[p] for p in map(paths.card, (e.id for e in catalogue.published)) if p in files
    }
    offline = _made(
        [_offline_unit(keys, sizes, cards)],
        _Job(catalogue, views, settings, texts, sizes, cards),
        cache,
        jobs,
    )
    sizes = downloadable(files | offline.files)
    site = _made(
        [Unit("site", keys.of("site", canonical(sizes)))],
        _Job(catalogue, views, settings, texts, sizes),
        cache,
        jobs,
    )
    return Outputs(
        files | offline.files | site.files,
        printed.misfits,
        offline.offline_failures,
        printed.rendered + offline.rendered + site.rendered,
        printed.reused + offline.reused + site.reused,
    )


def _made(units: list[Unit], job: _Job, cache: Cache | None, jobs: int | None) -> Outputs:
    """Return the files of ``units``: each from the cache, or rendered (in workers)."""
    found = {u.name: cache.get(u.key) for u in units} if cache else {}
    missing = [u for u in units if found.get(u.name) is None]
    workers = max(1, min(jobs or core_count(), len(missing)))
    made = run_tasks([u.name for u in missing], lambda name: _timed(job, name), workers)
    files: Files = {}
    misfits: list[str] = []
    offline: list[str] = []
    for unit in units:
        if unit.name in made:
            unit_files, unit_problems, times = made[unit.name]
            timing.add(times)
            found_in = offline if unit.name == "offline" else misfits
            found_in += [p for p in unit_problems if p not in found_in]
            if cache and not unit_problems:
                cache.put(unit.key, unit_files)
        files |= made[unit.name][0] if unit.name in made else found[unit.name] or {}
    reused = tuple(u.name for u in units if u not in missing)
    return Outputs(files, misfits, offline, tuple(u.name for u in missing), reused)


def sheet_files(catalogue: Catalogue, settings: Settings, files: Files) -> Files:
    """Return each publication's home-print sheets, imposed from its cards' PDFs (every paper
    size, with and without the cards' background)."""
    size = catalogue.printing.cards.size.value
    found: Files = {}
    for publication in publications(catalogue):
        included = publication.catalogue(catalogue).published
        for light in (False, True):
            cards = [
                (e.title, files[paths.light_card(e.id) if light else paths.card(e.id)])
                for e in included
            ]
            for sheet in SHEETS:
                found[paths.sheets(publication.id, sheet, light)] = impose_sheets(
                    settings.root,
                    cards,
                    sheet,
                    CARD_SIZES[size],
                    settings.epoch,
                    publication.language,
                    light,
                    preview=not settings.release,
                )
    return found


def _timed(job: _Job, name: str) -> tuple[Files, list[str], dict[str, float]]:
    """Make one unit (in a worker or here); return its files, its problems and its times."""
    outside = timing.take()
    files, problems = _make(job, name)
    times = timing.take()
    timing.add(outside)
    return files, problems, times


def _make(job: _Job, name: str) -> Made:
    kind, _, arg = name.partition(":")
    makers: dict[str, Callable[[], Made]] = {
        "exercise": lambda: _exercise_files(job, job.views[arg]),
        "site": lambda: _website(job),
        "offline": lambda: _offline(job),
        "booklet": lambda: _booklet(job, arg),
        "panel": lambda: _panel(job, arg),
    }
    return makers[kind]()


def _exercise_files(job: _Job, view: ExerciseView) -> Made:
    """Return one exercise's diagram copies, sharing image, printed cards and embeds."""
    catalogue, settings = job.catalogue, job.settings
    files: Files = {}
    problems: list[str] = []
    with stage("diagrams"):
        files |= diagram_files(view.diagrams, settings.epoch)
    with stage("previews"):
        files |= preview_files(view, settings)
    with stage("cards"):
        try:
            files |= render_cards(catalogue, view, settings)
        except RenderError as exc:
            problems += str(exc).splitlines()
    with stage("verify"):
        for card in (paths.card(view.id), paths.print_card(view.id)):
            if card in files:
                job.pdf_text(files[card])  # read back here, in parallel; the check finds it kept
    with stage("embeds"):
        embeds = embed_files(catalogue, view, settings)
        files |= embeds | precompressed(embeds)  # compressed copies for the host
    return files, problems


def _website(job: _Job) -> Made:
    """Return the website, with compressed copies of its text files for the host."""
    with stage("mkdocs"):
        files = render_website(job.catalogue, job.views, job.settings, sizes=job.sizes)
    with stage("compress"):
        return files | precompressed(files), []


def _offline(job: _Job) -> Made:
    """Return the offline copy with the cards, zipped, and what its own safety check found."""
    with stage("offline"):
        site = render_website(job.catalogue, job.views, job.settings, True, job.sizes)
        site |= job.cards or {}
        failures = verify_site(site, job.catalogue, offline=True)
        failures += check_offline(site, job.catalogue, job.views)
        return {paths.OFFLINE_ZIP: zip_files(site, job.settings.epoch)}, failures


def _publication(job: _Job, publication_id: str) -> Publication:
    return next(p for p in publications(job.catalogue) if p.id == publication_id)


def _booklet(job: _Job, publication_id: str) -> Made:
    publication = _publication(job, publication_id)
    with stage("booklet"):
        own = publication.catalogue(job.catalogue)
        files = render_booklets(own, job.views, job.settings, publication.id)
    with stage("verify"):
        job.pdf_text(files[paths.booklet(publication.id)])  # read back here, in parallel
    return files, []


def _panel(job: _Job, publication_id: str) -> Made:
    publication = _publication(job, publication_id)
    with stage("panel"):
        own = publication.catalogue(job.catalogue)
        return panel_files(own, job.views, job.settings, publication.id), []


# --- what a build is made of, and the keys -----------------------------------------------------


class _Keys:
    """The keys of the units, from the fingerprint and the catalogue."""

    def __init__(self, settings: Settings, catalogue: Catalogue) -> None:
        root = settings.root
        self.catalogue = catalogue
        spoken = speech()
        self.code = digest(
            fingerprint(root, str(settings.epoch)),
            settings.site_url,
            "release" if settings.release else "preview",  # a preview marks every printed page
            canonical(catalogue.products.maker.model_dump(mode="json")),  # on every output
            # The language: its words, whether it is reviewed, and the others the site links to.
            canonical([spoken.language, dict(spoken.words), dict(spoken.legend), spoken.reviewed]),
            canonical([settings.language, settings.base_url, list(settings.languages)]),
        )
        self.products = canonical(catalogue.products.model_dump(mode="json"))
        self.kit = tree_digest(root, ["diagrams"])
        self.shared = canonical(catalogue.shared.model_dump(mode="json"))
        self.printing = canonical(catalogue.printing.model_dump(mode="json"))
        self.published = digest(*(self._exercise(e) for e in catalogue.published))

    @staticmethod
    def within(keys: _Keys, catalogue: Catalogue) -> _Keys:
        """Return the keys of the units made from a publication's own catalogue (the same
        code, kit and settings; its product and its exercises)."""
        found = copy.copy(keys)
        found.catalogue = catalogue
        found.published = digest(*(found._exercise(e) for e in catalogue.published))
        found.products = canonical(catalogue.products.model_dump(mode="json"))
        return found

    def _exercise(self, exercise: Exercise) -> str:
        return canonical(exercise.model_dump(mode="json"))

    def of(self, name: str, *more: str) -> str:
        """Return the key of a unit that depends on every published exercise."""
        return digest(
            self.code,
            name,
            self.kit,
            self.shared,
            self.printing,
            self.products,
            self.published,
            *more,
        )

    def exercise(self, exercise: Exercise) -> str:
        """Return the key of one exercise's own outputs: the exercise and what it links to."""
        catalogue = self.catalogue
        before, after = catalogue.neighbours(exercise)
        around = [
            *(catalogue.published_link(ref) for ref in exercise.prerequisites.exercises),
            catalogue.published_link(exercise.links.next),
            catalogue.published_link(exercise.links.balances),
            before,
            after,
        ]
        return digest(
            self.code,
            "exercise",
            self.kit,
            self.shared,
            self.printing,
            self._exercise(exercise),
            canonical([(e.id, e.title, e.section) if e else None for e in around]),
        )

    def panel(self, publication: str) -> str:
        """Return the key of the quick-start panel: the shared texts, the getting-on exercise and
        the version of the instructions."""
        first = next((e for e in self.catalogue.published if e.section is Section.GETTING_ON), None)
        return digest(
            self.code,
            "panel",
            publication,
            self.products,
            self.kit,
            self.shared,
            self._exercise(first) if first else "",
            canonical(instructions_version(self.catalogue)),  # its identity line names it
        )


def _offline_unit(keys: _Keys, sizes: Mapping[str, int], cards: Mapping[str, bytes]) -> Unit:
    """Return the offline copy's unit: made after the printed files, as it holds the cards and
    its downloads page gives their sizes."""
    held = digest(*(part for path, data in sorted(cards.items()) for part in (path, data)))
    return Unit("offline", keys.of("offline", canonical(dict(sizes)), held))


def _printed_units(catalogue: Catalogue, keys: _Keys) -> list[Unit]:
    """Return the units of the printed files and each exercise's own, heaviest first (so that
    workers finish together)."""
    units: list[Unit] = []
    for publication in publications(catalogue):  # each its own unit: only its exercises count
        own = _Keys.within(keys, publication.catalogue(catalogue))
        units.append(Unit(f"booklet:{publication.id}", own.of("booklet", publication.id)))
        units.append(Unit(f"panel:{publication.id}", own.panel(publication.id)))
    units += [Unit(f"exercise:{e.id}", keys.exercise(e)) for e in catalogue.published]
    return units
