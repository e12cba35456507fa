"""Structured data and sharing: JSON-LD, Open Graph tags, preview cards and the API file.

Every test parses what was built (or rendered) and asserts on it.
"""

from __future__ import annotations

import dataclasses
import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import BUILD_DATE, REPO, SITE_URL, edit

from generator.__main__ import main
from generator.checks.verify import message_texts
from generator.model import Exercise, Role
from generator.outputs import paths
from generator.outputs.previews import HEIGHT, WIDTH, card_png, card_svg, wrap_title
from generator.outputs.view import GENERAL, exercise_view
from generator.outputs.web.api import API_PATH, FORMAT, exercises_json
from generator.outputs.web.structured import script_json
from generator.sources.catalogue import Catalogue
from generator.sources.validate import load_catalogue

HOSTILE = "</script><script>alert(1)</script><!-- & \"quoted\" 'single'"


class Head(HTMLParser):
    """Collect a page's script elements, meta tags and canonical link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self._script: dict[str, str | None] | None = None
        self._data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._script, self._data = found, []
        if tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.meta.setdefault(key, []).append(found.get("content") or "")
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical = found.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._data)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._data.append(data)

    @property
    def json_ld(self) -> list[Any]:
        """Return every JSON-LD block, parsed."""
        return [json.loads(text) for a, text in self.scripts if a.get("type") == JSON_LD]


JSON_LD = "application/ld+json"


def head(page: Path) -> Head:
    """Return the parsed tags of a built page."""
    parser = Head()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_of(site: Path, exercise_id: str) -> Path:
    return site / "exercises" / exercise_id / "index.html"


def site_file(site: Path, url: str) -> Path:
    """Return the file an absolute URL below ``SITE_URL`` points at."""
    assert url.startswith(SITE_URL), url
    return site / url.removeprefix(SITE_URL)


def of_type(node: Any, kind: str) -> list[dict[str, Any]]:
    """Return every object of a schema.org type anywhere below ``node``, in document order."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("@type") == kind:
            found.append(node)
        for value in node.values():
            found += of_type(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += of_type(value, kind)
    return found


def tip_text(tip: dict[str, Any]) -> str:
    return f"{tip['name']} {tip['text']}"


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    found, problems = load_catalogue(REPO)
    assert found is not None, problems
    return found


# --- JSON-LD --------------------------------------------------------------------------------


def test_each_exercise_page_has_one_json_ld_page_with_its_how_to(
    built: Path, cat: Catalogue
) -> None:
    for exercise in cat.published:
        tags = head(page_of(built, exercise.id))
        assert len(tags.json_ld) == 1, exercise.id
        data = tags.json_ld[0]
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "MedicalWebPage"
        assert data["lastReviewed"] == exercise.reviewed.isoformat()
        assert data["name"] == exercise.title
        assert data["description"] == exercise.purpose
        assert data["inLanguage"] == exercise.language
        assert data["url"] == f"{SITE_URL}exercises/{exercise.id}/" == tags.canonical
        how_to = data["mainEntity"]
        assert how_to["@type"] == "HowTo"
        assert how_to["name"] == exercise.title


def test_json_ld_has_one_step_per_source_step_grouped_by_phase(built: Path, cat: Catalogue) -> None:
    for exercise in cat.published:
        how_to = head(page_of(built, exercise.id)).json_ld[0]["mainEntity"]
        sections = how_to["step"]
        assert [s["@type"] for s in sections] == ["HowToSection"] * (len(exercise.phases) + 1)
        assert [s["name"] for s in sections] == [
            "Before you start",
            *[p.title for p in exercise.phases],
        ]
        steps = of_type(how_to, "HowToStep")
        source = [step.text for phase in exercise.phases for step in phase.steps]
        assert len(steps) == len(source)
        assert [s["text"] for s in steps] == source
        assert [s["position"] for s in steps] == list(range(1, len(source) + 1))
        for section, phase in zip(sections[1:], exercise.phases, strict=True):
            assert [s["text"] for s in section["itemListElement"]] == [s.text for s in phase.steps]


def test_json_ld_carries_every_safety_text_before_the_steps(built: Path, cat: Catalogue) -> None:
    for exercise in cat.published:
        how_to = head(page_of(built, exercise.id)).json_ld[0]["mainEntity"]
        first = how_to["step"][0]["itemListElement"]
        assert {t["@type"] for t in first} == {"HowToTip"}
        resolved = cat.resolve_all(exercise.safety)
        doctor = [r for r in resolved if r.role is Role.DOCTOR_NOTICE]
        assert len(doctor) == 1 and first[0]["name"] == doctor[0].message.title
        assert len(first) == len(resolved)
        texts = " ".join(tip_text(t) for t in first)
        for r in resolved:
            for part in message_texts(r.message):
                assert part in texts, (exercise.id, part)


def test_a_step_warning_stands_before_its_direction_inside_the_step(built: Path) -> None:
    how_to = head(page_of(built, "stomach-crunch")).json_ld[0]["mainEntity"]
    lift = next(s for s in how_to["step"] if s["name"] == "Lift")
    first_step = lift["itemListElement"][0]
    tip, direction = first_step["itemListElement"]
    assert tip["@type"] == "HowToTip" and tip["name"] == "CAUTION"
    assert tip["text"].startswith("Pulling on your head with your arms can strain your neck.")
    assert direction == {"@type": "HowToDirection", "text": first_step["text"]}


def test_json_ld_images_are_the_diagrams_in_the_site(built: Path, cat: Catalogue) -> None:
    for exercise in cat.published:
        how_to = head(page_of(built, exercise.id)).json_ld[0]["mainEntity"]
        urls = [image["url"] for image in how_to["image"]]
        expected = [f"{SITE_URL}diagrams/{exercise.id}/{p.id}.svg" for p in exercise.phases]
        assert urls == expected
        for url in urls:
            assert site_file(built, url).is_file()


def test_other_pages_have_no_structured_data_and_share_the_sites_image(built: Path) -> None:
    """Other pages are shared with the site's own image (tests/test_finishing.py), never an
    exercise's card, and carry no JSON-LD."""
    for page in (built / "index.html", built / "important-information" / "index.html"):
        tags = head(page)
        assert tags.json_ld == []
        assert tags.meta["og:type"] == ["website"]
        assert tags.meta["og:image"] == [f"{SITE_URL}{paths.SITE_PREVIEW}"]


def test_script_json_escapes_everything_that_could_end_the_script() -> None:
    value = {"title": "</script><!-- a & b --> \u2028 \u2029 ™"}
    text = script_json(value)
    for unsafe in ("<", ">", "&", "\u2028", "\u2029"):
        assert unsafe not in text
    assert "™" in text
    assert json.loads(text) == value


# --- hostile text ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(copy_built: Callable[[Path], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a copy whose starting-position title tries to break out; return the site folder."""
    root = copy_built(tmp_path_factory.mktemp("hostile") / "project")
    name = "content/exercises/starting-position.yaml"
    quoted = HOSTILE.replace("'", "''")
    edit(root, name, "title: Starting position\n", f"title: '{quoted}'\n")
    edit(root, name, "purpose: ", "purpose: </script><b>bold</b> & ")
    with pytest.MonkeyPatch.context() as patch:  # the shared build's date: the rest is cached
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
        assert main(["--root", str(root), "build"]) == 0
    return root / "site"


def test_a_hostile_title_cannot_leave_the_json_ld(hostile: Path, built: Path) -> None:
    page = page_of(hostile, "starting-position")
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text
    tags = head(page)
    assert len(tags.scripts) == len(head(page_of(built, "starting-position")).scripts)
    assert [a.get("type") for a, _ in tags.scripts].count(JSON_LD) == 1
    data = tags.json_ld[0]
    assert data["name"] == HOSTILE == data["mainEntity"]["name"]
    assert data["description"].startswith("</script><b>bold</b> & ")


def test_a_hostile_title_stays_text_in_the_sharing_tags(hostile: Path) -> None:
    tags = head(page_of(hostile, "starting-position"))
    assert tags.meta["og:title"] == [HOSTILE]
    assert tags.meta["og:description"][0].startswith("</script><b>bold</b> & ")
    card = hostile / "previews" / "starting-position.png"
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_hostile_title_is_text_in_the_card_svg(cat: Catalogue) -> None:
    exercise = cat.get("stomach-crunch")
    assert exercise is not None
    view = exercise_view(cat, exercise)
    hostile = dataclasses.replace(view, exercise=exercise.model_copy(update={"title": HOSTILE}))
    svg = card_svg(hostile, REPO)
    root = ET.fromstring(svg)  # well-formed: nothing from the title became markup
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[0] == "backrack™"
    assert "".join(texts[1:]).replace(" ", "") == HOSTILE.replace(" ", "")  # wrapped, not cut
    assert "<script" not in svg


# --- Open Graph -----------------------------------------------------------------------------


def test_sharing_tags_describe_the_page_and_point_at_existing_files(
    built: Path, cat: Catalogue
) -> None:
    for exercise in cat.published:
        tags = head(page_of(built, exercise.id))
        meta = {key: values[0] for key, values in tags.meta.items()}
        assert all(len(tags.meta[k]) == 1 for k in meta if k.startswith(("og:", "twitter:")))
        assert meta["og:type"] == "article"
        assert meta["og:title"] == exercise.title
        assert meta["og:description"] == exercise.purpose
        assert meta["og:url"] == tags.canonical
        assert meta["twitter:card"] == "summary_large_image"
        assert (meta["og:image:width"], meta["og:image:height"]) == (str(WIDTH), str(HEIGHT))
        image = site_file(built, meta["og:image"])
        assert image == built / "previews" / f"{exercise.id}.png"
        assert image.is_file()
        assert site_file(built, meta["og:url"]) / "index.html" == page_of(built, exercise.id)


# --- preview cards --------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """Return a PNG's width and height from its IHDR header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20]), int.from_bytes(data[20:24])


def test_every_published_exercise_has_a_1200_by_630_card(built: Path, cat: Catalogue) -> None:
    cards = sorted(p.name for p in (built / "previews").iterdir())
    assert cards == sorted(f"{e.id}.png" for e in cat.published)
    for card in (built / "previews").iterdir():
        assert png_size(card.read_bytes()) == (WIDTH, HEIGHT)


def test_a_card_renders_byte_identical_twice_and_as_built(built: Path, cat: Catalogue) -> None:
    exercise = cat.get("stomach-crunch")
    assert exercise is not None
    first = card_png(card_svg(exercise_view(cat, exercise), REPO))
    second = card_png(card_svg(exercise_view(cat, exercise), REPO))
    assert first == second == (built / "previews" / "stomach-crunch.png").read_bytes()


def test_a_card_nests_the_diagram_and_refers_to_nothing_outside(cat: Catalogue) -> None:
    exercise = cat.get("single-leg-raise")
    assert exercise is not None
    svg = card_svg(exercise_view(cat, exercise), REPO)
    root = ET.fromstring(svg)
    nested = root.findall("{http://www.w3.org/2000/svg}svg")
    assert len(nested) == 1
    title = nested[0].find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == f"{exercise.title}: {exercise.phases[1].title}"
    assert "href" not in svg and "url(" not in svg
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))


