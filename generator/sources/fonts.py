"""The one typeface of every output: Atkinson Hyperlegible, installed from the lock file.

Designed by the Braille Institute for low-vision readers; the same files are
embedded in the PDFs and served with the website, so every machine renders
the same.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

from fontTools.ttLib import TTFont

FAMILY = "Atkinson Hyperlegible"
FACES = {
    ("normal", "normal"): "AtkinsonHyperlegible-Regular.ttf",
    ("bold", "normal"): "AtkinsonHyperlegible-Bold.ttf",
    ("normal", "italic"): "AtkinsonHyperlegible-Italic.ttf",
    ("bold", "italic"): "AtkinsonHyperlegible-BoldItalic.ttf",
}


def font_folder() -> Path:
    """Return the folder holding the font files (inside the installed package)."""
    return Path(str(files("fontpkg_atkinson_hyperlegible") / "files"))


def font_files() -> dict[str, bytes]:
    """Return each font file's name and bytes, plus the licence."""
    folder = font_folder()
    found = {name: (folder / name).read_bytes() for name in sorted(FACES.values())}
    found["LICENSE.txt"] = (folder.parent / "LICENSE").read_bytes()
    return found


def font_face_css(url_prefix: str) -> str:
    """Return the ``@font-face`` rules for the family, with files at ``url_prefix + name``."""
    rules = [
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{url_prefix}{name}") format("truetype"); }}'
        for (weight, style), name in sorted(FACES.items())
    ]
    return "\n".join(rules) + "\n"


@cache
def covered() -> frozenset[int]:
    """Return the code points every face of the family can draw."""
    sets = []
    for name in FACES.values():
        with TTFont(font_folder() / name, lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


def missing_characters(text: str) -> list[str]:
    """Return the characters of ``text`` the font cannot draw (spaces and controls aside)."""
    gaps = []
    for char in dict.fromkeys(text):
        if unicodedata.category(char)[0] in ("Z", "C"):
            continue
        if ord(char) not in covered():
            gaps.append(char)
    return gaps
