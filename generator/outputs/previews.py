"""Preview images for sharing: one 1200×630 PNG card per published exercise.

The card is an SVG from ``templates/preview/card.svg.j2`` (autoescaped, like
every template): the product name, the exercise title wrapped to at most
three lines, and the exercise's most telling diagram inlined as a nested
``<svg>``. cairosvg renders it with a URL fetcher that refuses everything, so
the card cannot pull in anything from outside.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cairosvg.surface import PNGSurface
from markupsafe import Markup

from generator.diagrams.render import Drawn
from generator.outputs import paths
from generator.outputs.templating import TEMPLATES_DIR, environment
from generator.outputs.view import ExerciseView
from generator.settings import Settings

CARD_TEMPLATE = "preview/card.svg.j2"
WIDTH, HEIGHT = 1200, 630
"""Size of the card in pixels, the size Open Graph and X/Twitter ask for."""
MARGIN = 64
"""Space around the content, in pixels."""
PRODUCT_SIZE = 34
"""Font size of the product name."""
TITLE_FITS = ((64, 2), (52, 3), (44, 3))
"""Font size and most lines tried for the title, largest first: a long title gets smaller
type rather than more lines, so the diagram keeps its room."""
CHAR_WIDTH = 0.62
"""Average width of a bold sans-serif character, in ems (generous, so lines fit)."""
LINE_HEIGHT = 1.18
"""Distance between title baselines, in ems."""
GAP = 28
"""Space between the title and the diagram, in pixels."""

_ROOT_TAG = re.compile(r"\A\s*<svg\b([^>]*)>(.*)</svg>\s*\Z", re.S)
_VIEW_BOX = re.compile(r'\sviewBox="([-\d. ]+)"')


@dataclass(frozen=True)
class Title:
    """The title wrapped for the card."""

    size: int
    """Font size in pixels."""
    lines: list[str]
    """One to three lines."""


@dataclass(frozen=True)
class Layout:
    """Where everything goes on the card, in whole pixels."""

    product_baseline: int
    title: Title
    title_baselines: list[int]
    diagram: tuple[int, int, int, int]
    """x, y, width and height of the box the diagram is fitted into."""


def telling_diagram(diagrams: Sequence[Drawn]) -> Drawn:
    """Return the diagram that shows an exercise best: the second phase's, else the first."""
    return diagrams[1] if len(diagrams) > 1 else diagrams[0]


def wrap_title(title: str) -> Title:
    """Return the title wrapped at word boundaries in the largest size that fits (``TITLE_FITS``).

    At the smallest size, a title still too long is cut after its last line with an ellipsis.
    """
    text_width = WIDTH - 2 * MARGIN
    for size, most in TITLE_FITS:
        lines = textwrap.wrap(title, width=int(text_width / (size * CHAR_WIDTH)))
        if len(lines) <= most:
            return Title(size, lines)
    kept = lines[:most]
    kept[-1] = kept[-1].rstrip(" .,;:") + "…"
    return Title(size, kept)


def diagram_parts(svg: str) -> tuple[str, Markup]:
    """Return a diagram's ``viewBox`` and the markup inside its root element.

    The diagram is generated (its texts are escaped where it is drawn), so its
    inner markup can be nested in the card as it is.
    """
    root = _ROOT_TAG.match(svg)
    view_box = _VIEW_BOX.search(root.group(1)) if root else None
    if root is None or view_box is None:
        raise ValueError("not a diagram: expected one <svg> element with a viewBox")
    return view_box.group(1), Markup(root.group(2).strip())


