"""The digest's link section: clicks on the brand's links the bot posted, per day."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import translator
from bot.core.messaging import escape
from bot.db import Database
from bot.links.repo import LinkRepository


async def links_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    if not settings.links.redirect_base_url:
        return None  # no counting without the redirect endpoint
    day = window.day.isoformat()
    repo = LinkRepository(db)
    today = await repo.clicks_by_content(day, day)
    week = await repo.clicks_by_content(window.shifted(-6).day.isoformat(), day)
    if not today and not week:
        return None
    total = sum(n for _, n in today)
    tr = translator(settings.community.language)
    lines: list[str] = [
        tr._(
            "Clicks on the brand's links today: <b>{today}</b> (last 7 days: {week})",
            today=tr.integer(total),
            week=tr.integer(sum(n for _, n in week)),
        )
    ]
    lines += [f"{escape(content)}: {n}" for content, n in today]
    return DigestSection(
        key="links",
        title=tr._("Link clicks"),
        lines=lines,
        data={"clicks": total, "by_content": dict(today), "clicks_7d": sum(n for _, n in week)},
    )
