"""Campaign cohorts: which invite-code label brings members who stay and give feedback.

Computed at query time from the seat ledger (``gate_seats``: label, joined_at, left_at),
member messages, preview ratings and public poll answers, so an erased person (/forgetme)
is simply not there any more: no cohort row of its own is stored. A kicked or unbanned
member's seat row is deleted (they need a new code), so what the cohort needs of it is kept
in ``gate_departures``, without the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.db import Database
from bot.insights import reports_repo
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


async def campaign_cohorts(db: Database, chat_id: int, now: int) -> list[Cohort]:
    """One cohort per campaign label with at least one member who joined."""
    seats = await reports_repo.cohort_seats(db)
    cohorts: dict[str, Cohort] = {}
    joined_at: dict[str, list[int]] = {}
    for row in seats:
        label = str(row["label"] or "-")
        cohort = cohorts.setdefault(label, Cohort(label, 0, 0))
        cohort.joined += 1
        cohort.members_now += row["state"] == "member"
        joins = joined_at.setdefault(label, [])
        if row["state"] != reports_repo.DEPARTED:
            # A departure has no id, so its activity cannot be told: the weekly shares are of
            # the members still in the ledger.
            joins.append(int(row["joined_at"]))
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
    live = await reports_repo.refresh_member_weeks(db, chat_id, now)
    active = await reports_repo.active_weeks(db, chat_id, live, WEEKS, now)
    for label, cohort in cohorts.items():
        for week in range(WEEKS):
            # Week n is over when the member's n-th bucket has ended; active_weeks counts
            # only such weeks, so the share is of the same members.
            eligible = sum(1 for j in joined_at[label] if (j // WEEK + week + 1) * WEEK <= now)
            if eligible:
                share = active.get((label or "-", week), 0) / eligible
                cohort.weekly_active.append((week, share, eligible))
    for label, ratings in (await reports_repo.ratings_by_label(db)).items():
        if label in cohorts:
            cohorts[label].ratings = ratings
    for row in await reports_repo.sentiment_by_label(db, chat_id, live):
        label = str(row[0] or "-")
        if label in cohorts and row[1]:
            cohorts[label].scored_messages = int(row[1])
            cohorts[label].mean_sentiment = float(row[2]) / int(row[1])
    return sorted(cohorts.values(), key=lambda c: (-c.joined, c.label))
