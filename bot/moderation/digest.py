"""The moderation section of the daily digest: how many actions of each kind."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.messaging import escape
from bot.db import Database
from bot.moderation.repo import count_actions

_LABELS = {
    "warn": "warnings",
    "mute": "mutes",
    "flood": "flood mutes",
    "unmute": "unmutes",
    "kick": "removals",
    "ban": "bans",
    "unban": "unbans",
}


async def moderation_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    """Counts only (no names): None on a day without moderation."""
    counts = await count_actions(db, window.start, window.end)
    if not counts:
        return None
    total = sum(counts.values())
    parts = [f"{count} {_LABELS.get(action, action)}" for action, count in counts.items()]
    return DigestSection(
        key="moderation",
        title="Moderation",
        lines=[f"{total} action(s): {escape(', '.join(parts))}"],
        data={"total": total, "by_action": counts},
    )
