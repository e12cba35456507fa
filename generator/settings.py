"""Settings a build reads from its environment, checked once, before anything is built."""

from __future__ import annotations

import os
from collections.abc import Mapping

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
