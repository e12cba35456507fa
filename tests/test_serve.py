"""``mkdocs serve`` shows edits to the sources live."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import edit
from test_site import copy_project

PAGE = "exercises/stomach-crunch/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float) -> bool:
    """Poll ``url`` until its body contains ``text``; bounded in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_a_source_changes(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/{PAGE}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    try:
        assert wait_for(url, "Stomach crunch", 60), "the server did not start"
        edit(
            root,
            "content/exercises/stomach-crunch.yaml",
            "Tensing your neck.",
            "Tensing your neck, edited live.",
        )
        assert wait_for(url, "Tensing your neck, edited live.", 60)
    finally:
        server.terminate()
        server.wait(timeout=10)
