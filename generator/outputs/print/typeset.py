"""Typst, fenced in: a template and its data in, PDF bytes out, nothing fetched.

Every printed output (card, booklet, panel) is a Typst template under
``templates/print/`` that reads one JSON document, handed over in memory as
``sys.inputs.data`` and built from the exercise views: the template decides
the layout, never the words. Diagrams and QR codes travel inside that data as
SVG text. The compiler sees only the print templates' folder and the
project's typeface (system fonts and Typst's own are left out, so a character
the typeface lacks can never be printed in another one). A template that
imports a package (``@preview/…``) is refused before Typst could download it.

Typst's Python binding ignores ``SOURCE_DATE_EPOCH``: the build date is passed
as the document's timestamp, so the same sources give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, cast

import typst

from generator.engine.workers import isolated
from generator.errors import RenderError
from generator.outputs.templating import TEMPLATES_DIR
from generator.sources.fonts import font_folder

PRINT_TEMPLATES = "print"
"""The folder of the Typst templates, inside the templates folder."""
SCREEN = ("ua-1",)
"""The standard of every PDF meant for reading on a screen or printing at home: PDF/UA-1,
which Typst checks as it writes (a title, a language, alt text for every figure)."""
_PACKAGE = re.compile(r"""#?import\s+"@""")


@cache
def _fonts() -> typst.Fonts:
    """Return the project's typeface, alone (no system fonts, none of Typst's own)."""
    return typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(font_folder())],
    )


def template_folder(root: Path) -> Path:
    """Return the folder of the Typst templates of the project at ``root``."""
    return root / TEMPLATES_DIR / PRINT_TEMPLATES


def refuse_packages(folder: Path) -> None:
    """Raise if a template imports a Typst package, which Typst would fetch from the network."""
    for path in sorted(folder.glob("*.typ")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _PACKAGE.search(line):
                raise RenderError(
                    f"{TEMPLATES_DIR}/{PRINT_TEMPLATES}/{path.name}:{number}: a print template "
                    "may not import a Typst package (it would be fetched from the network)"
                )


def _compiler(folder: Path, template: str, data: Mapping[str, Any]) -> typst.Compiler:
    refuse_packages(folder)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return typst.Compiler(
        str(folder / template),
        root=str(folder),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": text},
    )


def typeset(
    root: Path,
    template: str,
    data: Mapping[str, Any],
    epoch: int,
    standards: Sequence[str] = SCREEN,
) -> bytes:
    """Return the PDF of ``template`` (a file in ``templates/print/``) laid out with ``data``.

    Every warning is an error: a template that Typst has to guess about is not
    printed. Outside the build's workers, Typst runs in a child process
    (``generator.engine.workers.isolated``): its thread pool must not be started in a
    process that forks workers later.
    """
    return isolated(_typeset, root, template, dict(data), epoch, tuple(standards))


def _typeset(
    root: Path, template: str, data: dict[str, Any], epoch: int, standards: tuple[str, ...]
) -> bytes:
    compiler = _compiler(template_folder(root), template, data)
    try:
        pdf, warnings = compiler.compile_with_warnings(
            format="pdf", pdf_standards=cast(Any, list(standards)), timestamp=epoch
        )
    except typst.TypstError as exc:
        raise RenderError(f"{template}: {_diagnostic(exc)}") from None
    if warnings:
        raise RenderError(f"{template}: " + "; ".join(w.message for w in warnings))
    if not isinstance(pdf, bytes):
        raise RenderError(f"{template}: Typst returned no PDF")
    return pdf


def query(root: Path, template: str, data: Mapping[str, Any], label: str) -> list[Any]:
    """Return the values of the ``metadata`` elements labelled ``label`` in the laid-out
    document (how a template reports what it measured)."""
    return isolated(_query, root, template, dict(data), label)


def _query(root: Path, template: str, data: dict[str, Any], label: str) -> list[Any]:
    compiler = _compiler(template_folder(root), template, data)
    try:
        found = json.loads(compiler.query(f"<{label}>", field="value", format="json"))
    except typst.TypstError as exc:
        raise RenderError(f"{template}: {_diagnostic(exc)}") from None
    return list(found)


def compile_source(
    source: bytes,
    data: Mapping[str, Any] | None = None,
    folder: Path | None = None,
    standards: Sequence[str] = (),
    epoch: int = 0,
) -> bytes:
    """Return the PDF of a Typst document given as text (``source``), for tests and tools:
    the project's typeface, ``data`` as ``sys.inputs.data``, imports from ``folder``; run
    isolated like ``typeset``."""
    return isolated(_compile_source, source, dict(data or {}), folder, tuple(standards), epoch)


def _compile_source(
    source: bytes,
    data: dict[str, Any],
    folder: Path | None,
    standards: tuple[str, ...],
    epoch: int,
) -> bytes:
    compiler = typst.Compiler(
        source,
        root=str(folder) if folder is not None else None,
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data)},
    )
    try:
        pdf = compiler.compile(
            format="pdf", pdf_standards=cast(Any, list(standards)), timestamp=epoch
        )
    except typst.TypstError as exc:
        raise RenderError(_diagnostic(exc)) from None
    if not isinstance(pdf, bytes):
        raise RenderError("Typst returned no PDF")
    return pdf


def _diagnostic(exc: typst.TypstError) -> str:
    message = getattr(exc, "message", None) or str(exc)
    hints = getattr(exc, "hints", None) or []
    return " ".join([str(message), *(f"({hint})" for hint in hints)])
