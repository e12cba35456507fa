"""Did anything change since the last build? Answered before the heavy modules are loaded.

After every successful build, a manifest in the cache records the hash of all
its inputs (sources, code, configuration, options) and the hash of every file
it wrote. A build whose inputs hash the same, into an output folder whose
files are still exactly those, has nothing to do.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.engine.cache import CACHE_DIR, digest, fingerprint, tree_digest, write_atomically
from generator.errors import Problem

#: Everything the sources are made of (the code and templates are in the fingerprint).
SOURCE_PARTS = ("content", "diagrams")


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced."""

    site_dir: Path
    """The output folder."""
    warnings: list[Problem]
    """Warnings about the sources (none when built with ``strict``)."""
    summary: str
    """One line for the terminal."""
    rendered: tuple[str, ...] = ()
    """The units rendered by this build, e.g. ``exercise:stomach-crunch``, ``site``."""
    reused: tuple[str, ...] = ()
    """The units copied from the cache."""
    unchanged: bool = False
    """True when nothing had changed since the last build: nothing was rendered or written."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage; stages run by workers are summed over the workers."""


def _manifest_path(root: Path, target: Path) -> Path:
    return root / CACHE_DIR / f"last-{digest(str(target))[:16]}.json"


def input_key(root: Path, strict: bool, build_date: int | None, site_url: str | None = None) -> str:
    """Return the hash of every input of a build: sources, code, configuration, options.

    A build date that the sources give (``None``: none set) is in the key as the sources;
    so is a site address that ``mkdocs.yml`` gives (``site_url`` ``None``).
    """
    return digest(
        fingerprint(root, "" if build_date is None else str(build_date)),
        tree_digest(root, SOURCE_PARTS),
        "strict" if strict else "lenient",
        site_url or "",
    )


CHECKS_LINE = "checks of the outputs:"
"""How a build's summary says how many checks it ran (not said again by a no-op)."""


def unchanged(root: Path, target: Path, inputs: str) -> BuildResult | None:
    """Return the last build's result if its inputs and its output folder are as they were."""
    try:
        manifest = json.loads(_manifest_path(root, target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("inputs") != inputs or not target.is_dir():
        return None
    recorded: dict[str, str] = manifest.get("files", {})
    present = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if p.is_file()}
    if set(present) != set(recorded):
        return None
    for name, path in present.items():
        if hashlib.sha256(path.read_bytes()).hexdigest() != recorded[name]:
            return None
    warnings = [Problem(**item) for item in manifest.get("warnings", [])]
    return BuildResult(
        target,
        warnings,
        "\n".join(
            [
                "nothing changed since the last build; nothing rendered",
                *(  # its warnings, said again (not what it rendered or checked)
                    line
                    for line in str(manifest.get("summary", "")).splitlines()[1:]
                    if not line.startswith(CHECKS_LINE)
                ),
            ]
        ),
        unchanged=True,
    )


def write_manifest(
    root: Path,
    target: Path,
    inputs: str,
    outputs: dict[str, str],
    problems: list[Problem],
    summary: str,
) -> None:
    """Record a successful build's inputs, warnings and output files (their SHA-256)."""
    manifest = {
        "inputs": inputs,
        "summary": summary,
        "warnings": [asdict(p) for p in problems],
        "files": dict(sorted(outputs.items())),
    }
    path = _manifest_path(root, target)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(manifest, indent=0).encode("utf-8"))
