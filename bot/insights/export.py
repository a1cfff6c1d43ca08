"""``python -m bot export --what campaigns``: one row per campaign label (cohort figures)."""

from __future__ import annotations

import time
from typing import Any

from bot.db import Database
from bot.insights import reports_repo
from bot.insights.cohorts import WEEKS, campaign_cohorts


async def campaign_rows(db: Database, now: int | None = None) -> list[dict[str, Any]]:
    now = int(time.time()) if now is None else now
    rows = []
    for c in await campaign_cohorts(db, await reports_repo.community_chat_id(db), now):
        row: dict[str, Any] = {"label": c.label, "joined": c.joined, "members_now": c.members_now}
        for r in c.retention:
            row[f"eligible_{r.days}d"] = r.eligible
            row[f"still_members_{r.days}d"] = r.still
        weekly = {w: (share, n) for w, share, n in c.weekly_active}
        for week in range(WEEKS):
            share, n = weekly.get(week, (None, 0))
            row[f"active_week_{week + 1}"] = round(share, 4) if share is not None else None
            row[f"eligible_week_{week + 1}"] = n
        row["ratings"] = c.ratings
        row["ratings_per_member"] = (
            round(c.ratings_per_member, 3) if c.ratings_per_member is not None else None
        )
        row["scored_messages"] = c.scored_messages
        row["mean_sentiment"] = (
            round(c.mean_sentiment, 4) if c.mean_sentiment is not None else None
        )
        rows.append(row)
    return rows
