"""Settings a build reads from its environment, checked once, before anything is built."""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import BuildError

EARLIEST_SECONDS = 315532800
"""1980-01-01T00:00:00Z: the earliest build date every output can carry (a zip entry's time)."""
LATEST_SECONDS = 2**32 - 1
"""2106-02-07T06:28:15Z: the latest (the gzip header of ``sitemap.xml.gz`` holds 32 bits)."""


class SettingError(BuildError):
    """A setting (an environment variable, an option) that a build cannot use."""


def build_date(environ: Mapping[str, str] | None = None) -> int | None:
    """Return ``SOURCE_DATE_EPOCH`` as a number of seconds, ``None`` if unset; refuse a bad one."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    advice = (
        "set it to the number of seconds since 1970-01-01 UTC of the build date "
        "(e.g. the last commit's: git log -1 --format=%ct), or unset it to use the latest "
        "review date in the sources"
    )
    if not (value.isascii() and value.isdigit()):
        raise SettingError(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds; {advice}"
        )
    seconds = int(value)
    if not EARLIEST_SECONDS <= seconds <= LATEST_SECONDS:
        raise SettingError(
            f"SOURCE_DATE_EPOCH={value!r} is outside {EARLIEST_SECONDS} to {LATEST_SECONDS} "
            f"(1980-01-01 to 2106-02-07), the dates every output can carry; {advice}"
        )
    return seconds


@dataclass(frozen=True)
class Settings:
    """What a build is told, read once before anything is built and passed down to every stage.

    No stage reads the environment: the build date, the site's address and
    the switches come from here.
    """

    root: Path
    """The project folder."""
    site_url: str
    """The website's address (``site_url`` in ``mkdocs.yml``), for QR codes and absolute links."""
    build_date: int | None
    """``SOURCE_DATE_EPOCH``: seconds since 1970; ``None`` until the sources date it."""
    strict: bool = False
    """Warnings count as errors."""
    release: bool = False
    """A release build: the printed outputs go to the printer as they are. Otherwise (a
    preview) every printed page says so (``generator.outputs.words.preview_mark``)."""
    language: str = "en"
    """The language of the outputs being made (the sources' own, or a translation's)."""
    languages: tuple[tuple[str, str], ...] = ()
    """Every language this build makes, with its own name (code, name), for the website's
    language switch and its ``hreflang`` links."""
    base_url: str = ""
    """The address of the site in the sources' language; a translation's site is below it,
    at ``<language>/`` (``site_url``)."""

    def in_language(self, language: str, source: str) -> Settings:
        """Return the settings for the outputs in ``language``: a translation's site, cards and
        links live below the source language's, at ``<language>/``."""
        base = self.base_url or self.site_url
        url = base if language == source else f"{base}{language}/"
        return replace(self, language=language, site_url=url, base_url=base)

    def site_in(self, language: str) -> str:
        """Return the address of the site in one of the languages this build makes (the first
        is the sources')."""
        return self.in_language(language, self.languages[0][0]).site_url

    @property
    def placeholder(self) -> bool:
        """Return whether the site address is missing or a placeholder: the print-shop files,
        which cannot be corrected once printed, are then not made."""
        return is_placeholder(self.site_url)

    @property
    def epoch(self) -> int:
        """Return the build date in seconds (once the build is dated)."""
        if self.build_date is None:
            raise ValueError("the build is not dated yet: call dated() first")
        return self.build_date

    @property
    def iso_date(self) -> str:
        """Return the build date as ISO 8601 UTC, for document metadata."""
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.epoch))

    def dated(self, latest_review: datetime.date) -> Settings:
        """Return these settings with a build date: the given one, else the latest review date."""
        if self.build_date is not None:
            return self
        moment = datetime.datetime.combine(latest_review, datetime.time(), tzinfo=datetime.UTC)
        return replace(self, build_date=int(moment.timestamp()))


def read_settings(
    root: Path,
    strict: bool = False,
    environ: Mapping[str, str] | None = None,
    address: str | None = None,
) -> Settings:
    """Return the settings of a build of ``root``: its configuration, its environment, and the
    site address given on the command line (``--site-url``), which wins over ``mkdocs.yml``."""
    url = checked_address(address) if address else site_url(root)
    return Settings(root.resolve(), url, build_date(environ), strict)


PLACEHOLDER_HOSTS = ("localhost", "example.com", "example.net", "example.org")
PLACEHOLDER_ENDINGS = (".invalid", ".example", ".localhost", ".example.com", ".example.org")
"""Addresses that lead nowhere (RFC 2606/6761). ``.test`` is left for the tests' own address."""


def is_placeholder(url: str) -> bool:
    """Return whether a site address is missing or one that leads nowhere."""
    host = (urlsplit(url).hostname or "").lower()
    return not host or host in PLACEHOLDER_HOSTS or host.endswith(PLACEHOLDER_ENDINGS)


def checked_address(url: str) -> str:
    """Return an absolute http(s) address ending in ``/``; refuse anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingError(
            f"--site-url {url!r} is not the absolute address of a website "
            "(e.g. https://exercises.example-maker.com/); give the address the site is served at"
        )
    return url if url.endswith("/") else url + "/"


def site_url(root: Path) -> str:
    """Return the website's address from ``mkdocs.yml``."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        return str(load_config(str(root / MKDOCS_CONFIG)).site_url or "")
    except MkDocsException as exc:
        raise SettingError(f"{MKDOCS_CONFIG}: {exc}") from None


MKDOCS_CONFIG = "mkdocs.yml"
