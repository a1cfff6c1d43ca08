"""Member segments: advocates, quiet members, members at risk, newcomers.

Computed at query time for current members (``gate_seats.state = 'member'``) from their
messages, preview ratings and public poll answers; nothing per person is stored, so an
erased member is in no segment. The rules (settings in ``[insights]``), first match wins:

* **newcomer**: joined within ``newcomer_days``;
* **advocate**: at least ``advocate_min_actions`` posts and ratings in the last
  ``activity_days``, with mean message sentiment of at least ``advocate_min_sentiment``
  (or, with ratings only, a mean rating of 4★ or more);
* **at risk**: active in the ``activity_days`` before that (3 actions or more) but silent
  for the last ``at_risk_silent_days``;
* **quiet**: fewer than 2 actions in the last ``activity_days``;
* everyone else is a regular (counted, not listed).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.config import InsightSettings
from bot.db import Database
from bot.insights import reports_repo

DAY = 86400


class Segment(enum.Enum):
    NEWCOMER = "newcomer"
    ADVOCATE = "advocate"
    AT_RISK = "at_risk"
    QUIET = "quiet"
    REGULAR = "regular"


@dataclass(frozen=True, slots=True)
class MemberActivity:
    user_id: int
    joined_at: int | None
    recent_actions: int  # posts + ratings + votes in the last activity_days
    earlier_actions: int  # in the activity_days before that
    last_action_at: int | None
    recent_scored: int
    recent_sentiment: float | None
    recent_ratings: int
    recent_mean_stars: float | None


def classify(m: MemberActivity, now: int, s: InsightSettings) -> Segment:
    if m.joined_at is not None and m.joined_at >= now - s.newcomer_days * DAY:
        return Segment.NEWCOMER
    if m.recent_actions >= s.advocate_min_actions:
        if m.recent_scored and m.recent_sentiment is not None:
            if m.recent_sentiment >= s.advocate_min_sentiment:
                return Segment.ADVOCATE
        elif m.recent_mean_stars is not None and m.recent_mean_stars >= 4:
            return Segment.ADVOCATE
    silent_since = now - s.at_risk_silent_days * DAY
    if m.earlier_actions >= 3 and (m.last_action_at is None or m.last_action_at < silent_since):
        return Segment.AT_RISK
    if m.recent_actions < 2:
        return Segment.QUIET
    return Segment.REGULAR


async def member_activity(
    db: Database, chat_id: int, now: int, settings: InsightSettings
) -> list[MemberActivity]:
    recent = now - settings.activity_days * DAY
    since = now - 2 * settings.activity_days * DAY
    stats = await reports_repo.activity_by_member(db, chat_id, since, recent)
    members = await reports_repo.current_members(db)
    out = []
    for m in members:
        r = stats.get(int(m["user_id"]))
        out.append(
            MemberActivity(
                user_id=int(m["user_id"]),
                joined_at=m["joined_at"],
                recent_actions=int(r["recent_actions"] or 0) if r else 0,
                earlier_actions=int(r["earlier_actions"] or 0) if r else 0,
                last_action_at=r["last_action_at"] if r else None,
                recent_scored=int(r["recent_scored"] or 0) if r else 0,
                recent_sentiment=r["recent_sentiment"] if r else None,
                recent_ratings=int(r["recent_ratings"] or 0) if r else 0,
                recent_mean_stars=r["recent_mean_stars"] if r else None,
            )
        )
    return out


async def segments(
    db: Database, chat_id: int, now: int, settings: InsightSettings
) -> dict[Segment, list[MemberActivity]]:
    result: dict[Segment, list[MemberActivity]] = {s: [] for s in Segment}
    for member in await member_activity(db, chat_id, now, settings):
        result[classify(member, now, settings)].append(member)
    return result
