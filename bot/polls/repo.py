"""SQL for polls and the answers to public polls."""

from __future__ import annotations

import json

from bot.db import Database, rows
from bot.polls.records import PollRecord

_POLL = f"SELECT {rows.columns(PollRecord)} FROM polls"


class PollRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self,
        *,
        source_chat_id: int,
        source_message_id: int,
        created_by: int,
        question: str,
        options: tuple[str, ...],
        allows_multiple: bool,
        is_anonymous: bool,
        closes_at: int | None,
        preview_id: int | None,
        now: int,
    ) -> int | None:
        """Record a poll about to be sent; None if this command already made one."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO polls (source_chat_id, source_message_id, created_by, question, "
                "options, allows_multiple, is_anonymous, closes_at, preview_id, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (source_chat_id, source_message_id) DO NOTHING",
                (
                    source_chat_id,
                    source_message_id,
                    created_by,
                    question,
                    json.dumps(list(options), ensure_ascii=False),
                    int(allows_multiple),
                    int(is_anonymous),
                    closes_at,
                    preview_id,
                    now,
                ),
            )
            if cursor.rowcount == 0:
                return None
            return cursor.lastrowid

    async def mark_open(
        self, poll_id: int, chat_id: int, message_id: int, telegram_poll_id: str, now: int
    ) -> None:
        await self._db.execute(
            "UPDATE polls SET status = 'open', chat_id = ?, message_id = ?, "
            "telegram_poll_id = ?, opened_at = ? WHERE id = ?",
            (chat_id, message_id, telegram_poll_id, now, poll_id),
        )

    async def mark_failed(self, poll_id: int) -> None:
        await self._db.execute("UPDATE polls SET status = 'failed' WHERE id = ?", (poll_id,))

    async def get(self, poll_id: int) -> PollRecord | None:
        row = await self._db.fetchone(_POLL + " WHERE id = ?", (poll_id,))
        return rows.maybe(PollRecord, row)

    async def by_telegram_id(self, telegram_poll_id: str) -> PollRecord | None:
        row = await self._db.fetchone(_POLL + " WHERE telegram_poll_id = ?", (telegram_poll_id,))
        return rows.maybe(PollRecord, row)

    async def due(self, now: int) -> list[PollRecord]:
        found = await self._db.fetchall(
            _POLL + " WHERE status = 'open' AND closes_at IS NOT NULL "
            "AND closes_at <= ? ORDER BY closes_at",
            (now,),
        )
        return rows.all(PollRecord, found)

    async def results_unposted(self) -> list[PollRecord]:
        found = await self._db.fetchall(
            _POLL + " WHERE status = 'closed' AND results_posted_at IS NULL ORDER BY closed_at"
        )
        return rows.all(PollRecord, found)

    async def stuck_sending(self) -> list[PollRecord]:
        found = await self._db.fetchall(_POLL + " WHERE status = 'sending'")
        return rows.all(PollRecord, found)

    async def recent(self, limit: int = 10) -> list[PollRecord]:
        """Open polls first (all of them), then the latest closed ones."""
        found = await self._db.fetchall(_POLL + " WHERE status = 'open' ORDER BY id DESC")
        closed = await self._db.fetchall(
            _POLL + " WHERE status = 'closed' ORDER BY closed_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [*rows.all(PollRecord, found), *rows.all(PollRecord, closed)]

    async def set_counts(
        self, telegram_poll_id: str, counts: list[int], total_voters: int
    ) -> None:
        await self._db.execute(
            "UPDATE polls SET counts = ?, total_voters = ? WHERE telegram_poll_id = ?",
            (json.dumps(counts), total_voters, telegram_poll_id),
        )

    async def mark_closed(
        self, poll_id: int, now: int, counts: list[int] | None, total_voters: int | None
    ) -> bool:
        """Open → closed (with the final counts if known); False if it was not open."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE polls SET status = 'closed', closed_at = ?, "
                "counts = COALESCE(?, counts), total_voters = COALESCE(?, total_voters) "
                "WHERE id = ? AND status = 'open'",
                (
                    now,
                    json.dumps(counts) if counts is not None else None,
                    total_voters,
                    poll_id,
                ),
            )
            return cursor.rowcount > 0

    async def mark_results_posted(self, poll_id: int, now: int) -> None:
        await self._db.execute(
            "UPDATE polls SET results_posted_at = ? WHERE id = ?", (now, poll_id)
        )

    async def record_answer(
        self, poll_id: int, user_id: int, option_ids: list[int], now: int
    ) -> None:
        await self._db.execute(
            "INSERT INTO poll_answers (poll_id, user_id, option_ids, answered_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (poll_id, user_id) DO UPDATE SET "
            "option_ids = excluded.option_ids, answered_at = excluded.answered_at",
            (poll_id, user_id, json.dumps(option_ids), now),
        )

    async def answers(self, poll_id: int) -> dict[int, list[int]]:
        answered = await self._db.fetchall(
            "SELECT user_id, option_ids FROM poll_answers WHERE poll_id = ?", (poll_id,)
        )
        return {int(row["user_id"]): list(json.loads(row["option_ids"])) for row in answered}


async def polls_for_window(db: Database, start: int, end: int) -> list[PollRecord]:
    """Polls open at some moment of [start, end): for the digest (reader connection)."""
    found = await db.read_all(
        _POLL + " WHERE status IN ('open', 'closed') AND opened_at < ? "
        "AND (closed_at IS NULL OR closed_at >= ?) ORDER BY opened_at",
        (end, start),
    )
    return rows.all(PollRecord, found)
