"""The whole build, top to bottom: settings, sources, views, outputs, checks, write.

Everything is made and checked in memory before anything is written; the
one writer (``engine/write.py``) then swaps the new site in whole. The
outputs are made in units, cached and rendered on every core
(``engine/units.py``); when nothing changed since the last build of the same
output folder, the build stops after comparing hashes and renders nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from generator.checks.extract import PdfTexts
from generator.checks.memo import CheckMemo
from generator.checks.parity import check_parity
from generator.checks.verify import verify_site
from generator.engine import timing
from generator.engine.cache import CACHE_DIR, Cache, digest
from generator.engine.manifest import (
    CHECKS_LINE,
    BuildResult,
    input_key,
    unchanged,
    write_manifest,
)
from generator.engine.timing import stage
from generator.engine.units import MemoryCache, Outputs, Part, render_outputs
from generator.engine.workers import core_count
from generator.engine.write import Staging, guard_output, locked, replace_folder, scratch_folder
from generator.errors import BuildError, ContentError, Problem, RenderError
from generator.outputs.identity import release_problems
from generator.outputs.view import ExerciseView, exercise_views
from generator.outputs.words import speaking
from generator.settings import Settings, read_settings
from generator.sources.catalogue import Catalogue
from generator.sources.memo import SOURCES
from generator.sources.validate import load_catalogue
from generator.translations.apply import Translation, source_translation, translation
from generator.translations.files import languages as translation_files
from generator.translations.gate import grouped
from generator.translations.languages import SOURCE_LANGUAGE

PLACEHOLDER_WARNING = (
    "warning: the site address {url} is a placeholder (site_url in mkdocs.yml, or --site-url): "
    "QR codes and links lead nowhere, so the print-shop files (cards/print/, "
    "print/<publication>/booklet-print.pdf, booklet-imposed.pdf, quick-start.pdf) were not made"
)

PREVIEW_REPORT = "preview build; a release build would be refused:"
"""The first line of what a preview build says would block a release (one reason a line)."""


class ReleaseRefused(BuildError):
    """A release build refused before anything was rendered: every reason, one a line."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            f"a release build was refused ({len(reasons)} reason(s)); nothing was built:\n"
            + "\n".join(f"  {reason}" for reason in reasons)
        )


#: The order in which stage times are printed.
STAGES = (
    "load",
    "validate",
    "translate",
    "diagrams",
    "pages",
    "mkdocs",
    "cards",
    "booklet",
    "sheets",
    "previews",
    "embeds",
    "panel",
    "offline",
    "compress",
    "verify",
    "write",
)


def build(
    root: Path,
    *,
    strict: bool = False,
    site_dir: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    on_wait: Callable[[], None] | None = None,
    site_url: str | None = None,
    release: bool = False,
) -> BuildResult:
    """Build everything from ``root``'s sources into ``site_dir`` (default ``root/site``).

    ``jobs``: worker processes (default one per core; 1: none). ``use_cache=False``
    renders everything and leaves the cache alone. A second build into the same
    folder waits for the first (``on_wait`` is called if it has to). ``site_url``: the
    address the site is served at (default: ``site_url`` in ``mkdocs.yml``). ``release``: a
    release build, refused (``ReleaseRefused``) before anything is rendered if anything would
    block a release; a preview build reports it in its summary instead.
    """
    started, _ = time.perf_counter(), timing.take()
    settings = replace(read_settings(root, strict, address=site_url), release=release)  # once
    target = guard_output(root, site_dir)  # never a folder of the sources, nor someone else's
    cache = Cache(root / CACHE_DIR).prepared(root) if use_cache else None
    with locked(target, on_wait), scratch_folder(target):
        key = build_key(settings, site_url)
        if cache and (previous := unchanged(root, target, key)):
            return previous  # nothing changed, or another build just made it
        sources = cache.folder / SOURCES if cache else None  # each file's validation, by hash
        catalogue, warnings = validated(root, strict, sources)  # sources: load, bind, rules
        settings = settings.dated(catalogue.latest_review)
        languages = languages_to_make(root, catalogue, settings, sources)  # the sources', the .po's
        release_gate(catalogue, settings, languages)  # a release: refused before anything is made
        settings = replace(settings, languages=tuple((t.language, t.name) for t in languages))
        texts = PdfTexts(cache.texts if cache else None)  # PDF text, kept by the bytes' hash
        store = cache or MemoryCache()  # without a cache, what languages share is made once
        memo = CheckMemo(cache.checks) if cache else None  # checks passed before: not again
        made: list[Outputs] = []
        with replace_folder(target) as staging:  # the one writer: an atomic swap at the end
            try:
                for group in language_groups(languages, jobs):  # memory: a group at a time
                    made += make_group(group, settings, store, jobs, texts, memo, staging)
            finally:
                if memo:
                    memo.save()
        outputs = Outputs.joined(made)
        result = summary(target, catalogue, outputs, settings, warnings, started, languages, memo)
        if cache:
            write_manifest(root, target, key, staging.written, warnings, result.summary)
        return result


