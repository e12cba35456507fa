"""Settings a build reads from its environment, checked once, before anything is built."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping

from .errors import BuildError

EARLIEST_DATE = datetime.date(1980, 1, 1)
"""The earliest build date every output can carry (a zip entry's time starts in 1980)."""
LATEST_DATE = datetime.date(2107, 12, 31)
"""The latest build date every output can carry (a zip entry's time ends in 2107)."""


class SettingError(BuildError):
    """A setting (an environment variable, an option) that a build cannot use."""


def _seconds(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC).timestamp())


def build_date(environ: Mapping[str, str] | None = None) -> int | None:
    """Return ``SOURCE_DATE_EPOCH`` as a number of seconds, ``None`` if unset; refuse a bad one."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value is None:
        return None
    earliest, latest = _seconds(EARLIEST_DATE), _seconds(LATEST_DATE) + 86399
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
    if not earliest <= seconds <= latest:
        raise SettingError(
            f"SOURCE_DATE_EPOCH={value!r} is outside {EARLIEST_DATE} to {LATEST_DATE}, "
            f"the dates every output can carry; {advice}"
        )
    return seconds
