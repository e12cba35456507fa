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
import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.checks.extract import PdfTexts
from generator.checks.parity import check_offline
from generator.checks.verify import verify_site
from generator.diagrams.export import diagram_files, wordless
from generator.engine import timing
from generator.engine.cache import Cache, canonical, digest, fingerprint, tree_digest
from generator.engine.timing import stage
from generator.engine.workers import core_count, run_tasks
from generator.errors import RenderError
from generator.model import Exercise, Section
from generator.outputs import paths
from generator.outputs.embeds import embed_files
from generator.outputs.identity import instructions_version
from generator.outputs.precompress import compressions, precompressed, worth_compressing
from generator.outputs.previews import preview_files
from generator.outputs.print.booklet import render_booklets
from generator.outputs.print.cards import CARD_SIZES, render_cards
from generator.outputs.print.panel import panel_files
from generator.outputs.print.sheets import SHEETS, impose_sheets
from generator.outputs.view import ExerciseView
from generator.outputs.web.downloads import downloadable
from generator.outputs.web.kept import keep_in
from generator.outputs.web.website import render_website, zip_files
from generator.outputs.words import Speech, speaking, speech
from generator.settings import Settings
from generator.sources.catalogue import Catalogue
from generator.sources.publications import Publication, publications

Files = dict[str, bytes]
Made = tuple[Files, list[str]]
"""A unit's files and the problems found while making them."""


@dataclass(frozen=True)
class Part:
    """One language's share of a build: its catalogue, views, settings and words."""

    folder: str
    """Where its outputs go below the site ("" for the sources' language, else ``de/``)."""
    catalogue: Catalogue
    views: Mapping[str, ExerciseView]
    settings: Settings
    speech: Speech


@dataclass(frozen=True)
class Unit:
    """A group of outputs made together, and the key of everything they are made from."""

    name: str
    key: str
    folder: str = ""
    """The language whose part makes it."""
    shared: tuple[str, ...] = ()
    """Other languages whose outputs it also is (a diagram's images carry no words)."""

    @property
    def task(self) -> str:
        return self.folder + self.name


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
    salts: Mapping[str, str] = field(default_factory=dict)
    """What each exercise's checks are checked against (its own outputs' key), and the whole
    catalogue's under ``""`` (for ``checks.memo``)."""

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
    """What every unit of one language is made from (handed to the workers by ``fork``, never
    pickled)."""

    part: Part
    pdf_text: PdfTexts
    sizes: Mapping[str, int] | None = None
    """The size of each printed file, for the downloads page (the website's units)."""
    cards: Mapping[str, bytes] | None = None
    """Each exercise's card, which the offline copy holds (the website's units)."""
    printed: Mapping[str, bytes] | None = None
    """The printed files, from which the home-print sheets are imposed."""

    @property
    def catalogue(self) -> Catalogue:
        return self.part.catalogue

    @property
    def views(self) -> Mapping[str, ExerciseView]:
        return self.part.views

    @property
    def settings(self) -> Settings:
        return self.part.settings


class _Made:
    """What the stages have made so far, per language: files, problems, units made and reused."""

    def __init__(self, parts: list[Part]) -> None:
        self.files: dict[str, Files] = {p.folder: {} for p in parts}
        self.misfits: dict[str, list[str]] = {p.folder: [] for p in parts}
        self.offline: dict[str, list[str]] = {p.folder: [] for p in parts}
        self.rendered: dict[str, list[str]] = {p.folder: [] for p in parts}
        self.reused: dict[str, list[str]] = {p.folder: [] for p in parts}

    def outputs(self, folder: str, salts: Mapping[str, str]) -> Outputs:
        return Outputs(
            self.files[folder],
            self.misfits[folder],
            self.offline[folder],
            tuple(self.rendered[folder]),
            tuple(self.reused[folder]),
            salts,
        )


