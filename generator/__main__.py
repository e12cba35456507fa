"""Command line: ``python -m generator check|build|schema``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildError, ContentError, Problem


def _report(problems: list[Problem], strict: bool) -> int:
    """Print problems, each labelled as it counts (``strict``: warnings as errors); return how
    many count as errors."""
    counted = sorted(p.counted(strict) for p in problems)
    for problem in counted:
        print(problem, file=sys.stderr)
    return sum(1 for p in counted if p.severity == "error")


def _check(root: Path, strict: bool) -> int:
    from .validate import load_catalogue

    catalogue, problems = load_catalogue(root)
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


def _build(root: Path, strict: bool, site_dir: Path | None, jobs: int | None, cache: bool) -> int:
    from .manifest import input_key, unchanged

    target = (site_dir or root / "site").resolve()
    result = unchanged(root, target, input_key(root, strict)) if cache else None
    if result is not None:  # checked before the renderers are even imported
        _report(result.warnings, strict=False)
        print(f"built {result.site_dir.name}/: {result.summary}")
        return 0

    from .build import build

    try:
        result = build(root, strict=strict, site_dir=site_dir, jobs=jobs, use_cache=cache)
    except ContentError as exc:
        _report(exc.problems, strict)
        print(
            f"build failed: {len(exc.problems)} problem(s); site/ left as it was", file=sys.stderr
        )
        return 1
    except BuildError as exc:
        print(f"build failed: {exc}; site/ left as it was", file=sys.stderr)
        return 1
    _report(result.warnings, strict=False)
    print(f"built {result.site_dir.name}/: {result.summary}")
    return 0


def _schema(root: Path) -> int:
    from .schema import write_schemas

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
        ("schema", "write the JSON Schemas for editors into schema/"),
    ):
        command = commands.add_parser(name, help=text, parents=[common])
        if name == "build":
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
    args = parser.parse_args(argv)
    root = args.root.resolve()
    args.site_dir = getattr(args, "site_dir", None)
    args.jobs = getattr(args, "jobs", None)
    args.cache = getattr(args, "cache", True)
    if args.command == "check":
        return _check(root, args.strict)
    if args.command == "build":
        return _build(root, args.strict, args.site_dir, args.jobs, args.cache)
    return _schema(root)


if __name__ == "__main__":
    sys.exit(main())
