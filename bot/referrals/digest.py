"""The digest's referral section, once a week: who multiplied the club over the last 7 days."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.messaging import escape
from bot.db import Database
from bot.db.people_repo import PeopleRepository
from bot.feedback import pseudonyms
from bot.referrals.repo import ReferralRepository

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TOP = 3


def is_digest_day(window: DayWindow, settings: Settings) -> bool:
    day = settings.referrals.digest_day
    return day == "daily" or WEEKDAYS[window.day.weekday()] == day


async def referrals_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    if not is_digest_day(window, settings):
        return None
    start = window.shifted(-6).start
    repo = ReferralRepository(db)
    found = await repo.multipliers(start, window.end)
    issued = await repo.invites_issued(start, window.end)
    if not found and not issued:
        return None
    brought = sum(m.brought for m in found)
    stayed = sum(m.stayed for m in found)
    active = sum(m.active for m in found)
    lines = [
        f"Last 7 days: <b>{len(found)}</b> member(s) brought <b>{brought}</b> new member(s); "
        f"<b>{active}</b> still active (posted, rated or voted), {stayed} still members.",
        f"Invites handed out: {issued}",
    ]
    top = found[:TOP]
    labels = await _labels(db, [m.referrer_id for m in top], settings)
    lines += [
        f"{escape(labels[m.referrer_id])}: brought {m.brought}, {m.active} active" for m in top
    ]
    return DigestSection(
        key="referrals",
        title="Referrals",
        lines=lines,
        data={
            "since": start,
            "until": window.end,
            "referrers": len(found),
            "brought": brought,
            "stayed": stayed,
            "active": active,
            "invites_issued": issued,
        },
    )


async def _labels(db: Database, user_ids: list[int], settings: Settings) -> dict[int, str]:
    """Names only with digest.show_names; otherwise the members' stable pseudonyms."""
    labels: dict[int, str] = {}
    if settings.digest.show_names:
        for user_id in user_ids:
            person = await PeopleRepository(db).get(user_id)
            labels[user_id] = person.first_name if person and person.first_name else "A member"
        return labels
    numbers = await pseudonyms(db, user_ids)
    for user_id in user_ids:
        labels[user_id] = f"Member #{numbers[user_id]}" if user_id in numbers else "A member"
    return labels
