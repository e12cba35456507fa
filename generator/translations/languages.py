"""The languages the outputs can be made in (no imports: the sources' checks use it too)."""

from __future__ import annotations

SOURCE_LANGUAGE = "en"
"""The language the sources are written in."""
SUPPORTED = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "nl": "Nederlands",
    "pt": "Português",
    "da": "Dansk",
    "sv": "Svenska",
    "nb": "Norsk bokmål",
    "fi": "Suomi",
    "pl": "Polski",
    "cs": "Čeština",
    "hu": "Magyar",
    "ro": "Română",
    "is": "Íslenska",
    "sl": "Slovenščina",
    "et": "Eesti",
    "lv": "Latviešu",
    "lt": "Lietuvių",
}
"""The languages the outputs can be made in, with their own names: written in the Latin script,
left to right, which the typeface covers and every output lays out. A translation file or a
product's language outside this list (Arabic or Hebrew, right to left; Greek, Cyrillic,
Chinese) is refused with an error rather than printed wrong."""


def unsupported(language: str) -> str:
    """Return why the outputs cannot be made in ``language``."""
    supported = ", ".join(sorted(SUPPORTED))
    return (
        f"the outputs cannot be made in {language!r}: supported are {supported} (Latin "
        "script, left to right); right-to-left and other scripts are not laid out yet"
    )
