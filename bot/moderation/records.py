"""Moderation's records: the rows it reads, field names equal to column names.

``bot.db.rows`` maps a row to these by name and checks that the two match, so a renamed
column fails at the first read instead of landing in the wrong field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LogAction(StrEnum):
    """What ``moderation_log.action`` can hold (the migration's comment lists the same)."""

    WARN = "warn"
    MUTE = "mute"
    UNMUTE = "unmute"
    KICK = "kick"
    BAN = "ban"
    UNBAN = "unban"
    FLOOD = "flood"  # the bot's own mute of a flooder, logged apart from a moderator's mute


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of ``moderation_log`` (without ``update_id``, which only dedups replays)."""

    id: int
    action: LogAction
    actor_id: int | None
    target_id: int
    reason: str | None
    until_at: int | None
    created_at: int
