"""Campaign cohorts: which invite-code label brings members who stay and give feedback.

Computed at query time from the seat ledger (``gate_seats``: label, joined_at, left_at),
member messages, preview ratings and public poll answers, so an erased person (/forgetme)
is simply not there any more: no cohort row of its own is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.db import Database
from bot.insights.stats import wilson_interval

DAY = 86400
WEEK = 7 * DAY
RETENTION_DAYS = (7, 30, 90)
WEEKS = 12


@dataclass(frozen=True, slots=True)
class Retention:
    days: int
    eligible: int  # joined at least this many days ago
    still: int  # of those, still members after that many days

    @property
    def share(self) -> float | None:
        return self.still / self.eligible if self.eligible else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.still, self.eligible)


@dataclass
class Cohort:
    label: str
    joined: int
    members_now: int
    retention: list[Retention] = field(default_factory=list)
    # (week since joining, share active, members eligible for that week)
    weekly_active: list[tuple[int, float, int]] = field(default_factory=list)
    ratings: int = 0
    scored_messages: int = 0
    mean_sentiment: float | None = None

    @property
    def ratings_per_member(self) -> float | None:
        return self.ratings / self.joined if self.joined else None


MEMBER_WEEKS_FACT = "insight:member_weeks_to"
# A bucket is final this long after it ends (a late delivery, a replay after a crash).
BUCKET_GRACE = 3600

# Finished buckets from the cache, the current one live from the message index.
_MEMBER_WEEKS = """
WITH weeks AS (
    SELECT user_id, week, scored, polarity_sum FROM insight_member_weeks
    UNION ALL
    SELECT user_id, sent_at / 604800, SUM(label != 'unscored'),
           TOTAL(CASE WHEN label != 'unscored' THEN polarity END)
      FROM feedback_messages WHERE chat_id = :chat AND sent_at >= :live GROUP BY 1, 2
)
"""

# Week n since joining = the n-th 7-day bucket the member was in (0 = the bucket they
# joined in): (bucket end - 1 - joined_at) / 7 days.
_ACTIVE_WEEKS = (
    _MEMBER_WEEKS
    + """
SELECT label, w, COUNT(DISTINCT user_id) FROM (
    SELECT s.label, s.user_id, (m.week * 604800 + 604799 - s.joined_at) / 604800 AS w
      FROM weeks AS m JOIN gate_seats AS s ON s.user_id = m.user_id
     WHERE s.joined_at IS NOT NULL AND m.week * 604800 + 604800 > s.joined_at
    UNION
    SELECT s.label, s.user_id, ((r.rated_at / 604800) * 604800 + 604799 - s.joined_at) / 604800
      FROM preview_ratings AS r JOIN gate_seats AS s ON s.user_id = r.user_id
     WHERE s.joined_at IS NOT NULL AND r.rated_at >= s.joined_at
    UNION
    SELECT s.label, s.user_id,
           ((a.answered_at / 604800) * 604800 + 604799 - s.joined_at) / 604800
      FROM poll_answers AS a JOIN gate_seats AS s ON s.user_id = a.user_id
     WHERE s.joined_at IS NOT NULL AND a.answered_at >= s.joined_at
) WHERE w < :weeks GROUP BY label, w
"""
)

_SENTIMENT = (
    _MEMBER_WEEKS
    + """
SELECT s.label, SUM(m.scored), TOTAL(m.polarity_sum) FROM weeks AS m
  JOIN gate_seats AS s ON s.user_id = m.user_id WHERE s.joined_at IS NOT NULL GROUP BY s.label
"""
)


async def refresh_member_weeks(db: Database, chat_id: int, now: int) -> int:
    """Add the finished buckets since the last refresh to the cache; returns its new end."""
    upto = (now - BUCKET_GRACE) // WEEK * WEEK
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT value FROM runtime_facts WHERE key = ?", (MEMBER_WEEKS_FACT,)
        ) as cursor:
            row = await cursor.fetchone()
        done = int(row[0]) if row is not None else 0
        if upto <= done:
            return done
        await conn.execute(
            "INSERT INTO insight_member_weeks (user_id, week, messages, scored, polarity_sum) "
            "SELECT user_id, sent_at / 604800, COUNT(*), SUM(label != 'unscored'), "
            "TOTAL(CASE WHEN label != 'unscored' THEN polarity END) FROM feedback_messages "
            "WHERE chat_id = ? AND sent_at >= ? AND sent_at < ? GROUP BY 1, 2 "
            "ON CONFLICT (user_id, week) DO UPDATE SET messages = messages + excluded.messages, "
            "scored = scored + excluded.scored, "
            "polarity_sum = polarity_sum + excluded.polarity_sum",
            (chat_id, done, upto),
        )
        await conn.execute(
            "INSERT INTO runtime_facts (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            (MEMBER_WEEKS_FACT, str(upto), now),
        )
    return upto


async def campaign_cohorts(db: Database, chat_id: int, now: int) -> list[Cohort]:
    """One cohort per campaign label with at least one member who joined."""
    seats = await db.read_all(
        "SELECT label, joined_at, left_at, state FROM gate_seats WHERE joined_at IS NOT NULL"
    )
    cohorts: dict[str, Cohort] = {}
    joined_at: dict[str, list[int]] = {}
    for row in seats:
        label = str(row["label"] or "-")
        cohort = cohorts.setdefault(label, Cohort(label, 0, 0))
        cohort.joined += 1
        cohort.members_now += row["state"] == "member"
        joined_at.setdefault(label, []).append(int(row["joined_at"]))
    for label, cohort in cohorts.items():
        for days in RETENTION_DAYS:
            eligible = still = 0
            for row in seats:
                if str(row["label"] or "-") != label or row["joined_at"] > now - days * DAY:
                    continue
                eligible += 1
                left = row["left_at"]
                stayed = row["state"] == "member" or (
                    left is not None and left >= row["joined_at"] + days * DAY
                )
                still += stayed
            cohort.retention.append(Retention(days, eligible, still))
    live = await refresh_member_weeks(db, chat_id, now)
    params = {"chat": chat_id, "live": live, "weeks": WEEKS}
    active: dict[tuple[str, int], int] = {
        (str(r[0] or "-"), int(r[1])): int(r[2]) for r in await db.read_all(_ACTIVE_WEEKS, params)
    }
    for label, cohort in cohorts.items():
        for week in range(WEEKS):
            # Week n is over when the member's n-th bucket has ended.
            eligible = sum(1 for j in joined_at[label] if (j // WEEK + week + 1) * WEEK <= now)
            if eligible:
                share = active.get((label, week), 0) / eligible
                cohort.weekly_active.append((week, share, eligible))
    for row in await db.read_all(
        "SELECT s.label, COUNT(*) FROM preview_ratings AS r "
        "JOIN gate_seats AS s ON s.user_id = r.user_id WHERE s.joined_at IS NOT NULL "
        "GROUP BY s.label"
    ):
        if str(row[0] or "-") in cohorts:
            cohorts[str(row[0] or "-")].ratings = int(row[1])
    for row in await db.read_all(_SENTIMENT, params):
        label = str(row[0] or "-")
        if label in cohorts and row[1]:
            cohorts[label].scored_messages = int(row[1])
            cohorts[label].mean_sentiment = float(row[2]) / int(row[1])
    return sorted(cohorts.values(), key=lambda c: (-c.joined, c.label))
