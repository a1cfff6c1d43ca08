"""The bot's commands as data, so /help and Telegram's command menu list the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, MessageEntity

from bot.core.permissions import Audience


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str  # without the slash
    usage: str  # e.g. "/join CODE"
    description: str
    # Who may run it: the handler's check and /help both go by it (bot.core.access).
    audience: Audience = Audience.MEMBER


def command_args(message: Message) -> str:
    """The text after ``/command`` (or ``/command@bot``), keeping its line breaks."""
    text = message.text or message.caption or ""
    for entity in message.entities or message.caption_entities or ():
        if entity.type == "bot_command" and entity.offset == 0:
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()


def command_for_us(message: Message, bot_username: str) -> str | None:
    """The command a message's text starts with, lower-cased and without its ``@bot``, if it
    is addressed to this bot: ``/rules`` or ``/rules@Club_Bot``; None for plain text or for
    ``/quiz@other_bot``.

    The test PTB's ``CommandHandler`` makes (names and usernames compared case-insensitively,
    as Telegram treats usernames), so a command it would not take is not ours here either."""
    entities = message.entities
    text = message.text
    if not text or not entities:
        return None
    first = entities[0]
    if first.offset != 0 or first.type != MessageEntity.BOT_COMMAND:
        return None
    name, _, addressee = text[1 : first.length].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower()
