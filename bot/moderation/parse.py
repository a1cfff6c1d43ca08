"""Arguments of the moderation commands, as moderators type them.

The target is named either by replying to one of their messages (in the group) or by a
numeric user id as the first argument (anywhere, including a private chat with the bot).
Names and @usernames are not accepted: anyone can change them, a numeric id is a fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.core.i18n import N_, Explained
from bot.core.timeparse import TimeParseError, parse_duration

Action = Literal["warn", "mute", "unmute", "kick", "ban", "unban"]
ACTIONS: tuple[Action, ...] = ("warn", "mute", "unmute", "kick", "ban", "unban")

# Telegram user ids are positive and fit in 52 bits.
MAX_USER_ID = 2**52
MAX_REASON = 200
# Telegram treats a restriction shorter than 30 seconds as "forever": never send one.
MIN_MUTE = timedelta(minutes=1)

USAGE: dict[Action, str] = {
    "warn": N_("/warn [reason] (reply to a message) or /warn USER_ID [reason]"),
    "mute": N_(
        "/mute [duration] (reply to a message) or /mute USER_ID [duration]; "
        "duration like 30m, 2h, 1d"
    ),
    "unmute": N_("/unmute (reply to a message) or /unmute USER_ID"),
    "kick": N_("/kick [reason] (reply to a message) or /kick USER_ID [reason]"),
    "ban": N_("/ban [reason] (reply to a message) or /ban USER_ID [reason]"),
    "unban": N_("/unban USER_ID (or reply to a message)"),
}


class UsageError(Explained):
    """The arguments do not make a command; the message says what was wrong."""


@dataclass(frozen=True, slots=True)
class ModerationRequest:
    action: Action
    target_id: int
    duration: timedelta | None = None  # mute only
    reason: str | None = None


def parse_user_id(token: str) -> int | None:
    """A numeric Telegram user id, or None if ``token`` is not one."""
    if not token.isascii() or not token.isdecimal():
        return None
    value = int(token)
    return value if 0 < value < MAX_USER_ID else None


def _reason(words: Sequence[str]) -> str | None:
    text = " ".join(words).strip()
    if not text:
        return None
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def parse_request(
    action: Action,
    args: Sequence[str],
    reply_user_id: int | None,
    *,
    default_mute: timedelta,
) -> ModerationRequest:
    """Turn a command's arguments into a request, or raise UsageError."""
    words = list(args)
    target: int | None = None
    if words and parse_user_id(words[0]) is not None:
        target = parse_user_id(words.pop(0))
    elif reply_user_id is not None:
        target = reply_user_id
    elif words and words[0].lstrip("-").isdecimal():
        raise UsageError(N_("{token} is not a user id"), token=words[0][:20])
    if target is None:
        raise UsageError(N_("say whom: reply to one of their messages or give their numeric id"))

    if action == "mute":
        duration = default_mute
        if words:
            try:
                duration = parse_duration(words[0])
            except TimeParseError as exc:
                raise UsageError(exc.message, **exc.values) from None
            words.pop(0)
            if duration < MIN_MUTE:
                raise UsageError(N_("a mute lasts at least 1 minute"))
        return ModerationRequest(action, target, duration=duration, reason=_reason(words))
    if action in ("unmute", "unban"):
        # Nothing to explain when lifting a restriction; extra words are most likely a typo.
        if words:
            raise UsageError(N_("/{action} takes no reason"), action=action)
        return ModerationRequest(action, target)
    return ModerationRequest(action, target, reason=_reason(words))


def parse_limit(args: Sequence[str], *, default: int = 10, maximum: int = 50) -> int:
    """/modlog [N]: how many entries to show."""
    if not args:
        return default
    if len(args) > 1 or not args[0].isdecimal() or int(args[0]) < 1:
        raise UsageError(N_("use /modlog or /modlog N (a number of entries)"))
    return min(int(args[0]), maximum)
