"""What a feature contributes to the daily digest, without knowing how it is rendered.

Each feature that has something to report writes a plain async function
``async def section(db, window, settings) -> DigestSection | None`` next to its own
repository, and lists it in ``section_providers()``. Providers read the database only (no
Telegram), so ``python -m bot digest`` works on a database copy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.db import Database


@dataclass(frozen=True, slots=True)
class DayWindow:
    """One local calendar day of the community, as unix seconds [start, end)."""

    day: date
    tz: ZoneInfo
    start: int
    end: int

    @classmethod
    def for_day(cls, day: date, tz: ZoneInfo) -> DayWindow:
        start = datetime.combine(day, time(0), tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        return cls(day, tz, int(start.timestamp()), int(end.timestamp()))

    def shifted(self, days: int) -> DayWindow:
        return DayWindow.for_day(self.day + timedelta(days=days), self.tz)


@dataclass(frozen=True, slots=True)
class DigestSection:
    key: str  # stable id, e.g. "members", "polls"; used as the JSON key
    title: str  # plain text heading; the renderer escapes and bolds it
    lines: list[str]  # HTML lines, each tag-balanced, every inserted value escaped
    data: dict[str, Any] = field(default_factory=dict)  # JSON-able figures behind the lines


SectionProvider = Callable[[Database, DayWindow, Settings], Awaitable[DigestSection | None]]


def section_providers() -> list[SectionProvider]:
    """Feature sections, in the order they appear in the digest (after the core sections)."""
    from bot.gate.digest import members_section
    from bot.insights.digest import cohorts_section, segments_section
    from bot.links.digest import links_section
    from bot.moderation.digest import moderation_section
    from bot.polls.digest import polls_section
    from bot.previews.digest import previews_section
    from bot.referrals.digest import referrals_section

    providers: list[SectionProvider] = [
        members_section,
        previews_section,
        polls_section,
        moderation_section,
    ]
    providers.append(referrals_section)
    providers.append(links_section)
    providers += [segments_section, cohorts_section]
    return providers
