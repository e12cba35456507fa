"""Translations: gettext PO files, kept fresh by source hash, and the safety-translation gate."""
