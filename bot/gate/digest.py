"""The members section of the daily digest: seats, joins per campaign, leaves, waitlist."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import escape, translator
from bot.db import Database
from bot.gate.membership import label_text
from bot.gate.repo import GateRepository
from bot.gate.states import LedgerEvent

# Every way a member goes: on their own, removed by an admin, banned, kicked with /kick,
# erased with /forgetme (Ledger.tx_erase records that one only for a member).
LEAVE_KINDS = (
    LedgerEvent.LEFT,
    LedgerEvent.REMOVED,
    LedgerEvent.BANNED,
    LedgerEvent.KICKED,
    LedgerEvent.ERASED,
)


async def members_section(db: Database, window: DayWindow, settings: Settings) -> DigestSection:
    repo = GateRepository(db)
    counts = await repo.counts()
    joins = await repo.joins_by_label(window.start, window.end)
    events = await repo.event_counts(window.start, window.end)
    leaves = sum(events.get(kind, 0) for kind in LEAVE_KINDS)
    seats = settings.community.max_members
    free = max(seats - counts.seats_taken, 0)
    joined = sum(n for _, n in joins)
    tr = translator(settings.community.language)
    number = tr.integer
    seats_line: str = tr._(
        "Members: <b>{members}</b> · free seats: <b>{free}</b> of {seats}",
        members=number(counts.members),
        free=number(free),
        seats=number(seats),
    )
    if counts.reserved:
        seats_line += tr._(" · reserved: {n}", n=number(counts.reserved))
    joined_line: str = tr._("Joined today: <b>{n}</b>", n=number(joined))
    if joins:
        by_label = ", ".join(
            f"{escape(label_text(label, tr) if label else '-')}: {number(n)}" for label, n in joins
        )
        joined_line += f" ({by_label})"
    lines: list[str] = [
        seats_line,
        joined_line,
        tr._(
            "Left today: <b>{left}</b> · waitlist: <b>{waiting}</b>",
            left=number(leaves),
            waiting=number(counts.waiting),
        ),
    ]
    if events.get("turned_away"):
        lines.append(
            tr._("Turned away at the door (no seat): {n}", n=number(events["turned_away"]))
        )
    return DigestSection(
        key="members",
        title=tr._("Members"),
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
