"""SQL for polls and the answers to public polls."""

from __future__ import annotations

import json
from dataclasses import dataclass

import aiosqlite

from bot.db import Database


@dataclass(frozen=True, slots=True)
class PollRecord:
    id: int
    source_chat_id: int
    source_message_id: int
    created_by: int
    question: str
    options: tuple[str, ...]
    allows_multiple: bool
    is_anonymous: bool
    preview_id: int | None
    status: str
    chat_id: int | None
    message_id: int | None
    telegram_poll_id: str | None
    counts: tuple[int, ...]
    total_voters: int
    closes_at: int | None
    created_at: int
    opened_at: int | None
    closed_at: int | None
    results_posted_at: int | None

    @classmethod
    def _from_row(cls, row: aiosqlite.Row) -> PollRecord:
        options = tuple(json.loads(row["options"]))
        counts = tuple(json.loads(row["counts"])) if row["counts"] else (0,) * len(options)
        return cls(
            id=row["id"],
            source_chat_id=row["source_chat_id"],
            source_message_id=row["source_message_id"],
            created_by=row["created_by"],
            question=row["question"],
            options=options,
            allows_multiple=bool(row["allows_multiple"]),
            is_anonymous=bool(row["is_anonymous"]),
            preview_id=row["preview_id"],
            status=row["status"],
            chat_id=row["chat_id"],
            message_id=row["message_id"],
            telegram_poll_id=row["telegram_poll_id"],
            counts=counts,
            total_voters=row["total_voters"],
            closes_at=row["closes_at"],
            created_at=row["created_at"],
            opened_at=row["opened_at"],
            closed_at=row["closed_at"],
            results_posted_at=row["results_posted_at"],
        )


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
        row = await self._db.fetchone("SELECT * FROM polls WHERE id = ?", (poll_id,))
        return PollRecord._from_row(row) if row else None

    async def by_telegram_id(self, telegram_poll_id: str) -> PollRecord | None:
        row = await self._db.fetchone(
            "SELECT * FROM polls WHERE telegram_poll_id = ?", (telegram_poll_id,)
        )
        return PollRecord._from_row(row) if row else None

    async def due(self, now: int) -> list[PollRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM polls WHERE status = 'open' AND closes_at IS NOT NULL "
            "AND closes_at <= ? ORDER BY closes_at",
            (now,),
        )
        return [PollRecord._from_row(row) for row in rows]

    async def results_unposted(self) -> list[PollRecord]:
        rows = await self._db.fetchall(
            "SELECT * FROM polls WHERE status = 'closed' AND results_posted_at IS NULL "
            "ORDER BY closed_at"
        )
        return [PollRecord._from_row(row) for row in rows]

    async def stuck_sending(self) -> list[PollRecord]:
        rows = await self._db.fetchall("SELECT * FROM polls WHERE status = 'sending'")
        return [PollRecord._from_row(row) for row in rows]

    async def recent(self, limit: int = 10) -> list[PollRecord]:
        """Open polls first (all of them), then the latest closed ones."""
        rows = await self._db.fetchall(
            "SELECT * FROM polls WHERE status = 'open' ORDER BY id DESC"
        )
        closed = await self._db.fetchall(
            "SELECT * FROM polls WHERE status = 'closed' ORDER BY closed_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [PollRecord._from_row(row) for row in [*rows, *closed]]

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
        rows = await self._db.fetchall(
            "SELECT user_id, option_ids FROM poll_answers WHERE poll_id = ?", (poll_id,)
        )
        return {int(row["user_id"]): list(json.loads(row["option_ids"])) for row in rows}


async def polls_for_window(db: Database, start: int, end: int) -> list[PollRecord]:
    """Polls open at some moment of [start, end): for the digest (reader connection)."""
    rows = await db.read_all(
        "SELECT * FROM polls WHERE status IN ('open', 'closed') AND opened_at < ? "
        "AND (closed_at IS NULL OR closed_at >= ?) ORDER BY opened_at",
        (end, start),
    )
    return [PollRecord._from_row(row) for row in rows]
