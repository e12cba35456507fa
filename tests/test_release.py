"""Release and preview builds, the status report, and the identity on the website and in the
API: what is not yet known is said, never invented, and a release build refuses to publish
without it."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import BUILD_DATE, REPO, SITE_URL, digest

from generator.__main__ import main
from generator.build import PREVIEW_REPORT
from generator.dev import synthetic
from generator.outputs import paths
from generator.outputs.identity import identity
from generator.outputs.words import WORDS, display_date, speaking
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue
from generator.translations.apply import translation

GAPS = (
    "maker.name",
    "maker.postal_address",
    "maker.email",
    "products.0.sizes.0.model",
    "products.0.sizes.1.model",
    "products.0.markets",
)
"""The identity fields content/products.yaml leaves empty until they are confirmed."""
GETTING_OFF = "backrack-en: the part 'Getting off the rack' has no published exercise"
PLACEHOLDER = "backrack-en: the site address 'https://exercises.example.invalid/' is a placeholder"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in-process on ``root``; return the exit code, stdout and stderr."""
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


def visible(fragment: str) -> str:
    without_tags = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", fragment, flags=re.S)
    return " ".join(html.unescape(without_tags).split())


def test_a_release_build_of_the_real_content_is_refused_with_every_reason_and_makes_no_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    root = synthetic.copy_project(REPO, tmp_path / "project")
    out = tmp_path / "out"
    code, stdout, stderr = run(root, capsys, "build", "--release", "--site-dir", str(out))
    assert code == 1 and stdout == ""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines[0].startswith("build failed: a release build was refused (8 reason(s))")
    assert lines[-1] == f"{out.as_posix()} left as it was"
    reasons = [line.strip() for line in lines[1:-1]]
    assert reasons[0].startswith(PLACEHOLDER)
    assert reasons[1:7] == [
        f"backrack-en: content/products.yaml: {gap}: not yet known" for gap in GAPS
    ]
    assert reasons[7].startswith(GETTING_OFF)
    assert not out.exists()
    # A real address takes one reason away; the others stand.
    code, _, stderr = run(
        root, capsys, "build", "--release", "--site-dir", str(out), "--site-url", SITE_URL
    )
    assert code == 1 and "(7 reason(s))" in stderr and PLACEHOLDER not in stderr
    assert GETTING_OFF in stderr and not out.exists()


