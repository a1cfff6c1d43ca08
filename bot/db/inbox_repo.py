"""SQL for the durable update inbox."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from bot.db.connection import Database

_MARK_PROCESSED = (
    "UPDATE inbox SET processed_at = ?, payload = NULL "
    "WHERE update_id = ? AND processed_at IS NULL"
)


class InboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def pending_writes(self) -> int:
        """Writes waiting in memory (the write-behind buffer), for storage reports."""
        return self._db.deferred_count

    async def admit(self, updates: Sequence[tuple[int, str]], now: int) -> set[int]:
        """Store new updates in one transaction; returns the ids that were not seen before."""
        if not updates:
            return set()

        def admit_new(conn: sqlite3.Connection) -> set[int]:
            ids = [update_id for update_id, _ in updates]
            placeholders = ",".join("?" * len(ids))
            known = {
                row[0]
                for row in conn.execute(
                    f"SELECT update_id FROM inbox WHERE update_id IN ({placeholders})", ids
                )
            }
            fresh: list[tuple[int, str, int]] = []
            for uid, payload in updates:
                if uid not in known:  # also drops a repeat inside the same batch
                    known.add(uid)
                    fresh.append((uid, payload, now))
            conn.executemany(
                "INSERT INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)", fresh
            )
            return {uid for uid, _, _ in fresh}

        # One hop to the writer's thread for the whole batch (Database.run_transaction).
        return await self._db.run_transaction(admit_new)

    async def pending(self) -> list[tuple[int, str]]:
        """Updates stored but not yet processed, oldest first (to replay after a crash)."""
        rows = await self._db.fetchall(
            "SELECT update_id, payload FROM inbox WHERE processed_at IS NULL "
            "AND payload IS NOT NULL ORDER BY update_id"
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    def defer_mark_processed(self, update_id: int, now: int) -> None:
        self._db.defer(_MARK_PROCESSED, (now, update_id))

    async def mark_processed(self, update_id: int, now: int) -> None:
        await self._db.execute(_MARK_PROCESSED, (now, update_id))

    async def processed(self, update_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT processed_at IS NOT NULL FROM inbox WHERE update_id = ?", (update_id,)
        )
        return bool(row and row[0])

    async def forget_processed_before(self, cutoff: int) -> int:
        """Drop old processed ids; Telegram never redelivers updates older than a day."""
        return await self._db.execute(
            "DELETE FROM inbox WHERE processed_at IS NOT NULL AND processed_at < ?", (cutoff,)
        )
