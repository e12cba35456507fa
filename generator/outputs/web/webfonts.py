"""The website's fonts: small WOFF2 files, and ``@font-face`` rules that let the page settle.

The four TrueType faces weigh about 54 KiB each and were the heaviest part of a page. The
website gets WOFF2 copies instead (Brotli-compressed, about half the size) holding only
the characters the site can show: Basic Latin, Latin-1, Latin Extended-A, the general
punctuation, currency, letter-like symbols (™) and mathematical operators the family has,
plus every character of the pages' own text, so no language built and no theme label falls
back to another font. The PDFs keep embedding the full TrueType files
(``generator/sources/fonts.py``).

The text is shown at once in a local font (``font-display: swap``) and the family replaces it
when it arrives. So that the swap moves nothing (Lighthouse's layout shift, CLS), the local
font is given the family's proportions: ``size-adjust`` scales it to the family's average
letter width, and ``ascent-override``, ``descent-override`` and ``line-gap-override`` give it
the family's line box. One such fallback per common local font (Arial and its metric twins
Liberation Sans and Arimo; DejaVu Sans, the default on Debian): a ``local()`` the machine
lacks fails, and the browser tries the next family in the list.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from fontTools import subset
from fontTools.ttLib import TTFont

from generator.engine.cache import digest, versions, write_atomically
from generator.outputs.web.kept import kept
from generator.sources.fonts import FACES, FAMILY, font_files, font_folder

FONT_PACKAGE = "fontpkg-atkinson-hyperlegible"
"""The package the faces come from (its version is part of a kept subset's key)."""

WEB_BLOCKS = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x2000, 0x206F),  # General Punctuation (dashes, quotes, …)
    (0x20A0, 0x20CF),  # Currency Symbols (€)
    (0x2100, 0x214F),  # Letterlike Symbols (™)
    (0x2200, 0x22FF),  # Mathematical Operators (− ≤ ≥)
)
"""The blocks every web font keeps, whatever the pages say (the family has what it has)."""

LETTER_FREQUENCIES = {
    " ": 18.0, "e": 12.7, "t": 9.1, "a": 8.2, "o": 7.5, "i": 7.0, "n": 6.7, "s": 6.3,
    "h": 6.1, "r": 6.0, "d": 4.3, "l": 4.0, "c": 2.8, "u": 2.8, "m": 2.4, "w": 2.4,
    "f": 2.2, "g": 2.0, "y": 2.0, "p": 1.9, "b": 1.5, "v": 1.0, "k": 0.8, "j": 0.15,
    "x": 0.15, "q": 0.1, "z": 0.07,
}  # fmt: skip
"""How often each letter (and the space) occurs in running text, in percent: the weights of
the average letter width that ``size-adjust`` matches."""


@dataclass(frozen=True)
class Fallback:
    """A local font shown until the family arrives, and its average letter width."""

    family: str
    """The name the ``@font-face`` rule gives it (listed after the family)."""
    regular: tuple[str, ...]
    """Its ``local()`` names, full and PostScript, for the regular weight."""
    bold: tuple[str, ...]
    width: float
    """The regular's average letter width (``LETTER_FREQUENCIES``), in ems."""
    bold_width: float


FALLBACKS = (
    # Arial's widths are Helvetica's (Adobe's core-font AFM files); Liberation Sans and Arimo
    # are metric twins of Arial.
    Fallback(
        f"{FAMILY} Fallback Arial",
        ("Arial", "ArialMT", "Liberation Sans", "LiberationSans", "Arimo"),
        ("Arial Bold", "Arial-BoldMT", "Liberation Sans Bold", "LiberationSans-Bold", "Arimo Bold"),
        0.4470,
        0.4842,
    ),
    # Measured on DejaVuSans.ttf and DejaVuSans-Bold.ttf 2.37 (tests/test_light_pages.py
    # measures them again where they are installed).
    Fallback(
        f"{FAMILY} Fallback DejaVu",
        ("DejaVu Sans", "DejaVuSans"),
        ("DejaVu Sans Bold", "DejaVuSans-Bold"),
        0.5132,
        0.5799,
    ),
)

PRELOADED = ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf")
"""The faces on the first screen of every page (text; the safety boxes' titles), preloaded."""