def render_outputs(
    parts: list[Part], store: Cache, jobs: int | None, pdf_text: PdfTexts
) -> dict[str, Outputs]:
    """Return every output of every language (by its folder): each unit from the cache, or
    rendered (in workers, every language's units of a stage in one pool).

    ``store``: the cache, or a ``MemoryCache`` that keeps for this build only what several
    languages share (a diagram's images, the theme's compressed scripts).
    """
    keep_in(store.web)  # the website's subset faces and compiled templates, kept between builds
    keys = {}
    for part in parts:
        with speaking(part.speech):
            keys[part.folder] = _Keys(part.settings, part.catalogue)
    made = _Made(parts)
    # First the printed files and the exercises' own; then, side by side, the home-print
    # sheets, imposed from the cards, and the offline copy, which holds the cards; then the
    # website, whose downloads page gives the size of each file (the zip's too); then the
    # compressed copies.
    units = _shared([u for p in parts for u in _printed_units(p, keys[p.folder])])
    _made(units, {p.folder: _Job(p, pdf_text) for p in parts}, store, jobs, made)
    for part in parts:
        files = made.files[part.folder]
        if part.settings.placeholder:  # never send the print shop a QR code that leads nowhere
            made.files[part.folder] = {
                p: d for p, d in files.items() if not paths.for_print_shop(p)
            }
    offline: list[Unit] = []  # side by side: the offline copies and the home-print sheets
    sheets: list[Unit] = []
    second_jobs = {}
    for part in parts:
        files = made.files[part.folder]
        published = (e.id for e in part.catalogue.published)
        cards = {p: files[p] for p in map(paths.card, published) if p in files}
        sizes = {path: len(data) for path, data in cards.items()}  # its downloads: the cards
        second_jobs[part.folder] = _Job(part, pdf_text, sizes, cards, printed=files)
        offline.append(_offline_unit(keys[part.folder], part.folder, sizes, cards))
        if not made.misfits[part.folder]:
            sheets += _sheets_unit(part, keys[part.folder], files)
    _made(offline + sheets, second_jobs, store, jobs, made)
    site_jobs = {}
    site_units = []
    for part in parts:
        sizes = downloadable(made.files[part.folder])
        site_jobs[part.folder] = _Job(part, pdf_text, sizes)
        site_units.append(Unit("site", keys[part.folder].of("site", canonical(sizes)), part.folder))
    _made(site_units, site_jobs, store, jobs, made)
    with stage("compress"):
        base = keys[parts[0].folder].base
        folders = [p.folder for p in parts]
        copies = compressed_copies([made.files[f] for f in folders], store, jobs, base)
        for folder, own in zip(folders, copies, strict=True):
            made.files[folder] |= own
    return {p.folder: made.outputs(p.folder, keys[p.folder].salts()) for p in parts}


def _shared(units: list[Unit]) -> list[Unit]:
    """Return ``units`` with those of the same key made once, by the first language that has
    it, and given to the others."""
    first: dict[str, Unit] = {}
    others: dict[str, list[str]] = {}
    for unit in units:
        if unit.name.startswith("diagrams:") and unit.key in first:
            others[unit.key].append(unit.folder)
            continue
        first.setdefault(unit.key, unit)
        others.setdefault(unit.key, [])
    return [
        Unit(u.name, u.key, u.folder, tuple(others[u.key])) if first.get(u.key) is u else u
        for u in units
        if first.get(u.key) is u or not u.name.startswith("diagrams:")
    ]


def _made(
    units: list[Unit],
    jobs_by_folder: Mapping[str, _Job],
    cache: Cache,
    jobs: int | None,
    made: _Made,
) -> None:
    """Add the files of ``units`` to ``made``: each from the cache, or rendered (in workers)."""
    found = {u.task: cache.get(u.key) for u in units}
    missing = [u for u in units if found[u.task] is None]
    workers = max(1, min(jobs or core_count(), len(missing)))
    by_task = {u.task: u for u in units}

    def work(task: str) -> tuple[Files, list[str], dict[str, float]]:
        unit = by_task[task]
        return _timed(jobs_by_folder[unit.folder], unit.name)

    rendered = run_tasks([u.task for u in missing], work, workers)
    for unit in units:
        if unit.task in rendered:
            unit_files, problems, times = rendered[unit.task]
            timing.add(times)
            found_in = made.offline if unit.name == "offline" else made.misfits
            own = found_in[unit.folder]
            own += [p for p in problems if p not in own]
            if not problems and cache.keeps(unit.name):
                cache.put(unit.key, unit_files)
            made.rendered[unit.folder].append(unit.name)
        else:
            unit_files = found[unit.task] or {}
            made.reused[unit.folder].append(unit.name)
        for folder in (unit.folder, *unit.shared):
            made.files[folder] |= unit_files
        for folder in unit.shared:
            made.reused[folder].append(unit.name)


