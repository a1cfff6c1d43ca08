"""SQL for the digest's statistics: a day's aggregates over stored feedback (reads only; the
record of sent digests is bot/digest/runs_repo.py).

A finished day's figures are computed once (``INSERT ... SELECT`` in one statement, so no
message can slip in between the count and the cache row) into ``feedback_daily`` and
``feedback_daily_aspects``; the 7-day comparisons and the 14-day chart read those rows
instead of rescanning messages. The ingest triggers delete a day's cached rows whenever a
message of that day is stored, edited or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.digest_api import DayWindow
from bot.db import rows
from bot.db.connection import Database
from bot.digest.records import AspectStats, DayStats, QuoteRow

# The day's own bounds come back as columns too: a live day maps to DayStats like a cached one.
_DAY_FIGURES = """
SELECT :start AS day_start, :end AS day_end,
       COUNT(*) AS messages, COUNT(DISTINCT user_id) AS members,
       COALESCE(SUM(label != 'unscored'), 0) AS scored,
       COALESCE(SUM(label = 'positive'), 0) AS positive,
       COALESCE(SUM(label = 'neutral'), 0) AS neutral,
       COALESCE(SUM(label = 'negative'), 0) AS negative,
       COALESCE(SUM(CASE WHEN label != 'unscored' THEN polarity END), 0.0) AS polarity_sum
FROM feedback_messages WHERE chat_id = :chat AND sent_at >= :start AND sent_at < :end
"""

_CACHE_DAY = f"""
INSERT OR REPLACE INTO feedback_daily (chat_id, day_start, day_end, messages, members, scored,
    positive, neutral, negative, polarity_sum, computed_at)
SELECT :chat, :start, :end, messages, members, scored, positive, neutral, negative,
       polarity_sum, :now
FROM ({_DAY_FIGURES})
"""

# Aspects and topics are JSON columns of the message rows (no per-mention rows to write at
# ingest): a day's are spread with json_each over that day's rows, which the day index finds.
_DAY_ASPECTS = """
SELECT a.key AS aspect, COUNT(*) AS mentions, SUM(a.value) AS polarity_sum
FROM feedback_messages AS m INDEXED BY feedback_messages_day, json_each(m.aspects) AS a
WHERE m.chat_id = :chat AND m.sent_at >= :start AND m.sent_at < :end
  AND m.aspects IS NOT NULL
GROUP BY a.key
"""

_CACHE_ASPECTS = f"""
INSERT OR REPLACE INTO feedback_daily_aspects (chat_id, day_start, day_end, aspect, mentions,
    polarity_sum)
