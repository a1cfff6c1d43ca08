"""The reasons the bot gives itself in the moderation log: flood control, the warning limit,
and bans shared between clubs.

They are stored as a fixed English record with its numbers ("9 messages in 10s") and shown
through the catalogs in the reader's language ("9 Nachrichten in 10 Sekunden"). The record is
what earlier versions wrote, so every row already in a log reads the same way, and the shared
unban finds the shared ban by it. Only rows the bot acted on (no actor) are read this way: a
moderator's own words are shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from bot.core.i18n import Html, Translator


def flood(count: int, seconds: int) -> str:
    return f"{count} messages in {seconds}s"


def warn_limit(limit: int) -> str:
    return f"{limit} warnings"


def shared_ban(origin: str) -> str:
    return f"shared ban from {origin}"


def shared_unban(origin: str) -> str:
    return f"shared unban from {origin}"


def _flood(found: re.Match[str], tr: Translator) -> Html:
    count, seconds = int(found[1]), int(found[2])
    return tr.n_(
        "{n} message in {duration}",
        "{n} messages in {duration}",
        count,
        duration=tr.duration(timedelta(seconds=seconds)),
    )


def _warn_limit(found: re.Match[str], tr: Translator) -> Html:
    return tr.n_("{n} warning", "{n} warnings", int(found[1]))


def _shared_ban(found: re.Match[str], tr: Translator) -> Html:
    return tr._("shared ban from {club}", club=found[1])


def _shared_unban(found: re.Match[str], tr: Translator) -> Html:
    return tr._("shared unban from {club}", club=found[1])


# Each record's pattern (the inverse of the function above that writes it) and its sentence.
_SHOWN: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], Translator], Html]], ...] = (
    (re.compile(r"(\d+) messages in (\d+)s"), _flood),
    (re.compile(r"(\d+) warnings"), _warn_limit),
    (re.compile(r"shared ban from (.+)", re.DOTALL), _shared_ban),
    (re.compile(r"shared unban from (.+)", re.DOTALL), _shared_unban),
)


def shown(reason: str, tr: Translator) -> Html | None:
    """The bot's own ``reason`` in ``tr``'s language; None for a record it never writes."""
    for pattern, sentence in _SHOWN:
        found = pattern.fullmatch(reason)
        if found is not None:
            return sentence(found, tr)
    return None
