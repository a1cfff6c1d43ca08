"""SQL for previews, their ratings, reactions and teaser deliveries."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from bot.db import Database


class PreviewStatus(StrEnum):
    """A preview's place in its life (``previews.status``, migrations/0004)."""

    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"  # claimed for sending; left so by a crash, never sent again
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PreviewRecord:
    id: int
    command_chat_id: int
    command_message_id: int
    created_by: int
    title: str | None
    source_chat_id: int
    source_message_ids: tuple[int, ...]
    kind: str
    poll_question: str | None
    poll_options: tuple[str, ...]
    notify: bool
    publish_at: int
    status: PreviewStatus
    confirm_message_id: int | None
    chat_id: int | None
    message_id: int | None
    pinned_message_id: int | None
    published_at: int | None
    error: str | None
    poll_id: int | None
    tally_dirty: bool
    tally_edited_at: int | None
    teaser_status: str
    teaser_progress_id: int | None
    created_at: int

    @property
    def label(self) -> str:
        return f"#{self.id}" + (f" {self.title}" if self.title else "")

    @classmethod
    def _from_row(cls, row: aiosqlite.Row) -> PreviewRecord:
        return cls(
            id=row["id"],
            command_chat_id=row["command_chat_id"],
            command_message_id=row["command_message_id"],
            created_by=row["created_by"],
            title=row["title"],
            source_chat_id=row["source_chat_id"],
            source_message_ids=tuple(json.loads(row["source_message_ids"])),
            kind=row["kind"],
            poll_question=row["poll_question"],
            poll_options=tuple(json.loads(row["poll_options"])) if row["poll_options"] else (),
            notify=bool(row["notify"]),
            publish_at=row["publish_at"],
            status=PreviewStatus(row["status"]),
            confirm_message_id=row["confirm_message_id"],
            chat_id=row["chat_id"],
            message_id=row["message_id"],
            pinned_message_id=row["pinned_message_id"],
            published_at=row["published_at"],
            error=row["error"],
            poll_id=row["poll_id"],
            tally_dirty=bool(row["tally_dirty"]),
            tally_edited_at=row["tally_edited_at"],
            teaser_status=row["teaser_status"],
            teaser_progress_id=row["teaser_progress_id"],
            created_at=row["created_at"],
        )


@dataclass(frozen=True, slots=True)
class Feedback:
    """Everything members said about one preview, as numbers."""

    distribution: tuple[int, int, int, int, int]  # votes for 1..5 stars
    reactions: dict[str, int]

    @property
    def votes(self) -> int:
        return sum(self.distribution)

    @property
    def average(self) -> float | None:
        if not self.votes:
            return None
        return sum(stars * n for stars, n in enumerate(self.distribution, start=1)) / self.votes


class PreviewRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- albums ---------------------------------------------------------------------------
    def defer_album_item(
        self, chat_id: int, message_id: int, media_group_id: str, now: int
    ) -> None:
        self._db.defer(
            "INSERT INTO media_group_items (chat_id, message_id, media_group_id, received_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO NOTHING",
            (chat_id, message_id, media_group_id, now),
        )

    async def album_message_ids(self, chat_id: int, media_group_id: str) -> list[int]:
        await self._db.flush()
        rows = await self._db.fetchall(
            "SELECT message_id FROM media_group_items WHERE chat_id = ? AND media_group_id = ? "
            "ORDER BY message_id",
            (chat_id, media_group_id),
        )
        return [int(row[0]) for row in rows]

    # --- lifecycle ------------------------------------------------------------------------
    async def create(
        self,
        *,
        command_chat_id: int,
        command_message_id: int,
        created_by: int,
        title: str | None,
        source_chat_id: int,
        source_message_ids: list[int],
        kind: str,
        poll_question: str | None,
        poll_options: tuple[str, ...],
        notify: bool,
        publish_at: int,
        now: int,
    ) -> int | None:
        """A scheduled preview; None if this command message already made one."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO previews (command_chat_id, command_message_id, created_by, title, "
                "source_chat_id, source_message_ids, kind, poll_question, poll_options, "
                "notify, publish_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (command_chat_id, command_message_id) DO NOTHING",
                (
                    command_chat_id,
                    command_message_id,
                    created_by,
                    title,
                    source_chat_id,
                    json.dumps(source_message_ids),
                    kind,
                    poll_question,
                    json.dumps(list(poll_options), ensure_ascii=False) if poll_options else None,
                    int(notify),
                    publish_at,
                    now,
                ),
            )
            return cursor.lastrowid if cursor.rowcount else None

    async def set_confirm_message(self, preview_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE previews SET confirm_message_id = ? WHERE id = ?", (message_id, preview_id)
        )

    async def get(self, preview_id: int) -> PreviewRecord | None:
        row = await self._db.fetchone("SELECT * FROM previews WHERE id = ?", (preview_id,))
        return PreviewRecord._from_row(row) if row else None

    async def claim_due(self, now: int) -> list[PreviewRecord]:
        """Mark every due preview "publishing" and return them, in one transaction.

        Committing the claim before anything is sent is what makes a double publication
        impossible: a crash after this point leaves the row "publishing", which is never
        sent again automatically (see PreviewService.recover).
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM previews WHERE status = ? AND publish_at <= ? "
                "ORDER BY publish_at, id",
                (PreviewStatus.SCHEDULED, now),
            ) as cursor:
                rows = list(await cursor.fetchall())
            if rows:
                await conn.executemany(
                    "UPDATE previews SET status = ? WHERE id = ? AND status = ?",
                    [
                        (PreviewStatus.PUBLISHING, row["id"], PreviewStatus.SCHEDULED)
                        for row in rows
                    ],
                )
        return [PreviewRecord._from_row(row) for row in rows]

    async def mark_published(
        self,
        preview_id: int,
        *,
        chat_id: int,
        message_id: int,
        message_ids: list[int],
        pinned_message_id: int | None,
        notify: bool,
        now: int,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE previews SET status = ?, chat_id = ?, message_id = ?, "
                "pinned_message_id = ?, published_at = ?, teaser_status = ? WHERE id = ?",
                (
                    PreviewStatus.PUBLISHED,
                    chat_id,
                    message_id,
                    pinned_message_id,
                    now,
                    "pending" if notify else "none",
                    preview_id,
                ),
            )
            await conn.executemany(
                "INSERT INTO preview_messages (chat_id, message_id, preview_id) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id, message_id) DO NOTHING",
                [(chat_id, mid, preview_id) for mid in message_ids],
            )

    async def mark_failed(self, preview_id: int, error: str) -> None:
        await self._db.execute(
            "UPDATE previews SET status = ?, error = ? WHERE id = ?",
            (PreviewStatus.FAILED, error[:500], preview_id),
        )

    async def cancel(self, preview_id: int, now: int) -> PreviewStatus | None:
        """Cancel if still scheduled; returns the status it had (None: no such preview)."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT status FROM previews WHERE id = ?", (preview_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None
            if row["status"] == PreviewStatus.SCHEDULED:
                await conn.execute(
                    "UPDATE previews SET status = ?, cancelled_at = ? WHERE id = ?",
                    (PreviewStatus.CANCELLED, now, preview_id),
                )
            return PreviewStatus(row["status"])

    async def stuck_publishing(self) -> list[PreviewRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM previews WHERE status = ?", (PreviewStatus.PUBLISHING,)
        )
        return [PreviewRecord._from_row(row) for row in rows]

    async def previous_pin(self, chat_id: int, except_id: int) -> int | None:
        row = await self._db.fetchone(
            "SELECT pinned_message_id FROM previews WHERE status = ? AND chat_id = ? "
            "AND id != ? AND pinned_message_id IS NOT NULL ORDER BY published_at DESC, id DESC "
            "LIMIT 1",
            (PreviewStatus.PUBLISHED, chat_id, except_id),
        )
        return int(row[0]) if row else None

    async def set_poll(self, preview_id: int, poll_id: int) -> None:
        await self._db.execute(
            "UPDATE previews SET poll_id = ? WHERE id = ?", (poll_id, preview_id)
        )

    async def scheduled(self) -> list[PreviewRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM previews WHERE status IN (?, ?) ORDER BY publish_at, id",
            (PreviewStatus.SCHEDULED, PreviewStatus.PUBLISHING),
        )
        return [PreviewRecord._from_row(row) for row in rows]

    async def published(self, limit: int = 10) -> list[PreviewRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM previews WHERE status = ? ORDER BY published_at DESC, id DESC LIMIT ?",
            (PreviewStatus.PUBLISHED, limit),
        )
        return [PreviewRecord._from_row(row) for row in rows]

    # --- ratings --------------------------------------------------------------------------
    async def rate(self, preview_id: int, user_id: int, stars: int, now: int) -> int | None:
        """Record a member's rating (replacing theirs); returns their previous stars."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT stars FROM preview_ratings WHERE preview_id = ? AND user_id = ?",
                (preview_id, user_id),
            ) as cursor:
                row = await cursor.fetchone()
            previous = int(row[0]) if row else None
            if previous != stars:
                await conn.execute(
                    "INSERT INTO preview_ratings (preview_id, user_id, stars, rated_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (preview_id, user_id) DO UPDATE SET "
                    "stars = excluded.stars, rated_at = excluded.rated_at",
                    (preview_id, user_id, stars, now),
                )
                # The keyboard tally is refreshed later, at most once per few seconds.
                await conn.execute(
                    "UPDATE previews SET tally_dirty = 1 WHERE id = ?", (preview_id,)
                )
            return previous

    async def dirty_tallies(self, edited_before: int) -> list[PreviewRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM previews WHERE tally_dirty = 1 AND status = ? "
            "AND (tally_edited_at IS NULL OR tally_edited_at <= ?)",
            (PreviewStatus.PUBLISHED, edited_before),
        )
        return [PreviewRecord._from_row(row) for row in rows]

    async def mark_tally_shown(self, preview_id: int, now: int) -> None:
        await self._db.execute(
            "UPDATE previews SET tally_dirty = 0, tally_edited_at = ? WHERE id = ?",
            (now, preview_id),
        )

    # --- reactions ------------------------------------------------------------------------
    async def preview_for_message(self, chat_id: int, message_id: int) -> int | None:
        row = await self._db.fetchone(
            "SELECT preview_id FROM preview_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return int(row[0]) if row else None

    async def set_reactions(
        self, preview_id: int, message_id: int, user_id: int, reactions: list[str], now: int
    ) -> None:
        await self._db.execute(
            "INSERT INTO preview_reactions (preview_id, message_id, user_id, reactions, "
            "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (preview_id, message_id, user_id) "
            "DO UPDATE SET reactions = excluded.reactions, updated_at = excluded.updated_at",
            (preview_id, message_id, user_id, json.dumps(reactions, ensure_ascii=False), now),
        )

    async def set_reaction_counts(
        self, preview_id: int, message_id: int, counts: dict[str, int], now: int
    ) -> None:
        """Telegram's totals replace the previous ones for that message."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM preview_reaction_counts WHERE preview_id = ? AND message_id = ?",
                (preview_id, message_id),
            )
            await conn.executemany(
                "INSERT INTO preview_reaction_counts (preview_id, message_id, reaction, total, "
                "updated_at) VALUES (?, ?, ?, ?, ?)",
                [(preview_id, message_id, key, n, now) for key, n in counts.items()],
            )
            # An all-zero update still means "counted": keep a marker row.
            if not counts:
                await conn.execute(
                    "INSERT INTO preview_reaction_counts (preview_id, message_id, reaction, "
                    "total, updated_at) VALUES (?, ?, '', 0, ?)",
                    (preview_id, message_id, now),
                )

    async def feedback(self, preview_id: int) -> Feedback:
        return await feedback_for(self._db, preview_id, reader=False)

    # --- teaser ---------------------------------------------------------------------------
    async def teasers_to_send(self) -> list[PreviewRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM previews WHERE status = ? AND teaser_status IN ('pending', 'sending')",
            (PreviewStatus.PUBLISHED,),
        )
        return [PreviewRecord._from_row(row) for row in rows]

    async def set_teaser_status(
        self, preview_id: int, status: str, progress_id: int | None = None
    ) -> None:
        await self._db.execute(
            "UPDATE previews SET teaser_status = ?, "
            "teaser_progress_id = COALESCE(?, teaser_progress_id) WHERE id = ?",
            (status, progress_id, preview_id),
        )

    async def teaser_attempted(self, preview_id: int) -> set[int]:
        await self._db.flush()
        rows = await self._db.fetchall(
            "SELECT user_id FROM preview_teasers WHERE preview_id = ?", (preview_id,)
        )
        return {int(row[0]) for row in rows}

    def defer_teaser_result(self, preview_id: int, user_id: int, status: str, now: int) -> None:
        self._db.defer(
            "INSERT INTO preview_teasers (preview_id, user_id, status, sent_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (preview_id, user_id) DO UPDATE SET "
            "status = excluded.status, sent_at = excluded.sent_at",
            (preview_id, user_id, status, now),
        )

    async def teaser_counts(self, preview_id: int) -> dict[str, int]:
        await self._db.flush()
        rows = await self._db.fetchall(
            "SELECT status, COUNT(*) FROM preview_teasers WHERE preview_id = ? GROUP BY status",
            (preview_id,),
        )
        return {str(row[0]): int(row[1]) for row in rows}

    async def flush(self) -> None:
        await self._db.flush()


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
    rows = await db.read_all(
        "SELECT * FROM previews p WHERE status = ? AND published_at < ? AND ("
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
    return [PreviewRecord._from_row(row) for row in rows]


async def preview_message_ids(db: Database, preview_id: int) -> list[int]:
    rows = await db.read_all(
        "SELECT message_id FROM preview_messages WHERE preview_id = ? ORDER BY message_id",
        (preview_id,),
    )
    return [int(row[0]) for row in rows]
