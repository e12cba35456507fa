"""The site address is a setting: a placeholder is said in every run and never printed for the
print shop; a real address leaves no trace of the placeholder in any file."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BUILD_DATE, SITE_URL

from generator.__main__ import main
from generator.checks.extract import pdf_text
from generator.outputs import paths
from generator.outputs.print.source import squeeze

PLACEHOLDER = "example.invalid"
WARNING = (
    "warning: the site address https://exercises.example.invalid/ is a placeholder (site_url "
    "in mkdocs.yml, or --site-url): QR codes and links lead nowhere, so the print-shop files "
    "(cards/print/, print/<publication>/booklet-print.pdf, booklet-imposed.pdf, quick-start.pdf) "
    "were not made"
)


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--root", str(root), "build", *args])
    out, err = capsys.readouterr()
    return code, out + err


def texts(site: Path) -> dict[str, str]:
    """Return the text of every file of a site: PDFs read back, zips and gzips opened."""
    found: dict[str, str] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name, data = path.relative_to(site).as_posix(), path.read_bytes()
        if name.endswith(".pdf"):
            found[name] = pdf_text(data)
        elif name.endswith(".gz"):
            found[name] = gzip.decompress(data).decode("utf-8")
        elif name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for inner in archive.namelist():
                    found[f"{name}!{inner}"] = archive.read(inner).decode("utf-8", "replace")
        else:
            found[name] = data.decode("utf-8", "replace")
    return found


def test_with_a_real_address_no_file_carries_the_placeholder(built: Path) -> None:
    every = texts(built)
    assert len(every) > 100
    # White space aside: a printed address may be broken across lines after a "/".
    carrying = [name for name, text in every.items() if squeeze(PLACEHOLDER) in squeeze(text)]
    assert carrying == []
    card = squeeze(every["cards/print/stomach-crunch.pdf"])
    assert squeeze(SITE_URL + "exercises/stomach-crunch/") in card


def test_a_placeholder_is_said_in_every_run_and_no_print_shop_file_is_made(
    copy_built: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    root = copy_built(tmp_path / "project")
    out = tmp_path / "out"
    code, printed = run(root, capsys, "--site-dir", str(out))
    assert code == 0, printed
    assert WARNING in printed
    made = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert [name for name in made if paths.for_print_shop(name)] == []
    assert paths.card("stomach-crunch") in made and paths.booklet("backrack-en") in made
    code, printed = run(root, capsys, "--site-dir", str(out))  # nothing changed: said again
    assert code == 0 and "nothing changed since the last build" in printed
    assert WARNING in printed


@pytest.mark.parametrize("address", ["exercises.backrack.test", "ftp://x.test/", "https://"])
def test_an_address_that_is_not_a_website_is_refused_before_anything_is_built(
    address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = run(tmp_path, capsys, "--site-url", address)
    assert code == 1
    assert printed.strip() == (
        f"build failed: --site-url {address!r} is not the absolute address of a website "
        "(e.g. https://exercises.example-maker.com/); give the address the site is served at; "
        "site left as it was"
    )
