"""Precompressed copies of the text files, for a host that can send them as they are.

A host that compresses on each request spends time on every page, and many static hosts do
not compress at all; one that finds ``page.html.br`` or ``page.html.gz`` beside
``page.html`` (nginx ``gzip_static``/``brotli_static``, Apache's ``mod_rewrite`` rules,
Caddy's ``file_server { precompressed }``) sends the smaller file with its
``Content-Encoding``. The copies are made with the files they copy, inside the cached units,
so a file and its copies are always from the same build, and the same input gives the same
bytes (gzip's header carries time 0 and no name).

Only text worth compressing gets copies: HTML, CSS, JavaScript, JSON, SVG, XML and plain
text of ``MIN_SIZE`` bytes or more, and only a copy that is smaller than its original. A
sibling another renderer already made (mkdocs' ``sitemap.xml.gz``) is left as it is.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Mapping

import brotli

TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
"""The files that get compressed copies (the images, PDFs, fonts and zips are compressed
already)."""

MIN_SIZE = 1024
"""Below this many bytes a copy saves less than a network packet."""


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


LARGE = 256 * 1024
"""Above this many bytes, Brotli's quality 11 costs seconds a file (the theme's word-cutting
script for Thai, 660 KiB: 11 s at quality 11, 0.6 s at 9, for a copy 13 % larger); such
files get quality 9. Every page's own files are far smaller."""


def _brotli(data: bytes) -> bytes:
    compressed: bytes = brotli.compress(data, quality=11 if len(data) <= LARGE else 9)
    return compressed


CODINGS: dict[str, Callable[[bytes], bytes]] = {".gz": _gzip, ".br": _brotli}
"""Each sibling's suffix and how it is made."""


def worth_compressing(path: str, data: bytes) -> bool:
    """Return whether ``path`` is a text file large enough to get compressed copies."""
    return path.endswith(TEXT_SUFFIXES) and len(data) >= MIN_SIZE


def compressions(data: bytes) -> dict[str, bytes]:
    """Return ``data`` compressed in each coding, by the sibling's suffix."""
    return {suffix: compress(data) for suffix, compress in CODINGS.items()}


def precompressed(
    files: Mapping[str, bytes], compress: Callable[[bytes], dict[str, bytes]] = compressions
) -> dict[str, bytes]:
    """Return the compressed siblings (``<path>.gz``, ``<path>.br``) of ``files``' text files
    (``compress``: what gives a content's copies, e.g. from a cache)."""
    found: dict[str, bytes] = {}
    for path, data in sorted(files.items()):
        if not worth_compressing(path, data):
            continue
        for suffix, copy in compress(data).items():
            if path + suffix not in files and len(copy) < len(data):
                found[path + suffix] = copy
    return found


def decompress(path: str, data: bytes) -> bytes:
    """Return the original of a compressed sibling (by its suffix)."""
    if path.endswith(".br"):
        original: bytes = brotli.decompress(data)
        return original
    return gzip.decompress(data)
