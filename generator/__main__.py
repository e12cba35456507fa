"""Command line: ``python -m generator check|build|status|schema|review``."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.errors import BuildError, ContentError, Problem


def _report(problems: list[Problem], strict: bool) -> int:
    """Print problems, each labelled as it counts (``strict``: warnings as errors); return how
    many count as errors."""
    counted = sorted(p.counted(strict) for p in problems)
    for problem in counted:
        print(problem, file=sys.stderr)
    return sum(1 for p in counted if p.severity == "error")


def _check(root: Path, strict: bool) -> int:
    from generator.sources.memo import existing_cache
    from generator.sources.validate import load_catalogue

    catalogue, problems = load_catalogue(root, existing_cache(root))
    errors = _report(problems, strict)
    warnings = len(problems) - errors if not strict else 0
    if catalogue is None or errors:
        print(f"check failed: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
        return 1
    drafts = ", ".join(e.id for e in catalogue.drafts) or "none"
    print(
        f"ok: {len(catalogue.published)} published exercise(s), "
        f"{len(catalogue.drafts)} draft(s) not published ({drafts}); {warnings} warning(s)"
    )
    return 0


def _status(root: Path, strict: bool, site_url: str | None) -> int:
    """Print the content status report: per publication, what is published, what is a draft
    and why, the identity fields not yet known, and why a release build would be refused."""
    from generator.settings import SettingError, read_settings
    from generator.sources.status import status_report
    from generator.sources.validate import load_catalogue

    catalogue, problems = load_catalogue(root)
    errors = _report(problems, strict)
    if catalogue is None or errors:
        print(f"status failed: {errors} error(s) in the sources", file=sys.stderr)
        return 1
    try:
        settings = read_settings(root, strict, address=site_url)
    except SettingError as exc:
        print(f"status failed: {exc}", file=sys.stderr)
        return 1
    print(status_report(catalogue, settings.dated(catalogue.latest_review)), end="")
    return 0


def _build(
    root: Path,
    strict: bool,
    site_dir: Path | None,
    jobs: int | None,
    cache: bool,
    site_url: str | None,
    release: bool = False,
) -> int:
    from generator.engine.manifest import input_key, unchanged
    from generator.engine.write import guard_output
    from generator.settings import build_date, checked_address

    shown = site_dir.as_posix() if site_dir else "site"
    try:
        date = build_date()
        site_url = checked_address(site_url) if site_url else None
        target = guard_output(root, site_dir)
        key = input_key(root, strict, date, site_url)
        # A release build is checked against the sources first (in build()), every time.
        result = unchanged(root, target, key) if cache and not release else None
    except BuildError as exc:
        return _failed(str(exc), shown)
    if result is not None:  # checked before the renderers are even imported
        _report(result.warnings, strict=False)
        _built(result.site_dir, result.summary)
        return 0
    try:
        from generator.build import ReleaseRefused, build
    except (ImportError, OSError) as exc:  # e.g. cairo or Pango missing: cffi cannot load it
        return _failed(
            f"a library the build needs cannot be loaded ({exc}). Install the system packages "
            "the README lists (run as root, 'make site' installs them)",
            shown,
        )
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = build(
            root,
            strict=strict,
            site_dir=site_dir,
            jobs=jobs,
            use_cache=cache,
            on_wait=_waiting,
            site_url=site_url,
            release=release,
        )
    except ReleaseRefused as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        print(f"{shown} left as it was", file=sys.stderr)
        return 1
    except ContentError as exc:
        _report(exc.problems, strict)
        return _failed(f"{len(exc.problems)} problem(s)", shown)
    except BuildError as exc:
        return _failed(str(exc), shown)
    except OSError as exc:
        return _failed(describe_os_error(exc, root, shown), shown)
    except KeyboardInterrupt:
        return _failed("stopped by a signal", shown, code=130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    _report(result.warnings, strict=False)
    _built(result.site_dir, result.summary)
    return 0


def _built(site_dir: Path, summary: str) -> None:
    """Print what a build made: its first line on standard output; what follows (warnings, the
    preview report of what would block a release) on standard error."""
    first, *rest = summary.splitlines() or [""]
    print(f"built {site_dir.name}/: {first}")
    for line in rest:
        print(line, file=sys.stderr)


def _failed(reason: str, shown: str, code: int = 1) -> int:
    print(f"build failed: {reason}; {shown} left as it was", file=sys.stderr)
    return code


def _interrupt(signum: int, frame: object) -> None:
    """Turn a termination request into an exception, so that the build cleans up after itself."""
    raise KeyboardInterrupt


def _waiting() -> None:
    print("another build is writing the same folder; waiting for it to finish", file=sys.stderr)


_ADVICE = {
    errno.EACCES: "make it writable for this user, or choose another folder",
    errno.EPERM: "it may be read-only or immutable (lsattr); make it writable, or choose "
    "another folder",
    errno.EROFS: "the file system is read-only; choose a folder on a writable one",
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
    errno.ENOTDIR: "a part of this path is a file, not a folder; choose another path",
    errno.EISDIR: "a folder stands where a file should be; remove it or choose another folder",
    errno.EEXIST: "something of that name is in the way; remove it or choose another folder",
    errno.ENOENT: "a folder on the way is missing; create it or choose another path",
}


def describe_os_error(exc: OSError, root: Path, place: str) -> str:
    """Return an operating-system fault as one line: the path, what went wrong, what to do.

    ``place`` names where the build was writing, for a fault that names no file.
    """
    names = [n for n in (exc.filename, exc.filename2) if n is not None]
    paths = " -> ".join(_relative_name(os.fsdecode(n), root) for n in names) or place
    what = exc.strerror or str(exc)
    advice = _ADVICE.get(exc.errno or 0, "check the path and the permissions, then build again")
    return f"{paths}: {what.lower()}: {advice}"


def _relative_name(name: str, root: Path) -> str:
    path = Path(name)
    if path.is_absolute() and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return name


def _review(root: Path, strict: bool, out: Path) -> int:
    """Write the diagram review sheet (every phase, drafts included) to ``out``."""
    from generator.engine.cache import write_atomically
    from generator.engine.write import MARKER
    from generator.outputs.print.review import render_review
    from generator.outputs.view import review_drawings
    from generator.settings import read_settings
    from generator.sources.validate import load_catalogue

    catalogue, problems = load_catalogue(root)
    errors = _report(problems, strict)
    if catalogue is None or errors:
        print(f"review failed: {errors} error(s) in the sources", file=sys.stderr)
        return 1
    drawings = review_drawings(catalogue)
    epoch = read_settings(root, strict).dated(catalogue.latest_review).epoch
    target = (out if out.is_absolute() else Path.cwd() / out).resolve()
    if any((folder / MARKER).exists() for folder in target.parents):
        print(
            f"review failed: {out} is inside a built site; the sheet holds drafts", file=sys.stderr
        )
        return 1
    write_atomically(target, render_review(catalogue, drawings, epoch, root))
    phases = sum(len(drawn) for _, drawn in drawings)
    print(f"wrote {out}: {len(drawings)} exercise(s), {phases} phase(s), drafts included")
    return 0


def _schema(root: Path) -> int:
    from generator.sources.schema import write_schemas

    for path in write_schemas(root):
        print(f"wrote {path.relative_to(root).as_posix()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process arguments); return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Validate the exercise sources and build the website from them.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="project folder")
    common.add_argument(
        "--strict", action="store_true", default=argparse.SUPPRESS, help="treat warnings as errors"
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: .)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("check", "validate the sources and report every problem"),
        ("build", "validate, then build everything into site/"),
        ("status", "report what is published, what is a draft and why, and what blocks a release"),
        ("schema", "write the JSON Schemas for editors into schema/"),
        ("review", "write the diagram review sheet (every phase, drafts included) as PDF"),
        ("translations", "update the translation files, approve them, or check the safety gate"),
    ):
        command = commands.add_parser(name, help=text, parents=[common])
        if name in ("build", "status"):
            command.add_argument(
                "--site-url",
                metavar="URL",
                help="the address the site is served at, for QR codes and links "
                "(default: site_url in mkdocs.yml)",
            )
        if name == "build":
            command.add_argument(
                "--release",
                action="store_true",
                help="a release build: refused, before anything is built, while an identity "
                "field is unknown, a part has no published exercise or the site address is a "
                "placeholder (default: a preview build, which reports these)",
            )
            command.add_argument("--site-dir", type=Path, help="output folder (default: site)")
            command.add_argument(
                "--jobs",
                type=int,
                help="worker processes for rendering (default: one per core; 1: none)",
            )
            command.add_argument(
                "--no-cache",
                dest="cache",
                action="store_false",
                help="render everything, without reading or writing .cache/build",
            )
        if name == "translations":
            command.add_argument("action", choices=("update", "approve", "check"))
            command.add_argument("language", nargs="?", help="e.g. de (update: every language)")
            command.add_argument("--by", metavar="REVIEWER", help="approve: who reviewed")
            command.add_argument("--date", metavar="YYYY-MM-DD", help="approve: when")
        if name == "review":
            command.add_argument(
                "--out",
                type=Path,
                default=Path("diagram-review.pdf"),
                help="where to write it (default: diagram-review.pdf); never the site",
            )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    args.site_dir = getattr(args, "site_dir", None)
    args.jobs = getattr(args, "jobs", None)
    args.cache = getattr(args, "cache", True)
    args.site_url = getattr(args, "site_url", None)
    if args.command == "check":
        return _check(root, args.strict)
    if args.command == "status":
        return _status(root, args.strict, args.site_url)
    if args.command == "build":
        return _build(
            root, args.strict, args.site_dir, args.jobs, args.cache, args.site_url, args.release
        )
    if args.command == "review":
        return _review(root, args.strict, args.out)
    if args.command == "translations":
        return _translations(root, args)
    return _schema(root)


def _translations(root: Path, args: argparse.Namespace) -> int:
    """Update the translation files, record a reviewer's approval, or check the safety gate."""
    from generator.sources.validate import load_catalogue
    from generator.translations import files
    from generator.translations.apply import translation
    from generator.translations.units import catalogue_units

    catalogue, problems = load_catalogue(root)
    errors = _report(problems, args.strict)
    if catalogue is None or errors:
        print(f"translations failed: {errors} error(s) in the sources", file=sys.stderr)
        return 1
    chosen = [args.language] if args.language else files.languages(root)
    if not chosen:
        print(
            "translations: no language yet; start one with: python -m generator translations "
            "update de",
            file=sys.stderr,
        )
        return 1
    if args.action == "update":
        units = catalogue_units(catalogue)
        for language in chosen:
            done = files.update(root, language, units)
            print(
                f"{files.FOLDER}/{language}.po: {done.added} new, {done.outdated} outdated "
                f"(marked fuzzy), {done.obsolete} obsolete"
            )
        return 0
    if args.action == "approve":
        if not args.by or not args.date or len(chosen) != 1:
            print(
                "translations approve: give one language, --by REVIEWER and --date", file=sys.stderr
            )
            return 1
        count = files.approve(root, chosen[0], args.by, args.date)
        print(f"{files.FOLDER}/{chosen[0]}.po: {count} translation(s) approved by {args.by}")
        return 0
    failed = 0
    for language in chosen:
        for exercise, gaps in translation(root, catalogue, language).gaps.items():
            for found in gaps:
                print(found, file=sys.stderr)
            state = "may be published" if not gaps else f"not publishable ({len(gaps)} entries)"
            print(f"{language} {exercise}: {state}")
            failed += bool(gaps)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
