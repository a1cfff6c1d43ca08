"""What a feature contributes to the daily digest, without knowing how it is rendered.

Each feature that has something to report writes a plain async function
``async def section(db, window, settings) -> DigestSection | None`` next to its own
repository; the digest lists it in ``bot/digest/sections.py``. Providers read the database
only (no Telegram), so ``python -m bot digest`` works on a database copy. This contract
imports nothing of the bot at run time, so every feature can depend on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
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
    # (member's user id, line) for each line above that quotes or names a member: a stored
    # digest records them, so /forgetme and retention replace exactly those lines (a search
    # for her words would miss shortened quotes and hit club content that says the same).
    owned_lines: list[tuple[int, str]] = field(default_factory=list)


SectionProvider = Callable[["Database", DayWindow, "Settings"], Awaitable[DigestSection | None]]