def language_groups(languages: list[Translation], jobs: int | None) -> list[list[Translation]]:
    """Return the languages in groups made together: as many as there are workers (so that
    the website and offline copy of each keep every core busy), never the whole catalogue at
    once (its files are held in memory until written)."""
    size = max(2, jobs or core_count())
    return [languages[i : i + size] for i in range(0, len(languages), size)]


def make_group(
    languages: list[Translation],
    settings: Settings,
    store: Cache,
    jobs: int | None,
    texts: PdfTexts,
    memo: CheckMemo | None,
    staging: Staging,
) -> list[Outputs]:
    """Make, check and write a group of languages' outputs (each a whole set of outputs, below
    ``<language>/``); return what was made, without the files (written, then let go)."""
    parts = []
    for language in languages:
        own = settings.in_language(language.language, SOURCE_LANGUAGE)
        with speaking(language.speech):
            views = exercise_views(language.catalogue)  # one view per exercise
        folder = _folder(language.language)
        parts.append(Part(folder, language.catalogue, views, own, language.speech))
    made = render_outputs(parts, store, jobs, texts)  # cached; every language in one pool
    for language, part in zip(languages, parts, strict=True):
        with speaking(language.speech), named(language.language):
            own_memo = memo.with_salts(made[part.folder].salts) if memo else None
            outputs = made[part.folder]
            check_outputs(outputs, part.catalogue, part.views, part.settings, texts, own_memo)
    found = []
    for part in parts:
        outputs = made.pop(part.folder).below(part.folder)
        with stage("write"):
            staging.write(outputs.files)
        found.append(replace(outputs, files={}))
    return found


def build_key(settings: Settings, site_url: str | None) -> str:
    """Return the hash of every input of the build; a release build's differs from a
    preview's (their outputs differ: the preview marks)."""
    key = input_key(settings.root, settings.strict, settings.build_date, site_url)
    return digest(key, "release") if settings.release else key


def release_gate(catalogue: Catalogue, settings: Settings, languages: list[Translation]) -> None:
    """Raise ``ReleaseRefused`` with every reason if this is a release build that may not be
    released (``identity.release_problems``; a language with an entry the gate holds back)."""
    if settings.release and (reasons := release_reasons(catalogue, settings, languages)):
        raise ReleaseRefused(reasons)


def release_reasons(
    catalogue: Catalogue, settings: Settings, languages: list[Translation]
) -> list[str]:
    """Return every reason these outputs may not be released."""
    reasons = release_problems(catalogue, settings)
    for language in languages:
        reasons += grouped(language.all_gaps())
    return reasons


def languages_to_make(
    root: Path, catalogue: Catalogue, settings: Settings, cache: Path | None = None
) -> list[Translation]:
    """Return the catalogue in every language this build makes: the sources' own first
    (``cache``: where each translation file's parse is kept by its hash).

    A release makes the languages the products declare (``languages`` in
    ``content/products.yaml``) and refuses one that fails the gate; a translation not
    declared is left out of a release until it is. A preview makes every language that has a
    translation file, or that a product declares, each marked until its translation is
    complete and approved.
    """
    declared = {lang for p in catalogue.products.products for lang in p.languages}
    found = set(translation_files(root)) | declared
    if settings.release:
        found &= declared
    made = [source_translation(catalogue)]
    for language in sorted(found - {SOURCE_LANGUAGE}):
        with stage("translate"):
            made.append(translation(root, catalogue, language, cache))
    return made


