"""The members section of the daily digest: seats, joins per campaign, leaves, waitlist."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.messaging import escape
from bot.db import Database
from bot.gate.repo import GateRepository

LEAVE_KINDS = ("left", "removed", "banned")


async def members_section(db: Database, window: DayWindow, settings: Settings) -> DigestSection:
    repo = GateRepository(db)
    counts = await repo.counts()
    joins = await repo.joins_by_label(window.start, window.end)
    events = await repo.event_counts(window.start, window.end)
    leaves = sum(events.get(kind, 0) for kind in LEAVE_KINDS)
    seats = settings.community.max_members
    free = max(seats - counts.seats_taken, 0)
    joined = sum(n for _, n in joins)
    lines = [
        f"Members: <b>{counts.members}</b> · free seats: <b>{free}</b> of {seats}"
        + (f" · reserved: {counts.reserved}" if counts.reserved else ""),
        f"Joined today: <b>{joined}</b>"
        + (
            " (" + ", ".join(f"{escape(label or '-')}: {n}" for label, n in joins) + ")"
            if joins
            else ""
        ),
        f"Left today: <b>{leaves}</b> · waitlist: <b>{counts.waiting}</b>",
    ]
    if events.get("turned_away"):
        lines.append(f"Turned away at the door (no seat): {events['turned_away']}")
    return DigestSection(
        key="members",
        title="Members",
        lines=lines,
        data={
            "members": counts.members,
            "seats": seats,
            "free_seats": free,
            "reserved": counts.reserved,
            "waitlist": counts.waiting,
            "joined": joined,
            "joins_by_label": dict(joins),
            "left": leaves,
            "turned_away": events.get("turned_away", 0),
        },
    )
