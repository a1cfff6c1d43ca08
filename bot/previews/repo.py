"""SQL for previews, their ratings, reactions and teaser deliveries."""

from __future__ import annotations

import json

from bot.db import Database, rows
from bot.previews.reads import feedback_for
from bot.previews.records import Feedback, PreviewRecord, PreviewStatus

__all__ = ["Feedback", "PreviewRecord", "PreviewRepository", "PreviewStatus"]

# Names come from the record's fields, never from input: the SELECT lists exactly the columns
# PreviewRecord maps, so a renamed column fails at the first read (see bot.db.rows).
_PREVIEW = f"SELECT {rows.columns(PreviewRecord)} FROM previews"


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
        found = await self._db.fetchall(
            "SELECT message_id FROM media_group_items WHERE chat_id = ? AND media_group_id = ? "
            "ORDER BY message_id",
            (chat_id, media_group_id),
        )
        return [int(row[0]) for row in found]

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
        row = await self._db.fetchone(_PREVIEW + " WHERE id = ?", (preview_id,))
        return rows.maybe(PreviewRecord, row)

    async def claim_due(self, now: int) -> list[PreviewRecord]:
        """Mark every due preview "publishing" and return them, in one transaction.

        Committing the claim before anything is sent is what makes a double publication
        impossible: a crash after this point leaves the row "publishing", which is never
        sent again automatically (see PreviewService.recover).
        """
        async with self._db.transaction() as conn:
            async with conn.execute(
                _PREVIEW + " WHERE status = ? AND publish_at <= ? ORDER BY publish_at, id",
                (PreviewStatus.SCHEDULED, now),
            ) as cursor:
                found = list(await cursor.fetchall())
            if found:
                await conn.executemany(
                    "UPDATE previews SET status = ? WHERE id = ? AND status = ?",
                    [
                        (PreviewStatus.PUBLISHING, row["id"], PreviewStatus.SCHEDULED)
                        for row in found
                    ],
                )
        return rows.all(PreviewRecord, found)

    async def mark_published(
        self,
        preview_id: int,
        *,
        chat_id: int,
        message_id: int | None,
        message_ids: list[int],
        notify: bool,
        now: int,
    ) -> None:
        """The preview is in the group as ``message_ids``; ``message_id`` carries its rating
        keyboard (None: an album whose rating prompt is not posted yet)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE previews SET status = ?, chat_id = ?, message_id = ?, "
                "published_at = ?, teaser_status = ? WHERE id = ?",
                (
                    PreviewStatus.PUBLISHED,
                    chat_id,
                    message_id,
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

    async def set_pinned(self, preview_id: int, message_id: int) -> None:
        await self._db.execute(
            "UPDATE previews SET pinned_message_id = ? WHERE id = ?", (message_id, preview_id)
        )

    async def missing_rating_prompts(self, published_since: int) -> list[PreviewRecord]:
        """Previews published since then whose rating keyboard is not in the group."""
        found = await self._db.fetchall(
            _PREVIEW + " WHERE status = ? AND message_id IS NULL AND published_at >= ? "
            "ORDER BY published_at, id",
            (PreviewStatus.PUBLISHED, published_since),
        )
        return rows.all(PreviewRecord, found)

    async def set_rating_message(self, preview_id: int, chat_id: int, message_id: int) -> None:
        """The rating keyboard of an album came late: it is the preview's keyboard from now
        on, and one of its messages (replies and reactions to it count)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE previews SET message_id = ? WHERE id = ? AND message_id IS NULL",
                (message_id, preview_id),
            )
            await conn.execute(
                "INSERT INTO preview_messages (chat_id, message_id, preview_id) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id, message_id) DO NOTHING",
                (chat_id, message_id, preview_id),
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
        found = await self._db.fetchall(
            _PREVIEW + " WHERE status = ?", (PreviewStatus.PUBLISHING,)
        )
        return rows.all(PreviewRecord, found)

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
        found = await self._db.fetchall(
            _PREVIEW + " WHERE status IN (?, ?) ORDER BY publish_at, id",
            (PreviewStatus.SCHEDULED, PreviewStatus.PUBLISHING),
        )
        return rows.all(PreviewRecord, found)

    async def published(self, limit: int = 10) -> list[PreviewRecord]:
        found = await self._db.fetchall(
            _PREVIEW + " WHERE status = ? ORDER BY published_at DESC, id DESC LIMIT ?",
            (PreviewStatus.PUBLISHED, limit),
        )
        return rows.all(PreviewRecord, found)

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
        found = await self._db.fetchall(
            _PREVIEW + " WHERE tally_dirty = 1 AND status = ? "
            "AND (tally_edited_at IS NULL OR tally_edited_at <= ?)",
            (PreviewStatus.PUBLISHED, edited_before),
        )
        return rows.all(PreviewRecord, found)

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
        found = await self._db.fetchall(
            _PREVIEW + " WHERE status = ? AND teaser_status IN ('pending', 'sending')",
            (PreviewStatus.PUBLISHED,),
        )
        return rows.all(PreviewRecord, found)

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
        found = await self._db.fetchall(
            "SELECT user_id FROM preview_teasers WHERE preview_id = ?", (preview_id,)
        )
        return {int(row[0]) for row in found}

    def defer_teaser_result(self, preview_id: int, user_id: int, status: str, now: int) -> None:
        self._db.defer(
            "INSERT INTO preview_teasers (preview_id, user_id, status, sent_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (preview_id, user_id) DO UPDATE SET "
            "status = excluded.status, sent_at = excluded.sent_at",
            (preview_id, user_id, status, now),
        )

    async def teaser_counts(self, preview_id: int) -> dict[str, int]:
        await self._db.flush()
        found = await self._db.fetchall(
            "SELECT status, COUNT(*) FROM preview_teasers WHERE preview_id = ? GROUP BY status",
            (preview_id,),
        )
        return {str(row[0]): int(row[1]) for row in found}

    async def flush(self) -> None:
        await self._db.flush()
