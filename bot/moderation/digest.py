"""The moderation section of the daily digest: how many actions of each kind."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import Html, Translator, translator
from bot.db import Database
from bot.moderation.repo import count_actions


def _count_of(action: str, n: int, tr: Translator) -> str:
    """ "3 warnings": each kind spelled out, so that every language has its plural forms."""
    match action:
        case "warn":
            return tr.n_("{n} warning", "{n} warnings", n)
        case "mute":
            return tr.n_("{n} mute", "{n} mutes", n)
        case "flood":
            return tr.n_("{n} flood mute", "{n} flood mutes", n)
        case "unmute":
            return tr.n_("{n} unmute", "{n} unmutes", n)
        case "kick":
            return tr.n_("{n} removal", "{n} removals", n)
        case "ban":
            return tr.n_("{n} ban", "{n} bans", n)
        case "unban":
            return tr.n_("{n} unban", "{n} unbans", n)
    return tr._("{n} {action}", n=n, action=action)


async def moderation_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    """Counts only (no names): None on a day without moderation."""
    counts = await count_actions(db, window.start, window.end)
    if not counts:
        return None
    total = sum(counts.values())
    tr = translator(settings.community.language)
    parts = [_count_of(action, count, tr) for action, count in counts.items()]
    actions = tr.n_("{n} action", "{n} actions", total)
    return DigestSection(
        key="moderation",
        title=tr._("Moderation"),
        lines=[tr._("{actions}: {list}", actions=actions, list=Html(", ".join(parts)))],
        data={"total": total, "by_action": counts},
    )
