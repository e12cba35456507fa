"""How far a reader on a phone scrolls from an exercise's title to its first step.

``python -m generator.dev.first_step SITE_DIR`` serves a built site on localhost, opens every
exercise page (``exercises/<id>/``) in Debian's Chromium, headless, at a phone's viewport
(390 × 844 CSS px, device scale 1), waits for the page's fonts, and prints per page the
distance from the top of the title (``h1``) to the top of step 1 (the first
``ol.step-list > li``), in CSS px and in phone screens (844 px each).

Chromium is driven by Playwright with Debian's executable, as ``tests/test_browser.py`` does;
``tests/test_first_step.py`` takes its figures from :func:`measure_page`. The figures are
printed, never asserted here: a layout distance, not a timing.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PHONE = (390, 844)
"""The phone viewport: width and height in CSS px (device scale 1)."""

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

MEASURE = """() => {
  const top = e => e.getBoundingClientRect().top + window.scrollY;
  const h1 = document.querySelector("article h1, .md-content h1");
  const step = document.querySelector("ol.step-list > li");
  const smallest = box => {
    let px = Infinity;
    const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (!node.textContent.trim()) continue;
      px = Math.min(px, parseFloat(getComputedStyle(node.parentElement).fontSize));
    }
    return px === Infinity ? 0 : px;
  };
  const general = [...document.querySelectorAll(".general-messages .admonition")].map(box => {
    const rect = box.getBoundingClientRect();
    const details = box.closest("details");
    return {
      ref: box.dataset.ref || "",
      width: rect.width,
      height: rect.height,
      visible: box.checkVisibility({visibilityProperty: true, opacityProperty: true}),
      in_closed_details: details !== null && !details.open,
      title: box.getAttribute("title"),
      smallest_text_px: smallest(box),
    };
  });
  const block = document.querySelector(".general-messages");
  return {
    title_top: h1 ? top(h1) : null,
    step_top: step ? top(step) : null,
    general_height: block ? block.getBoundingClientRect().height : 0,
    general: general,
  };
}"""
"""The script run in each page: positions in document coordinates (scrolling left out)."""


@dataclass(frozen=True)
class General:
    """One box of the general texts (``.general-messages .admonition``) as laid out."""

    ref: str
    width: float
    height: float
    visible: bool
    in_closed_details: bool
    title: str | None
    """A ``title`` attribute (a tooltip), which would hide text behind a hover."""
    smallest_text_px: float
    """The smallest computed font size of any text in the box."""


@dataclass(frozen=True)
class Measurement:
    """One exercise page as laid out at one viewport."""

    exercise: str
    viewport: tuple[int, int]
    distance: float
    """From the top of the title to the top of step 1, in CSS px."""
    general_height: float
    """The height of the general texts' block (``.general-messages``), in CSS px."""
    general: tuple[General, ...]

    @property
    def screens(self) -> float:
        """The distance in screens (the viewport's height)."""
        return self.distance / self.viewport[1]


def exercise_pages(site: Path) -> list[str]:
    """Return the id of every exercise page of a built site, sorted."""
    return sorted(p.parent.name for p in (site / "exercises").glob("*/index.html"))


ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
"""The precompressed siblings the server sends, in order of preference, as a host would."""


def accepted_encodings(header: str) -> set[str]:
    """Return the content codings an ``Accept-Encoding`` header accepts (``q=0`` refuses)."""
    accepted = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            accepted.add(name.strip().lower())
    return accepted


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site as a host with ``gzip_static``/``brotli_static`` would: a file's ``.br``
    or ``.gz`` sibling when the browser accepts it, so measurements see the real transfer."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        found = self._precompressed()
        if found is None:
            return super().send_head()
        original, sibling, encoding = found
        stream = sibling.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(original)))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(sibling.stat().st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return stream

    def _precompressed(self) -> tuple[Path, Path, str] | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return None  # the plain handler redirects to the folder's address
            path = path / "index.html"
        if not path.is_file():
            return None
        accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
        for encoding, suffix in ENCODINGS:
            sibling = path.with_name(path.name + suffix)
            if encoding in accepted and sibling.is_file():
                return path, sibling, encoding
        return None


@contextmanager
def serving(
    site: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] | None = None
) -> Iterator[str]:
    """Serve ``site`` on localhost for the length of the block; yield its origin.

    Precompressed siblings (``.br``, ``.gz``) are sent to a browser that accepts them.
    ``handler_class``: another handler (e.g. one that answers a missing page with 404.html)."""
    handler = functools.partial(handler_class or _QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def measure_page(
    browser: Any, url: str, exercise: str, viewport: tuple[int, int] = PHONE
) -> Measurement:
    """Open ``url`` in a new page of a Playwright ``browser`` at ``viewport`` (width, height
    in CSS px; a phone's unless told), device scale 1, and measure it."""
    width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page.goto(url, wait_until="networkidle")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        found = page.evaluate(MEASURE)
    finally:
        page.close()
    if found["title_top"] is None or found["step_top"] is None:
        raise ValueError(f"{url}: no title or no step")
    return Measurement(
        exercise,
        viewport,
        round(found["step_top"] - found["title_top"], 1),
        round(found["general_height"], 1),
        tuple(General(**g) for g in found["general"]),
    )


def chromium() -> str | None:
    """Return the path of Debian's Chromium, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def measure_site(site: Path) -> list[Measurement]:
    """Measure every exercise page of the built ``site`` at the phone viewport."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    with serving(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            return [
                measure_page(browser, f"{origin}/exercises/{name}/", name)
                for name in exercise_pages(site)
            ]
        finally:
            browser.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.dev.first_step")
    parser.add_argument("site", type=Path, help="a built site folder (build --site-dir)")
    args = parser.parse_args(argv)
    site: Path = args.site
    if not exercise_pages(site):
        print(f"{site}: no exercise page (exercises/<id>/index.html)", file=sys.stderr)
        return 1
    try:
        found = measure_site(site)
    except (ImportError, RuntimeError) as problem:
        print(f"cannot measure: {problem}", file=sys.stderr)
        return 1
    width = max(len(m.exercise) for m in found)
    print(f"title to step 1 at {PHONE[0]} × {PHONE[1]} CSS px (device scale 1):")
    for m in found:
        mark = "within 2 screens" if m.screens <= 2 else "more than 2 screens"
        print(
            f"  {m.exercise:<{width}}  {m.distance:5.0f} px  {m.screens:4.2f} screens"
            f"  ({mark}; the general texts {m.general_height:.0f} px of it)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