@pytest.mark.parametrize(
    "title",
    [
        "Stomach crunch",
        "Starting position & single leg raise",
        "Stretching the whole spine with both knees held close to the chest as you breathe",
        "Word" * 20,
    ],
)
def test_titles_wrap_into_at_most_three_short_lines(title: str) -> None:
    wrapped = wrap_title(title)
    assert 1 <= len(wrapped.lines) <= 3
    assert all(len(line) * wrapped.size * 0.62 <= WIDTH - 2 * 64 for line in wrapped.lines)
    joined = "".join(wrapped.lines).replace(" ", "")
    assert joined.rstrip("…") in title.replace(" ", "")
    if len(title) <= 20:
        assert wrapped.lines == [title] and wrapped.size == 64


# --- api/exercises.json ---------------------------------------------------------------------


def local(url: str) -> str:
    """Return the path below the site folder of an absolute address of the English site."""
    assert url.startswith(SITE_URL), url
    return url.removeprefix(SITE_URL)


def api(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "api" / "exercises.json").read_text("utf-8"))
    return data


def test_api_lists_exactly_the_published_exercises_in_catalogue_order(
    built: Path, cat: Catalogue
) -> None:
    listed = api(built)["exercises"]
    assert [e["id"] for e in listed] == [e.id for e in cat.published]
    drafts = {e.id for e in cat.drafts}
    assert drafts and not drafts & {e["id"] for e in listed}
    text = (built / "api" / "exercises.json").read_text("utf-8")
    for draft in cat.drafts:
        assert f"/{draft.id}/" not in text and f'"{draft.id}"' not in text