SELECT :chat, :start, :end, aspect, mentions, polarity_sum FROM ({_DAY_ASPECTS})
"""


_CACHED_DAY = f"SELECT {rows.columns(DayStats)} FROM feedback_daily"
_QUOTE = f"SELECT {rows.columns(QuoteRow)} FROM feedback_messages"


def _window_params(chat_id: int, window: DayWindow) -> dict[str, int]:
    return {"chat": chat_id, "start": window.start, "end": window.end}


async def ensure_cached(
    db: Database, chat_id: int, windows: Sequence[DayWindow], now: int
) -> None:
    """Compute and store the figures of the finished days among ``windows`` not cached yet."""
    finished = [w for w in windows if w.end <= now]
    if not finished:
        return
    cached = await _cached_keys(db, chat_id, finished)
    missing = [w for w in finished if (w.start, w.end) not in cached]
    if not missing:
        return
    async with db.transaction() as conn:
        for window in missing:
            params = _window_params(chat_id, window)
            await conn.execute(
                "DELETE FROM feedback_daily_aspects "
                "WHERE chat_id = :chat AND day_start = :start AND day_end = :end",
                params,
            )
            await conn.execute(_CACHE_ASPECTS, params)
            # The day row last: it is what marks the day (and its aspects) as cached.
            await conn.execute(_CACHE_DAY, {**params, "now": now})


async def _cached_keys(
    db: Database, chat_id: int, windows: Sequence[DayWindow]
) -> set[tuple[int, int]]:
    starts = [w.start for w in windows]
    found = await db.read_all(
        "SELECT day_start, day_end FROM feedback_daily WHERE chat_id = ? AND day_start IN "
        f"({','.join('?' * len(starts))})",
        (chat_id, *starts),
    )
    return {(int(row["day_start"]), int(row["day_end"])) for row in found}


async def day_stats(
    db: Database, chat_id: int, windows: Sequence[DayWindow], now: int
) -> list[DayStats]:
    """Figures per window (same order); finished days come from the daily cache."""
    await ensure_cached(db, chat_id, windows, now)
    starts = [w.start for w in windows]
    cached = await db.read_all(
        _CACHED_DAY + f" WHERE chat_id = ? AND day_start IN ({','.join('?' * len(starts))})",
        (chat_id, *starts),
    )
    by_key = {(day.day_start, day.day_end): day for day in rows.all(DayStats, cached)}
    out: list[DayStats] = []
    for window in windows:
        stats = by_key.get((window.start, window.end))
        if stats is None:  # the day is not over yet (or lies in the future): count it live
            row = await db.read_one(_DAY_FIGURES, _window_params(chat_id, window))
            stats = rows.maybe(DayStats, row) or DayStats.empty(window)
        out.append(stats)
    return out


async def aspect_stats(
    db: Database, chat_id: int, windows: Sequence[DayWindow], now: int
) -> dict[str, AspectStats]:
    """Aspect mentions and polarity summed over ``windows``."""
    await ensure_cached(db, chat_id, windows, now)
    totals: dict[str, tuple[int, float]] = {}

    def add(aspect: str, mentions: int, polarity_sum: float) -> None:
        count, total = totals.get(aspect, (0, 0.0))
        totals[aspect] = (count + mentions, total + polarity_sum)

    cached = await _cached_keys(db, chat_id, windows)
    cached_windows = [w for w in windows if (w.start, w.end) in cached]
    if cached_windows:
        starts = [w.start for w in cached_windows]
        found = await db.read_all(
            "SELECT aspect, mentions, polarity_sum, day_start, day_end "
            "FROM feedback_daily_aspects "
            f"WHERE chat_id = ? AND day_start IN ({','.join('?' * len(starts))})",
            (chat_id, *starts),
        )
        wanted = {(w.start, w.end) for w in cached_windows}
        for row in found:
            if (int(row["day_start"]), int(row["day_end"])) in wanted:
                add(str(row["aspect"]), int(row["mentions"]), float(row["polarity_sum"]))
    for window in windows:
        if (window.start, window.end) in cached:
            continue
        for row in await db.read_all(_DAY_ASPECTS, _window_params(chat_id, window)):
            add(str(row["aspect"]), int(row["mentions"]), float(row["polarity_sum"]))
    return {name: AspectStats(name, count, total) for name, (count, total) in totals.items()}


async def hour_counts(db: Database, chat_id: int, window: DayWindow) -> list[tuple[int, int]]:
    """(seconds from the day's start, messages) per hour since the day's start, busiest
    first. On the night the clocks go back two of these hours have the same local label;
    bot.digest.build merges them."""
    found = await db.read_all(
        "SELECT (sent_at - :start) / 3600 AS bucket, COUNT(*) AS n FROM feedback_messages "
        "WHERE chat_id = :chat AND sent_at >= :start AND sent_at < :end "
        "GROUP BY bucket ORDER BY n DESC, bucket",
        _window_params(chat_id, window),
    )
    return [(int(row["bucket"]) * 3600, int(row["n"])) for row in found]


async def quotes(
    db: Database, chat_id: int, window: DayWindow, label: str, limit: int
) -> list[QuoteRow]:
    """The strongest ``label`` ('positive' or 'negative') messages of the day.

    Written words first, in any language we score (a bare "😍", language "und", says less
    than a sentence), then the strongest polarity, then the longer message. A message whose
    words retention has emptied keeps its score for the figures but is no quote.
    """
    if limit <= 0:
        return []
    order = "DESC" if label == "positive" else "ASC"
    found = await db.read_all(
        _QUOTE
        + " WHERE chat_id = :chat AND sent_at >= :start AND sent_at < :end AND label = :label "
        "AND text <> '' "
        f"ORDER BY language <> 'und' DESC, polarity {order}, LENGTH(text) DESC, message_id "
        "LIMIT :limit",
        {**_window_params(chat_id, window), "label": label, "limit": limit},
    )
    return rows.all(QuoteRow, found)


async def top_topics(
    db: Database, chat_id: int, window: DayWindow, limit: int
) -> list[tuple[str, int]]:
    found = await db.read_all(
        # A message's topics are distinct (the extractor drops repeats): a row per mention.
        # Ties in reading order whatever the case (German topics are capitalised).
        "SELECT t.value AS topic, COUNT(*) AS n "
        "FROM feedback_messages AS m INDEXED BY feedback_messages_day, json_each(m.topics) AS t "
        "WHERE m.chat_id = :chat AND m.sent_at >= :start AND m.sent_at < :end "
        "AND m.topics IS NOT NULL "
        "GROUP BY t.value ORDER BY n DESC, t.value COLLATE NOCASE LIMIT :limit",
        {**_window_params(chat_id, window), "limit": limit},
    )
    return [(str(row["topic"]), int(row["n"])) for row in found]


async def unscored_languages(db: Database, chat_id: int, window: DayWindow) -> dict[str, int]:
    found = await db.read_all(
        "SELECT language, COUNT(*) AS n FROM feedback_messages "
        "WHERE chat_id = :chat AND sent_at >= :start AND sent_at < :end "
        "AND label = 'unscored' GROUP BY language ORDER BY n DESC, language",
        _window_params(chat_id, window),
    )
    return {str(row["language"]): int(row["n"]) for row in found}


async def brand_posts(db: Database, chat_id: int, window: DayWindow) -> int:
    row = await db.read_one(
        "SELECT COUNT(*) AS n FROM brand_posts "
        "WHERE chat_id = :chat AND sent_at >= :start AND sent_at < :end",
        _window_params(chat_id, window),
    )
    return int(row["n"]) if row else 0


async def member_labels(
    db: Database,
    user_ids: Sequence[int],
    show_names: bool,
    pseudonym: Callable[[int | None], str],
) -> dict[int, str]:
    """How quoted members are shown: ``pseudonym(N)`` ("Mitglied #N", in the reader's
    language; ``pseudonym(None)`` for one without a number) or their name."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    numbers = {
        int(row["user_id"]): int(row["number"])
        for row in await db.read_all(
            f"SELECT user_id, number FROM feedback_pseudonyms WHERE user_id IN ({marks})", ids
        )
    }
    labels = {uid: pseudonym(numbers.get(uid)) for uid in ids}
    if show_names:
        for row in await db.read_all(
            f"SELECT user_id, first_name, last_name FROM people WHERE user_id IN ({marks})",
            ids,
        ):
            name = " ".join(p for p in (row["first_name"], row["last_name"]) if p).strip()
            if name:
                labels[int(row["user_id"])] = name
    return labels


async def community_chat_id(db: Database, configured: int) -> int:
    """The community chat id as the bot last knew it (a group upgrade changes it)."""
    row = await db.read_one("SELECT value FROM runtime_facts WHERE key = 'community_chat_id'")
    return int(row["value"]) if row else configured
