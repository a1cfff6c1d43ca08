"""The bot's commands as data, so /help and Telegram's command menu list the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["member", "moderator"]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str  # without the slash
    usage: str  # e.g. "/join CODE"
    description: str
    audience: Audience = "member"