def _record_matches(record: dict[str, Any], exercise: Exercise, site: Path) -> None:
    assert record["title"] == exercise.title
    assert record["purpose"] == exercise.purpose
    assert record["section"] == exercise.section.value
    assert record["order"] == exercise.order
    assert record["version"] == exercise.version
    assert record["reviewed"] == exercise.reviewed.isoformat()
    assert record["language"] == exercise.language
    assert record["areas"] == [a.value for a in exercise.areas]
    assert record["suitable_for"] == exercise.suitable_for
    assert record["not_suitable_for"] == exercise.not_suitable_for
    assert record["url"] == f"{SITE_URL}exercises/{exercise.id}/"
    assert (site / local(record["url"]) / "index.html").is_file()
    assert (site / local(record["preview"])).is_file()
    assert [p["id"] for p in record["phases"]] == [p.id for p in exercise.phases]
    for listed, phase in zip(record["phases"], exercise.phases, strict=True):
        assert listed["diagram"]["svg"] == f"{SITE_URL}diagrams/{exercise.id}/{phase.id}.svg"
        assert (site / local(listed["diagram"]["svg"])).is_file()
        assert [s["text"] for s in listed["steps"]] == [s.text for s in phase.steps]


def test_api_records_match_the_sources(built: Path, cat: Catalogue) -> None:
    for record, exercise in zip(api(built)["exercises"], cat.published, strict=True):
        _record_matches(record, exercise, built)