def layout(title: str) -> Layout:
    """Return the card's layout: product name, title lines, and the diagram's box below them."""
    wrapped = wrap_title(title)
    product_baseline = MARGIN + PRODUCT_SIZE
    step = wrapped.size * LINE_HEIGHT
    first = product_baseline + 24 + wrapped.size
    baselines = [round(first + i * step) for i in range(len(wrapped.lines))]
    top = baselines[-1] + round(wrapped.size * 0.3) + GAP
    box = (MARGIN, top, WIDTH - 2 * MARGIN, HEIGHT - MARGIN // 2 - top)
    return Layout(product_baseline, wrapped, baselines, box)


def card_svg(view: ExerciseView, root: Path) -> str:
    """Return the preview card of a published exercise as an SVG document."""
    drawn = telling_diagram(view.diagrams)
    view_box, inner = diagram_parts(drawn.svg)
    template = environment(root / TEMPLATES_DIR).get_template(CARD_TEMPLATE)
    return template.render(
        width=WIDTH,
        height=HEIGHT,
        margin=MARGIN,
        product=view.product,
        product_size=PRODUCT_SIZE,
        layout=layout(view.exercise.title),
        label=drawn.alt,
        view_box=view_box,
        diagram=inner,
    )


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """URL fetcher that fetches nothing: a card is self-contained."""
    raise ValueError(f"preview cards may not refer to other files: {url}")


def card_png(svg: str) -> bytes:
    """Return the card rendered as a PNG of ``WIDTH`` × ``HEIGHT`` pixels."""
    data: bytes = PNGSurface.convert(
        svg.encode(), output_width=WIDTH, output_height=HEIGHT, url_fetcher=_refuse
    )
    return data


def preview_files(view: ExerciseView, settings: Settings) -> dict[str, bytes]:
    """Return the sharing image of one published exercise, by path below the site folder."""
    return {paths.preview(view.id): card_png(card_svg(view, settings.root))}


# --- finishing: the site's own sharing image ---------------------------------------------------

SITE_CARD_TEMPLATE = "preview/site.svg.j2"
DESCRIPTION_FITS = ((44, 3), (38, 4), (32, 5))
"""Font size and most lines tried for the site's description on its sharing image."""


def wrap_text(text: str, fits: Sequence[tuple[int, int]]) -> Title:
    """Return ``text`` wrapped in the largest size of ``fits`` whose lines it fills; cut with an
    ellipsis at the smallest."""
    lines: list[str] = []
    size = fits[-1][0]
    for size, most in fits:
        lines = textwrap.wrap(text, width=int((WIDTH - 2 * MARGIN) / (size * CHAR_WIDTH)))
        if len(lines) <= most:
            return Title(size, lines)
    kept = lines[: fits[-1][1]]
    kept[-1] = kept[-1].rstrip(" .,;:") + "…"
    return Title(size, kept)


def site_card_alt(title: str, description: str) -> str:
    """Return what the site's sharing image shows, as its alternative text."""
    return f"{title}: {description}"


def site_card_svg(title: str, description: str, root: Path) -> str:
    """Return the sharing image of the site's pages (its title and its description) as SVG."""
    heading = wrap_title(title)
    told = wrap_text(description, DESCRIPTION_FITS)
    titles = [
        round(heading.size + i * heading.size * LINE_HEIGHT) for i in range(len(heading.lines))
    ]
    rule_y = titles[-1] + round(heading.size * 0.45)
    start = rule_y + 8 + GAP + told.size
    below = [round(start + i * told.size * LINE_HEIGHT) for i in range(len(told.lines))]
    shift = (HEIGHT - below[-1] - round(told.size * 0.3)) // 2  # the block in the middle
    titles, below = [y + shift for y in titles], [y + shift for y in below]
    rule_y += shift
    template = environment(root / TEMPLATES_DIR).get_template(SITE_CARD_TEMPLATE)
    return template.render(
        width=WIDTH,
        height=HEIGHT,
        margin=MARGIN,
        label=site_card_alt(title, description),
        title=heading,
        title_baselines=titles,
        rule_y=rule_y,
        description=told,
        description_baselines=below,
    )


def site_preview_files(title: str, description: str, root: Path) -> dict[str, bytes]:
    """Return the sharing image of the site's pages that are not an exercise's, by path."""
    return {paths.SITE_PREVIEW: card_png(site_card_svg(title, description, root))}
