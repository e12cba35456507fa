"""QR codes as vector SVG (segno), with the quiet zone the standard asks for."""

from __future__ import annotations

import io

import segno

QUIET_ZONE = 4
"""Modules of empty border around the code (ISO/IEC 18004)."""


def qr_svg(url: str) -> bytes:
    """Return a QR code for ``url`` as a self-contained SVG (black on white, 4-module border)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        border=QUIET_ZONE,
        scale=1,
        xmldecl=False,
        svgns=True,
        nl=False,
        light="#ffffff",
        dark="#000000",
    )
    svg = out.getvalue()
    size = qr_modules(url)
    # A viewBox lets the code scale to any printed width as a vector.
    return svg.replace(b"<svg ", f'<svg viewBox="0 0 {size} {size}" '.encode(), 1)


def qr_modules(url: str) -> int:
    """Return the width of the code in modules, quiet zone included."""
    return int(segno.make(url, error="m", micro=False).symbol_size(border=QUIET_ZONE)[0])
