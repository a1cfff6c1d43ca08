"""SQL for the insights' reports: verdict cards, campaign cohorts, member segments, the
digest's honest changes. Read-only queries use the reader connection; the verdict facts and
the per-member bucket cache are written in transactions on the writer."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite

from bot.db import Database

WEEK = 7 * 86400

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
# joined in): (bucket end - 1 - joined_at) / 7 days. Only buckets that ended by :ended (the
# start of the bucket holding "now") count: the share divides by the members whose week n
# is over (bot.insights.cohorts), so a member in a week still running must not be in the
# numerator either, and a report rebuilt for a past day must not see later activity.
# A retracted poll vote (option_ids '[]') is no vote.
_ACTIVE_WEEKS = (
    _MEMBER_WEEKS
    + """
SELECT label, w, COUNT(DISTINCT user_id) FROM (
    SELECT s.label, s.user_id, (m.week * 604800 + 604799 - s.joined_at) / 604800 AS w
      FROM weeks AS m JOIN gate_seats AS s ON s.user_id = m.user_id
     WHERE s.joined_at IS NOT NULL AND m.week * 604800 + 604800 > s.joined_at
       AND m.week * 604800 < :ended
    UNION
    SELECT s.label, s.user_id, ((r.rated_at / 604800) * 604800 + 604799 - s.joined_at) / 604800
      FROM preview_ratings AS r JOIN gate_seats AS s ON s.user_id = r.user_id
     WHERE s.joined_at IS NOT NULL AND r.rated_at >= s.joined_at AND r.rated_at < :ended
    UNION
    SELECT s.label, s.user_id,
           ((a.answered_at / 604800) * 604800 + 604799 - s.joined_at) / 604800
      FROM poll_answers AS a JOIN gate_seats AS s ON s.user_id = a.user_id
     WHERE s.joined_at IS NOT NULL AND a.answered_at >= s.joined_at AND a.answered_at < :ended
       AND a.option_ids != '[]'
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


# The state of a cohort row for a member who was kicked or unbanned (``gate_departures``).
DEPARTED = "departed"


async def cohort_seats(db: Database) -> list[aiosqlite.Row]:
    """Everyone who joined: the seat ledger, and the anonymous departures its deletes left."""
    return await db.read_all(
        "SELECT label, joined_at, left_at, state FROM gate_seats WHERE joined_at IS NOT NULL "
        "UNION ALL SELECT label, joined_at, left_at, ? FROM gate_departures",
        (DEPARTED,),
    )


async def active_weeks(
    db: Database, chat_id: int, live: int, weeks: int, now: int
) -> dict[tuple[str, int], int]:
    """(label, week since joining) -> members active (posted, rated or voted) that week,
    counting only weeks that ended by ``now``."""
    params = {"chat": chat_id, "live": live, "weeks": weeks, "ended": now // WEEK * WEEK}
    return {
        (str(r[0] or "-"), int(r[1])): int(r[2]) for r in await db.read_all(_ACTIVE_WEEKS, params)
    }


async def ratings_by_label(db: Database) -> dict[str, int]:
    rows = await db.read_all(
        "SELECT s.label, COUNT(*) FROM preview_ratings AS r "
        "JOIN gate_seats AS s ON s.user_id = r.user_id WHERE s.joined_at IS NOT NULL "
        "GROUP BY s.label"
    )
    return {str(r[0] or "-"): int(r[1]) for r in rows}


async def sentiment_by_label(db: Database, chat_id: int, live: int) -> list[aiosqlite.Row]:
    """(label, scored messages, polarity sum) per campaign."""
    return await db.read_all(_SENTIMENT, {"chat": chat_id, "live": live})


_ACTIVITY = """
WITH acts AS (
    SELECT user_id, sent_at AS at, polarity, label != 'unscored' AS scored, NULL AS stars
      FROM feedback_messages WHERE chat_id = :chat AND sent_at >= :since
    UNION ALL
    SELECT user_id, rated_at, NULL, 0, stars FROM preview_ratings WHERE rated_at >= :since
    UNION ALL
    SELECT user_id, answered_at, NULL, 0, NULL FROM poll_answers
     WHERE answered_at >= :since AND option_ids != '[]'  -- '[]': a retracted vote
)
SELECT user_id,
       SUM(at >= :recent) AS recent_actions,
       SUM(at < :recent) AS earlier_actions,
       MAX(at) AS last_action_at,
       SUM(at >= :recent AND scored) AS recent_scored,
       AVG(CASE WHEN at >= :recent AND scored THEN polarity END) AS recent_sentiment,
       SUM(at >= :recent AND stars IS NOT NULL) AS recent_ratings,
       AVG(CASE WHEN at >= :recent THEN stars END) AS recent_mean_stars
  FROM acts GROUP BY user_id
"""


async def activity_by_member(
    db: Database, chat_id: int, since: int, recent: int
) -> dict[int, aiosqlite.Row]:
    """Per member since ``since``: actions (posts, ratings, votes) before and after
    ``recent``, the last action, and the recent sentiment and ratings."""
    params = {"chat": chat_id, "since": since, "recent": recent}
    return {int(r["user_id"]): r for r in await db.read_all(_ACTIVITY, params)}


async def current_members(db: Database) -> list[aiosqlite.Row]:
    return await db.read_all(
        "SELECT user_id, joined_at FROM gate_seats WHERE state = 'member' ORDER BY user_id"
    )


async def polarity_moments(
    db: Database, chat_id: int, start: int, end: int
) -> tuple[int, float, float]:
    """Scored messages in [start, end): count, sum and sum of squares of polarity."""
    row = await db.read_one(
        "SELECT COUNT(*), TOTAL(polarity), TOTAL(polarity * polarity) FROM feedback_messages "
        "WHERE chat_id = ? AND sent_at >= ? AND sent_at < ? AND label != 'unscored'",
        (chat_id, start, end),
    )
    if row is None:
        return 0, 0.0, 0.0
    return int(row[0]), float(row[1]), float(row[2])


async def community_chat_id(db: Database, configured: int | None = None) -> int:
    """The chat id the bot last used (a group upgrade is stored as a fact), else the
    configured one, else the chat the stored messages came from (the CLI has no bot)."""
    row = await db.read_one("SELECT value FROM runtime_facts WHERE key = 'community_chat_id'")
    if row is not None:
        return int(row[0])
    if configured is not None:
        return configured
    row = await db.read_one("SELECT chat_id FROM feedback_messages LIMIT 1")
    return int(row[0]) if row is not None else 0


# --- verdict cards ----------------------------------------------------------------------


async def published_preview(db: Database, preview_id: int) -> aiosqlite.Row | None:
    return await db.read_one(
        "SELECT id, title, chat_id, published_at, poll_id FROM previews "
        "WHERE id = ? AND status = 'published'",
        (preview_id,),
    )


async def preview_stars(db: Database, preview_id: int) -> list[int]:
    rows = await db.read_all(
        "SELECT stars FROM preview_ratings WHERE preview_id = ?", (preview_id,)
    )
    return [int(r[0]) for r in rows]


async def poll(db: Database, poll_id: int) -> aiosqlite.Row | None:
    return await db.read_one(
        "SELECT question, options, counts, total_voters FROM polls WHERE id = ?", (poll_id,)
    )


async def preview_reactions(db: Database, preview_id: int) -> dict[str, int]:
    """Telegram's totals where known (anonymous reactions included), else members' own."""
    rows = await db.read_all(
        "SELECT reaction, SUM(total) FROM preview_reaction_counts WHERE preview_id = ? "
        "GROUP BY reaction ORDER BY 2 DESC",
        (preview_id,),
    )
    if rows:
        return {str(r[0]): int(r[1]) for r in rows if r[0]}
    totals: dict[str, int] = {}
    for r in await db.read_all(
        "SELECT reactions FROM preview_reactions WHERE preview_id = ?", (preview_id,)
    ):
        for key in json.loads(r[0]):
            totals[key] = totals.get(key, 0) + 1
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


async def preview_replies(
    db: Database, preview_id: int, chat_id: int | None
) -> list[dict[str, Any]]:
    if chat_id is None:
        return []
    rows = await db.read_all(
        "SELECT f.message_id, f.user_id, f.text, f.polarity, f.label, f.aspects, f.topics "
        "FROM preview_messages AS p JOIN feedback_messages AS f "
        "ON f.chat_id = p.chat_id AND f.reply_to = p.message_id WHERE p.preview_id = ? "
        "ORDER BY f.sent_at",
        (preview_id,),
    )
    return [dict(r) for r in rows]


async def previous_previews(
    db: Database, *, before: int, except_id: int, min_ratings: int, limit: int
) -> list[aiosqlite.Row]:
    """(id, title, mean stars, raters) of the latest previews with enough ratings."""
    return await db.read_all(
        "SELECT p.id, p.title, AVG(r.stars), COUNT(r.user_id) FROM previews AS p "
        "JOIN preview_ratings AS r ON r.preview_id = p.id "
        "WHERE p.status = 'published' AND p.published_at < ? AND p.id != ? "
        "GROUP BY p.id HAVING COUNT(r.user_id) >= ? ORDER BY p.published_at DESC LIMIT ?",
        (before, except_id, min_ratings, limit),
    )


async def record_due_verdicts(db: Database, delay: int, now: int, published_after: int) -> int:
    """A due fact for every published preview that has none (idempotent)."""
    return await db.execute(
        "INSERT OR IGNORE INTO insight_verdicts (preview_id, due_at, created_at) "
        "SELECT id, published_at + ?, ? FROM previews WHERE status = 'published' "
        "AND published_at IS NOT NULL AND published_at > ? "
        "AND id NOT IN (SELECT preview_id FROM insight_verdicts)",
        (delay, now, published_after),
    )


async def due_verdicts(db: Database, now: int) -> list[aiosqlite.Row]:
    return await db.fetchall(
        "SELECT preview_id, attempts, message_id FROM insight_verdicts "
        "WHERE state = 'due' AND due_at <= ? AND next_attempt_at <= ? ORDER BY due_at",
        (now, now),
    )


async def verdict_text_sent(db: Database, preview_id: int, chat_id: int, message_id: int) -> None:
    await db.execute(
        "UPDATE insight_verdicts SET message_id = ?, brand_chat_id = ? WHERE preview_id = ?",
        (message_id, chat_id, preview_id),
    )


async def verdict_sent(db: Database, preview_id: int, chart_id: int | None, now: int) -> None:
    await db.execute(
        "UPDATE insight_verdicts SET state = 'sent', chart_message_id = ?, sent_at = ? "
        "WHERE preview_id = ?",
        (chart_id, now, preview_id),
    )


async def verdict_failed(
    db: Database,
    preview_id: int,
    error: str,
    retry_at: int | None,
    attempts: int,
    *,
    give_up: bool = True,
) -> None:
    await db.execute(
        "UPDATE insight_verdicts SET attempts = ?, last_error = ?, "
        "next_attempt_at = COALESCE(?, next_attempt_at), "
        "state = CASE WHEN ? THEN 'failed' ELSE state END WHERE preview_id = ?",
        (attempts, error[:500], retry_at, int(give_up), preview_id),
    )


async def aspect_moments(
    db: Database, chat_id: int, start: int, end: int
) -> dict[str, tuple[int, float, float]]:
    """Per aspect in [start, end): mentions, sum and sum of squares of their polarity (the
    same rows the digest's aspect figures count)."""
    rows = await db.read_all(
        "SELECT a.key, COUNT(*), TOTAL(a.value), TOTAL(a.value * a.value) "
        "FROM feedback_messages AS m INDEXED BY feedback_messages_day, json_each(m.aspects) AS a "
        "WHERE m.chat_id = ? AND m.sent_at >= ? AND m.sent_at < ? AND m.aspects IS NOT NULL "
        "GROUP BY a.key",
        (chat_id, start, end),
    )
    return {str(r[0]): (int(r[1]), float(r[2]), float(r[3])) for r in rows}
