"""The bot's commands as data, so /help and Telegram's command menu list the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import Message

Audience = Literal["member", "moderator"]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str  # without the slash
    usage: str  # e.g. "/join CODE"
    description: str
    audience: Audience = "member"


def command_args(message: Message) -> str:
    """The text after ``/command`` (or ``/command@bot``), keeping its line breaks."""
    text = message.text or message.caption or ""
    for entity in message.entities or message.caption_entities or ():
        if entity.type == "bot_command" and entity.offset == 0:
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()
