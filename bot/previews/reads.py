"""Reads for the digest and the rating keyboard: what members said about previews.

They run on the reader connection by default (the digest's snapshot); the keyboard's tally
passes ``reader=False`` to see its own fresh writes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from bot.db import Database, rows
from bot.previews.records import Feedback, PreviewRecord, PreviewStatus

# Names come from the record's fields, never from input (see bot.db.rows).
_PREVIEW = f"SELECT {rows.columns(PreviewRecord)} FROM previews"


async def feedback_for(db: Database, preview_id: int, *, reader: bool = True) -> Feedback:
    """Ratings and reactions of one preview (reader connection for the digest)."""
    fetch = db.read_all if reader else db.fetchall
    rating_rows = await fetch(
        "SELECT stars, COUNT(*) FROM preview_ratings WHERE preview_id = ? GROUP BY stars",
        (preview_id,),
    )
    dist = [0] * 5
    for row in rating_rows:
        dist[int(row[0]) - 1] = int(row[1])
    count_rows = await fetch(
        "SELECT message_id, reaction, total FROM preview_reaction_counts WHERE preview_id = ?",
        (preview_id,),
    )
    user_rows = await fetch(
        "SELECT message_id, reactions FROM preview_reactions WHERE preview_id = ?",
        (preview_id,),
    )
    # message_reaction_count carries Telegram's totals (anonymous reactions included); where
    # we have them for a message they win, otherwise we count the per-member updates.
    totals: Counter[str] = Counter()
    counted = set()
    for row in count_rows:
        counted.add(int(row["message_id"]))
        if row["reaction"]:
            totals[str(row["reaction"])] += int(row["total"])
    for row in user_rows:
        if int(row["message_id"]) not in counted:
            totals.update(json.loads(row["reactions"]))
    return Feedback(
        (dist[0], dist[1], dist[2], dist[3], dist[4]),
        dict(totals.most_common()),
    )


async def previews_for_window(db: Database, start: int, end: int) -> list[PreviewRecord]:
    """Published previews that were published, rated or reacted to in [start, end)."""
    found = await db.read_all(
        _PREVIEW + " p WHERE status = ? AND published_at < ? AND ("
        " published_at >= ?"
        " OR EXISTS (SELECT 1 FROM preview_ratings r WHERE r.preview_id = p.id"
        "            AND r.rated_at >= ? AND r.rated_at < ?)"
        " OR EXISTS (SELECT 1 FROM preview_reactions x WHERE x.preview_id = p.id"
        "            AND x.updated_at >= ? AND x.updated_at < ?)"
        " OR EXISTS (SELECT 1 FROM preview_reaction_counts c WHERE c.preview_id = p.id"
        "            AND c.updated_at >= ? AND c.updated_at < ?)"
        ") ORDER BY published_at",
        (PreviewStatus.PUBLISHED, end, start, start, end, start, end, start, end),
    )
    return rows.all(PreviewRecord, found)


async def preview_message_ids(db: Database, preview_id: int) -> list[int]:
    found = await db.read_all(
        "SELECT message_id FROM preview_messages WHERE preview_id = ? ORDER BY message_id",
        (preview_id,),
    )
    return [int(row[0]) for row in found]


async def display_names(db: Database, user_ids: Sequence[int]) -> dict[int, str]:
    """First and last name of each person the club knows (for quotes when names are shown)."""
    if not user_ids:
        return {}
    wanted = sorted(set(user_ids))
    marks = ", ".join("?" * len(wanted))
    found = await db.read_all(
        f"SELECT user_id, first_name, last_name FROM people WHERE user_id IN ({marks})",
        tuple(wanted),
    )
    names = {
        int(row["user_id"]): " ".join(p for p in (row["first_name"], row["last_name"]) if p)
        for row in found
    }
    return {user_id: name for user_id, name in names.items() if name}