class MemoryCache(Cache):
    """A cache kept in memory for one build (``--no-cache``): nothing is read or written, and
    only what another language may share is kept (a diagram's images; compressed copies)."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, bytes]] = {}

    def keeps(self, unit: str) -> bool:
        return unit.startswith("diagrams:")

    @property
    def web(self) -> Path | None:
        return None

    def get(self, key: str) -> dict[str, bytes] | None:
        return self._entries.get(key)

    def put(self, key: str, files: dict[str, bytes]) -> None:
        self._entries[key] = files


def compressed_copies(
    groups: list[Files], cache: Cache, jobs: int | None, base: str
) -> list[Files]:
    """Return the compressed siblings of each group's text files, each content compressed once
    (the theme's scripts are the same in every language) and kept in the cache by its hash
    (with ``base``, the generator's fingerprint: the compressors' versions)."""
    by_hash = {
        hashlib.sha256(data).hexdigest(): data
        for files in groups
        for path, data in files.items()
        if worth_compressing(path, data)
    }
    known = {sha: cache.get(digest(base, "compressed", sha)) for sha in sorted(by_hash)}
    missing = [sha for sha, found in known.items() if found is None]
    missing.sort(key=lambda sha: -len(by_hash[sha]))  # the largest first
    workers = max(1, min(jobs or core_count(), len(missing)))
    made = run_tasks(missing, lambda sha: compressions(by_hash[sha]), workers)
    for sha, copies in made.items():
        cache.put(digest(base, "compressed", sha), copies)
    known |= made
    return [
        precompressed(files, lambda data: known[hashlib.sha256(data).hexdigest()] or {})
        for files in groups
    ]


def _sheets_unit(part: Part, keys: _Keys, files: Files) -> list[Unit]:
    """Return each publication's home-print sheets unit, keyed by the cards it imposes."""
    units = []
    for publication in publications(part.catalogue):
        included = publication.catalogue(part.catalogue).published
        held = [
            part
            for e in included
            for path in (paths.card(e.id), paths.light_card(e.id))
            for part in (e.title, hashlib.sha256(files.get(path, b"")).hexdigest())
        ]
        key = digest(keys.code, "sheets", publication.id, keys.printing, *held)
        units.append(Unit(f"sheets:{publication.id}", key, part.folder))
    return units


def _sheets(job: _Job, publication_id: str) -> Made:
    """Return one publication's home-print sheets, imposed from its cards' PDFs (every paper
    size, with and without the cards' background)."""
    catalogue, settings, files = job.catalogue, job.settings, job.printed or {}
    publication = _publication(job, publication_id)
    size = catalogue.printing.cards.size.value
    found: Files = {}
    included = publication.catalogue(catalogue).published
    with stage("sheets"):
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
    return found, []


def _timed(job: _Job, name: str) -> tuple[Files, list[str], dict[str, float]]:
    """Make one unit (in a worker or here), in its language; return its files, its problems
    and its times."""
    outside = timing.take()
    with speaking(job.part.speech):
        files, problems = _make(job, name)
    times = timing.take()
    timing.add(outside)
    return files, problems, times


def _make(job: _Job, name: str) -> Made:
    kind, _, arg = name.partition(":")
    makers: dict[str, Callable[[], Made]] = {
        "exercise": lambda: _exercise_files(job, job.views[arg]),
        "diagrams": lambda: _diagrams(job, job.views[arg]),
        "site": lambda: _website(job),
        "offline": lambda: _offline(job),
        "booklet": lambda: _booklet(job, arg),
        "panel": lambda: _panel(job, arg),
        "sheets": lambda: _sheets(job, arg),
    }
    return makers[kind]()


def _diagrams(job: _Job, view: ExerciseView) -> Made:
    """Return one exercise's diagram images (PNG, PDF): drawn from the SVG without its words,
    so every language has the same."""
    with stage("diagrams"):
        neutral = [replace(d, svg=wordless(d.svg)) for d in view.diagrams]
        return diagram_files(neutral, job.settings.epoch), []


def _exercise_files(job: _Job, view: ExerciseView) -> Made:
    """Return one exercise's sharing image, printed cards and embeds."""
    catalogue, settings = job.catalogue, job.settings
    files: Files = {}
    problems: list[str] = []
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
        files |= embed_files(catalogue, view, settings)
    return files, problems


def _website(job: _Job) -> Made:
    """Return the website (its compressed copies are made after, once per content)."""
    with stage("mkdocs"):
        return render_website(job.catalogue, job.views, job.settings, sizes=job.sizes), []


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


@functools.lru_cache(maxsize=4)
def _fingerprint(root: Path, date: str) -> str:
    """Return the generator's fingerprint, computed once per build for every language."""
    return fingerprint(root, date)


class _Keys:
    """The keys of the units, from the fingerprint and the catalogue."""

    def __init__(self, settings: Settings, catalogue: Catalogue) -> None:
        root = settings.root
        self.catalogue = catalogue
        spoken = speech()
        self.base = _fingerprint(root, str(settings.epoch))
        self.code = digest(
            self.base,
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

    def salts(self) -> dict[str, str]:
        """Return what the checks are checked against: each exercise's outputs by its id, each
        publication's (``publication:<id>``, ``panel:<id>``), the whole catalogue's (``""``),
        and a check of a file alone (``code``: the generator and the language's words)."""
        salts = {e.id: self.exercise(e) for e in self.catalogue.published}
        for publication in publications(self.catalogue):
            own = _Keys.within(self, publication.catalogue(self.catalogue))
            salts[f"publication:{publication.id}"] = own.of("checks", publication.id)
            salts[f"panel:{publication.id}"] = own.panel(publication.id)
        return salts | {"": self.of("checks"), "code": self.code}

    def diagrams(self, view: ExerciseView) -> str:
        """Return the key of one exercise's diagram images: its drawings without their words
        (the same in every language)."""
        drawn = [part for d in view.diagrams for part in (d.path, wordless(d.svg))]
        return digest(self.base, "diagrams", self.kit, *drawn)

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


def _offline_unit(
    keys: _Keys, folder: str, sizes: Mapping[str, int], cards: Mapping[str, bytes]
) -> Unit:
    """Return the offline copy's unit: made after the cards, which it holds and whose sizes
    its downloads page gives (it lists nothing else)."""
    held = digest(*(part for path, data in sorted(cards.items()) for part in (path, data)))
    return Unit("offline", keys.of("offline", canonical(dict(sizes)), held), folder)


def _printed_units(part: Part, keys: _Keys) -> list[Unit]:
    """Return the units of one language's printed files and each exercise's own, heaviest
    first (so that workers finish together)."""
    catalogue, folder = part.catalogue, part.folder
    units: list[Unit] = []
    for publication in publications(catalogue):  # each its own unit: only its exercises count
        own = _Keys.within(keys, publication.catalogue(catalogue))
        units.append(Unit(f"booklet:{publication.id}", own.of("booklet", publication.id), folder))
        units.append(Unit(f"panel:{publication.id}", own.panel(publication.id), folder))
    units += [Unit(f"exercise:{e.id}", keys.exercise(e), folder) for e in catalogue.published]
    units += [
        Unit(f"diagrams:{e.id}", keys.diagrams(part.views[e.id]), folder)
        for e in catalogue.published
    ]
    return units