def woff2_name(ttf_name: str) -> str:
    """Return the web font's file name for a TrueType file's."""
    return ttf_name.removesuffix(".ttf") + ".woff2"


def web_characters(text: str) -> frozenset[int]:
    """Return the code points a web font keeps: ``WEB_BLOCKS`` and every character of
    ``text`` (the pages' text)."""
    kept = {code for first, last in WEB_BLOCKS for code in range(first, last + 1)}
    return frozenset(kept | {ord(char) for char in text})


def web_font_files(text: str) -> dict[str, bytes]:
    """Return each face as WOFF2, subset to ``web_characters(text)``, and the licence."""
    characters = web_characters(text)
    found = {woff2_name(name): _subset(name, characters) for name in sorted(FACES.values())}
    found["LICENSE.txt"] = font_files()["LICENSE.txt"]
    return found


@cache
def _subset(name: str, characters: frozenset[int]) -> bytes:
    """Return one face, subset and compressed (kept between builds: ``kept.py``); byte for
    byte the same on every run (the ``head`` table's date is kept as it is)."""
    folder = kept("fonts")
    if folder is None:
        return _made_subset(name, characters)
    made_by = versions(("fonttools", "brotli", FONT_PACKAGE))
    key = digest(name, *made_by, ",".join(map(str, sorted(characters))))
    stored = folder / f"{key}.woff2"
    if stored.is_file():
        return stored.read_bytes()
    data = _made_subset(name, characters)
    write_atomically(stored, data)
    return data


def _made_subset(name: str, characters: frozenset[int]) -> bytes:
    font = TTFont(font_folder() / name, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]  # kerning and every other feature the family has
    options.name_IDs = ["*"]  # the copyright and licence entries stay in the file
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(characters & set(font.getBestCmap())))
    subsetter.subset(font)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def average_width(font: TTFont) -> float:
    """Return a font's average letter width in ems, weighted by ``LETTER_FREQUENCIES``."""
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    total = sum(weight * metrics[cmap[ord(char)]][0] for char, weight in LETTER_FREQUENCIES.items())
    em: int = font["head"].unitsPerEm
    return float(total) / sum(LETTER_FREQUENCIES.values()) / em


@dataclass(frozen=True)
class LineBox:
    """A face's vertical metrics in ems: what the fallback is made to take."""

    ascent: float
    descent: float
    line_gap: float
    width: float


@cache
def line_box(name: str) -> LineBox:
    """Return one face's metrics as browsers use them (``hhea``; the family sets
    ``USE_TYPO_METRICS`` with the same values)."""
    with TTFont(font_folder() / name) as font:
        em = font["head"].unitsPerEm
        hhea = font["hhea"]
        return LineBox(
            hhea.ascent / em, abs(hhea.descent) / em, hhea.lineGap / em, average_width(font)
        )


def _percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def _fallback_rule(fallback: Fallback, bold: bool) -> str:
    face = FACES[("bold" if bold else "normal", "normal")]
    box = line_box(face)
    scale = box.width / (fallback.bold_width if bold else fallback.width)
    names = fallback.bold if bold else fallback.regular
    sources = ", ".join(f'local("{name}")' for name in names)
    return (
        f'@font-face {{ font-family: "{fallback.family}"; font-weight: {700 if bold else 400}; '
        f"src: {sources}; size-adjust: {_percent(scale)}; "
        f"ascent-override: {_percent(box.ascent / scale)}; "
        f"descent-override: {_percent(box.descent / scale)}; "
        f"line-gap-override: {_percent(box.line_gap / scale)}; }}"
    )


def font_face_css(url_prefix: str) -> str:
    """Return the ``@font-face`` rules of the web fonts (files at ``url_prefix + name``), of
    the fallbacks, and the theme's text font: the family, then the fallbacks."""
    faces = [
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {700 if weight == "bold" else 400}; '
        f"font-style: {style}; font-display: swap; "
        f'src: url("{url_prefix}{woff2_name(name)}") format("woff2"); }}'
        for (weight, style), name in sorted(FACES.items())
    ]
    fallbacks = [_fallback_rule(f, bold) for f in FALLBACKS for bold in (False, True)]
    families = ", ".join(f'"{name}"' for name in (FAMILY, *(f.family for f in FALLBACKS)))
    return "\n".join([*faces, *fallbacks, f":root {{ --md-text-font: {families}; }}"]) + "\n"