def test_api_safety_messages_are_resolved_in_page_order(built: Path, cat: Catalogue) -> None:
    for record, exercise in zip(api(built)["exercises"], cat.published, strict=True):
        resolved = cat.resolve_all(exercise.safety)
        expected = sorted(resolved, key=lambda r: r.role is not Role.DOCTOR_NOTICE)
        general = [r for r in expected if r.role in GENERAL]
        expected = [r for r in expected if r.role not in GENERAL]
        assert [m["ref"] for m in record["safety"]] == [r.ref for r in expected]
        assert [m["ref"] for m in record["general_safety"]] == [r.ref for r in general]
        assert {"contraindications", "cautions", "stop-rule"} == {r.ref for r in general}
        assert record["safety"][0]["role"] == "doctor-notice"
        for listed, r in zip(
            record["safety"] + record["general_safety"], expected + general, strict=True
        ):
            assert listed["role"] == r.role.value
            assert listed["signal"] == (r.message.signal.value if r.message.signal else None)
            parts = [listed["signal"], listed["title"], listed["hazard"], *listed["text"]]
            parts += [*listed["items"], *listed["avoid"], listed["consequence"]]
            assert [p for p in parts if p] == message_texts(r.message)
        page = html.unescape(page_of(built, exercise.id).read_text(encoding="utf-8"))
        firsts = [page.index(r.message.hazard or r.message.title or "") for r in expected + general]
        assert firsts == sorted(firsts), exercise.id
    crunch = next(r for r in api(built)["exercises"] if r["id"] == "stomach-crunch")
    step = crunch["phases"][1]["steps"][0]
    assert [m["signal"] for m in step["safety"]] == ["CAUTION"]


def _texts(records: list[dict[str, Any]]) -> list[list[str]]:
    """Return the texts of listed messages, in the order ``message_texts`` gives them."""
    found = []
    for listed in records:
        parts = [listed["signal"], listed["title"], listed["hazard"], *listed["text"]]
        parts += [*listed["items"], *listed["avoid"], listed["consequence"]]
        found.append([p for p in parts if p])
    return found


