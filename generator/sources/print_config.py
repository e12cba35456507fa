"""The settings of the printed outputs, from ``print.yaml``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from generator.model import Strict

PRINT_FILE = "print.yaml"


class CardSize(StrEnum):
    """Card sizes a print shop cuts."""

    A6 = "a6"
    A5 = "a5"
    US_4X6 = "us-4x6"


class CardConfig(Strict):
    """How exercise cards are made."""

    size: CardSize = CardSize.A6
    """The trimmed card size."""


class BookletSize(StrEnum):
    """Booklet page sizes."""

    A5 = "a5"
    A6 = "a6"


class BookletConfig(Strict):
    """How the operating-instructions booklet is made."""

    size: BookletSize = BookletSize.A5
    """The trimmed page size (A6 for a small box)."""


class PanelConfig(Strict):
    """The quick-start panel on the box."""

    width: Annotated[float, Field(ge=80, le=400)] = 150
    """Width in millimetres."""
    height: Annotated[float, Field(ge=60, le=400)] = 150
    """Height in millimetres."""


class PrintConfig(Strict):
    """Settings of every printed output."""

    cards: CardConfig = CardConfig()
    """Exercise cards."""
    booklet: BookletConfig = BookletConfig()
    """The booklet in the box."""
    panel: PanelConfig = PanelConfig()
    """The quick-start panel for the box artwork."""