def test_a_refused_release_build_leaves_the_previous_site_as_it_was(
    copy_built: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    root = copy_built(tmp_path / "project")
    before = digest(root / "site")
    code, _, stderr = run(root, capsys, "build", "--strict", "--release", "--site-url", SITE_URL)
    assert code == 1 and GETTING_OFF in stderr and "site left as it was" in stderr
    assert digest(root / "site") == before


def test_a_preview_build_succeeds_and_reports_what_would_block_a_release(
    copy_built: Callable[[Path], Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    root = copy_built(tmp_path / "project")
    out = tmp_path / "out"
    for attempt in ("built", "nothing changed: said again"):
        code, stdout, stderr = run(
            root, capsys, "build", "--strict", "--site-dir", str(out), "--site-url", SITE_URL
        )
        assert code == 0, (attempt, stderr)
        assert stdout.startswith(f"built {out.name}/: ") and PREVIEW_REPORT not in stdout
        report = stderr[stderr.index(PREVIEW_REPORT) :].splitlines()
        english = [line for line in report[1:] if line.startswith("  backrack-en: ")]
        german = [line for line in report[1:] if line.startswith("  content/translations/de.po: ")]
        assert len(english) + len(german) == len(report) - 1, attempt
        assert GETTING_OFF in english[-1], attempt
        assert [f"  backrack-en: content/products.yaml: {gap}: not yet known" for gap in GAPS] == (
            english[:-1]
        ), attempt
        assert german and all(": de: not approved by a reviewer (holds back: " in g for g in german)
    assert (out / "index.html").is_file()


def test_status_names_the_drafts_and_why_the_gaps_and_the_refusals(
    capsys: pytest.CaptureFixture[str], cat: Catalogue
) -> None:
    code, report, stderr = run(REPO, capsys, "status")
    assert code == 0 and stderr == ""
    assert report.startswith("backrack-en: the backrack™ instructions, language 'en'\n")
    for exercise in cat.published:
        assert exercise.title in report
    assert "    Getting off the rack: none yet (nothing published)\n" in report
    drafts = report[report.index("  drafts, not published (4):") :]
    assert "    Getting off the rack (getting-off; part: Getting off the rack)\n" in drafts
    # Why, as the draft's source says it.
    assert "the steps (starting position, pivot, lift) are still to be confirmed" in drafts
    assert "      not written yet: phases with steps\n" in drafts
    for draft in cat.drafts:
        assert f"({draft.id}; part: " in drafts
    assert "    " + ", ".join(GAPS) + "\n" in report
    assert "a release build would be refused (8 reason(s))" in report
    assert f"    - {PLACEHOLDER.removeprefix('backrack-en: ')}" in report
    assert f"    - {GETTING_OFF.removeprefix('backrack-en: ')}" in report
    code, report, _ = run(REPO, capsys, "status", "--site-url", SITE_URL)
    assert code == 0 and "(7 reason(s))" in report and "placeholder" not in report


def footer_text(cat: Catalogue, language: str = "en") -> str:
    """Return the footer's identity block of the pages in ``language`` (a preview's)."""
    found = translation(REPO, cat, language)
    with speaking(found.speech):
        document = identity(found.catalogue)["document"]
        unknown = WORDS["to_be_confirmed"]
        return " ".join(
            [
                WORDS["footer_product"].format(product="backrack™"),
                WORDS["footer_maker"].format(maker=unknown, web="spinalbackrack.com"),
                WORDS["footer_issue"].format(
                    document=f"backrack-{language}",
                    version=document["version"],
                    issued=display_date(document["issued"]),
                ),
            ]
        )


def _footer(page: str) -> str:
    start = page.index('<span class="identity">')
    return visible(page[start : page.index("</span>", start) + len("</span>")])


def test_every_page_and_the_offline_copy_carry_the_identity_in_the_footer(
    built: Path, cat: Catalogue
) -> None:
    expected = footer_text(cat)
    assert expected.startswith("backrack™: instructions for use Maker: to be confirmed")
    german = footer_text(cat, "de")
    assert "Dokument backrack-de" in german
    assert cat.products.maker.name is None  # not yet known: shown as such, never invented
    pages = sorted(built.rglob("*.html"))
    site_pages = [p for p in pages if "embed" not in p.relative_to(built).parts]
    assert len(site_pages) > 20
    for page in site_pages:
        text = page.read_text(encoding="utf-8")
        own = german if page.relative_to(built).parts[0] == "de" else expected
        assert _footer(text) == own, page
        assert '<a href="https://spinalbackrack.com/">spinalbackrack.com</a>' in text, page
    with zipfile.ZipFile(io.BytesIO((built / paths.OFFLINE_ZIP).read_bytes())) as archive:
        offline = [n for n in archive.namelist() if n.endswith(".html")]
        assert len(offline) > 10
        for name in offline:
            assert _footer(archive.read(name).decode("utf-8")) == expected, name


def test_the_api_and_every_record_carry_the_identity(built: Path, cat: Catalogue) -> None:
    document: dict[str, Any] = json.loads((built / paths.API).read_text(encoding="utf-8"))
    block = json.loads(json.dumps(identity(cat)))
    assert document["format"] == 6
    assert document["identity"] == block
    assert [r["identity"] for r in document["exercises"]] == [block] * len(cat.published)
    assert block["maker"]["name"] is None and block["maker"]["email"] is None
    assert block["maker"]["web"] == "https://spinalbackrack.com/"
    assert [s["model"] for s in block["product"]["sizes"]] == [None, None]
    assert block["document"]["id"] == "backrack-en"


@pytest.mark.parametrize("page", ["index.html", "exercises/index.html"])
def test_home_and_index_say_which_part_is_not_yet_published_and_how_to_reach_the_maker(
    built: Path, page: str
) -> None:
    text = (built / page).read_text(encoding="utf-8")
    article = visible(text[text.index("<article") : text.index("</article>")])
    assert (
        "Getting off the rack: not here yet The instructions for this part are being checked. "
        "They will follow. Until then, you can ask the maker for help on the web at "
        "spinalbackrack.com."
    ) in article
    assert "e-mail" not in article  # the maker's e-mail is not known
    assert article.count("not here yet") == 1  # only getting off has no published exercise