@contextmanager
def named(language: str) -> Iterator[None]:
    """Say in which language a translation's outputs failed (the sources' own are unnamed)."""
    try:
        yield
    except RenderError as exc:
        if language == SOURCE_LANGUAGE:
            raise
        lines = str(exc).splitlines()
        raise RenderError("\n".join(f"[{language}] {line}" for line in lines)) from None


def _folder(language: str) -> str:
    """Return the folder of a language's outputs below the site: the sources' at the top."""
    return "" if language == SOURCE_LANGUAGE else f"{language}/"


def validated(
    root: Path, strict: bool, cache: Path | None = None
) -> tuple[Catalogue, list[Problem]]:
    """Return the catalogue and its warnings; raise ``ContentError`` with every error.

    ``cache``: the folder of the per-file validation cache (``None``: none read or written).
    """
    with timing.without("validate", "load"):  # loading is its own stage
        catalogue, problems = load_catalogue(root, cache)
    errors = [p for p in problems if p.severity == "error" or strict]
    if catalogue is None or errors:
        raise ContentError(errors or problems)
    return catalogue, problems


def check_outputs(
    outputs: Outputs,
    catalogue: Catalogue,
    views: Mapping[str, ExerciseView],
    settings: Settings,
    pdf_text: PdfTexts,
    memo: CheckMemo | None = None,
) -> None:
    """Raise ``RenderError`` if a card does not fit, or an output lacks a part of an exercise.
    ``memo``: the checks passed before on the same files, not run again."""
    if outputs.misfits:
        raise RenderError("cards do not fit:\n" + "\n".join(outputs.misfits))
    with stage("verify"):
        failures = verify_site(outputs.files, catalogue, memo=memo)
        failures += check_parity(
            outputs.files,
            catalogue,
            views,
            pdf_text,
            not settings.placeholder,
            settings.site_url,
            memo,
        )
    report = []
    if failures:
        report.append("the built site fails the safety check:\n" + "\n".join(failures))
    if outputs.offline_failures:
        failed = "\n".join(outputs.offline_failures)
        report.append("the offline copy fails the safety check:\n" + failed)
    if report:
        raise RenderError("\n".join(report))


def summary(
    target: Path,
    catalogue: Catalogue,
    outputs: Outputs,
    settings: Settings,
    warnings: list[Problem],
    started: float,
    languages: list[Translation],
    memo: CheckMemo | None = None,
) -> BuildResult:
    """Return what the build made, for the terminal and the benchmark."""
    diagrams = sum(len(e.phases) for e in catalogue.published)
    made, reused = len(outputs.rendered), len(outputs.reused)
    line = (
        f"{len(catalogue.published)} exercise page(s), {diagrams} diagram(s), drafts left out; "
        f"{made} of {made + reused} part(s) rendered, {reused} from the cache"
    )
    if memo is not None:
        line += (
            f"\n{CHECKS_LINE} {memo.ran} run, {memo.skipped} skipped "
            "(passed before on the same files)"
        )
    if settings.placeholder:
        line += f"\n{PLACEHOLDER_WARNING.format(url=settings.site_url or '(none)')}"
    names = ", ".join(t.language for t in languages)
    line += f"\nlanguages: {names}"
    unreviewed = [t.language for t in languages if not t.speech.reviewed]
    if unreviewed:
        line += f" (marked 'translation not yet reviewed': {', '.join(unreviewed)})"
    if not settings.release and (reasons := release_reasons(catalogue, settings, languages)):
        line += "\n" + "\n".join([PREVIEW_REPORT, *(f"  {reason}" for reason in reasons)])
    times = timing.take()
    times["total"] = time.perf_counter() - started
    return BuildResult(target, warnings, line, outputs.rendered, outputs.reused, timings=times)
