"""The digest's referral section, once a week: who multiplied the club over the last 7 days."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import Translator, translator
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
    tr = translator(settings.community.language)
    lines: list[str] = [
        tr._(
            "Last 7 days: {referrers} brought {brought}; <b>{active}</b> still active (posted, "
            "rated or voted), {stayed} still members.",
            referrers=tr.n_("<b>{n}</b> member", "<b>{n}</b> members", len(found)),
            brought=tr.n_("<b>{n}</b> new member", "<b>{n}</b> new members", brought),
            active=tr.integer(active),
            stayed=tr.integer(stayed),
        ),
        tr._("Invites handed out: {n}", n=tr.integer(issued)),
    ]
    top = found[:TOP]
    labels = await _labels(db, [m.referrer_id for m in top], settings, tr)
    owned: list[tuple[int, str]] = []
    for m in top:
        line = tr._(
            "{who}: brought {brought}, {active} active",
            who=labels[m.referrer_id],
            brought=m.brought,
            active=m.active,
        )
        lines.append(line)
        if settings.digest.show_names:
            # A name in a stored digest is erased with the person; "Member #N" is a number
            # no one else ever gets, and after the erasure it points at nobody.
            owned.append((m.referrer_id, line))
    return DigestSection(
        key="referrals",
        title=tr._("Referrals"),
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
        owned_lines=owned,
    )


async def _labels(
    db: Database, user_ids: list[int], settings: Settings, tr: Translator
) -> dict[int, str]:
    """Names only with digest.show_names; otherwise the members' stable pseudonyms."""
    labels: dict[int, str] = {}
    if settings.digest.show_names:
        for user_id in user_ids:
            person = await PeopleRepository(db).get(user_id)
            labels[user_id] = (
                person.first_name if person and person.first_name else tr._("a member")
            )
        return labels
    numbers = await pseudonyms(db, user_ids)
    for user_id in user_ids:
        labels[user_id] = (
            tr._("Member #{n}", n=numbers[user_id]) if user_id in numbers else tr._("a member")
        )
    return labels