def _sorted_keys(node: Any) -> bool:
    if isinstance(node, dict):
        return list(node) == sorted(node) and all(_sorted_keys(v) for v in node.values())
    if isinstance(node, list):
        return all(_sorted_keys(v) for v in node)
    return True


def test_api_records_carry_every_part_of_the_exercise(built: Path, cat: Catalogue) -> None:
    """Prerequisites, warm-up, breathing, mistakes, numbered steps, dose, what to expect, tips
    and what comes next: everything the page says, from the view, links only to published
    exercises with pages that exist."""
    document = api(built)
    assert document["format"] == FORMAT >= 2
    assert _sorted_keys(document)
    published = {e.id for e in cat.published}
    for record, exercise in zip(document["exercises"], cat.published, strict=True):
        view = exercise_view(cat, exercise)
        needs = exercise.prerequisites
        listed = record["prerequisites"]
        assert [e["id"] for e in listed["exercises"]] == [
            ref for ref in needs.exercises if ref in published
        ]
        for link in listed["exercises"]:
            assert link == {"id": link["id"], "title": link["title"], "url": link["url"]}
            assert link["title"] == cat.get(link["id"]).title  # type: ignore[union-attr]
            assert (built / local(link["url"]) / "index.html").is_file()
        assert (listed["months_of_use"], listed["note"]) == (needs.months_of_use, needs.note)
        assert bool(record["warm_up"]) == needs.warm_up, exercise.id
        assert [m["ref"] for m in record["warm_up"]] == [r.ref for r in view.warm_up]
        assert _texts(record["warm_up"]) == [message_texts(r.message) for r in view.warm_up]
        numbers = []
        for phase, source in zip(record["phases"], exercise.phases, strict=True):
            assert phase["caption"] == source.caption
            assert phase["breathing"] == source.breathing
            assert phase["mistakes"] == source.mistakes
            numbers += [step["number"] for step in phase["steps"]]
        assert [p["number"] for p in record["phases"]] == list(range(1, len(exercise.phases) + 1))
        assert numbers == [s.number for s in view.steps] == list(range(1, len(view.steps) + 1))
        if exercise.dose is None:
            assert record["dose"] is None
        else:
            dose = record["dose"]
            assert dose["hold_seconds"] == exercise.dose.hold_seconds
            assert dose["frequency"] == exercise.dose.frequency
            assert dose["note"] == exercise.dose.note
            reps = exercise.dose.repetitions
            if reps is None:
                assert dose["repetitions"] is None
            else:  # as the page prints it: "5", or "5 to 10"
                assert dose["repetitions"] in (str(reps.min), f"{reps.min} to {reps.max}")
                assert dose["repetitions"] == (view.dose.repetitions if view.dose else None)
        resolved = cat.resolve_all(exercise.expect)
        assert [m["ref"] for m in record["expect"]] == [r.ref for r in resolved]
        assert _texts(record["expect"]) == [message_texts(r.message) for r in resolved]
        assert record["tips"] == exercise.tips
        assert set(record["links"]) == {"next", "balances"}
        for kind in ("next", "balances"):
            ref = getattr(exercise.links, kind)
            link = record["links"][kind]
            if ref in published:
                assert link["id"] == ref and link["url"] == f"{SITE_URL}exercises/{ref}/"
                assert (built / local(link["url"]) / "index.html").is_file()
            else:
                assert link is None, (exercise.id, kind)  # none, or a draft: left out
    crunch = next(r for r in document["exercises"] if r["id"] == "stomach-crunch")
    assert crunch["links"]["balances"] is None  # reverse-leg-raise is a draft
    assert crunch["prerequisites"]["exercises"][0]["title"] == "Double leg raise"
    assert crunch["warm_up"][0]["role"] == "warm-up"
    assert crunch["dose"]["repetitions"] == "5 to 10"


def test_api_file_renders_byte_identical_from_the_views(built: Path, cat: Catalogue) -> None:
    views = {e.id: exercise_view(cat, e) for e in cat.published}
    urls = {e.id: f"exercises/{e.id}/" for e in cat.published}
    first = exercises_json(cat, views, urls, SITE_URL)
    assert first == exercises_json(cat, views, urls, SITE_URL) == (built / API_PATH).read_bytes()
