"""The insights' digest sections: member segments (daily) and campaign cohorts (weekly)."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import translator
from bot.core.messaging import escape
from bot.db import Database
from bot.insights import reports_repo, texts
from bot.insights.cohorts import campaign_cohorts
from bot.insights.segments import Segment, segments

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


async def segments_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    found = await segments(
        db,
        await reports_repo.community_chat_id(db, settings.telegram.community_chat_id),
        window.end,
        settings.insights,
    )
    counts = {s.value: len(found[s]) for s in Segment}
    if not sum(counts.values()):
        return None
    tr = translator(settings.community.language)
    lines = [escape(texts.segment_count_line(counts, tr))]
    lines.append(tr._("Lists (names) go to moderators privately: /segments"))
    return DigestSection(key="segments", title=tr._("Member segments"), lines=lines, data=counts)


async def cohorts_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    """Once a week, on ``insights.cohort_weekday``'s digest."""
    if WEEKDAYS[window.day.weekday()] != settings.insights.cohort_weekday:
        return None
    cohorts = await campaign_cohorts(
        db,
        await reports_repo.community_chat_id(db, settings.telegram.community_chat_id),
        window.end,
    )
    if not cohorts:
        return None
    data = {
        c.label: {
            "joined": c.joined,
            "members_now": c.members_now,
            "retention": {str(r.days): [r.still, r.eligible] for r in c.retention},
            "weekly_active": [[w, round(s, 4), n] for w, s, n in c.weekly_active],
            "ratings": c.ratings,
            "scored_messages": c.scored_messages,
            "mean_sentiment": c.mean_sentiment,
        }
        for c in cohorts
    }
    tr = translator(settings.community.language)
    lines = texts.cohort_lines(cohorts, tr)
    lines.append(tr._("Retention curves: /campaigns (moderators, privately)"))
    title = tr._("Campaign cohorts (weekly)")
    return DigestSection(key="cohorts", title=title, lines=lines, data=data)
