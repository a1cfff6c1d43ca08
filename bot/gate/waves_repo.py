"""SQL for launch waves: who waits to be asked, asks and their outcomes (0009_waves.sql)."""

from __future__ import annotations

import aiosqlite

from bot.db import rows
from bot.db.connection import Database
from bot.gate.records import AskRecord, QueuedRequest

_QUEUED = f"SELECT {rows.columns(QueuedRequest)} FROM gate_join_requests"
_ASK = f"SELECT {rows.columns(AskRecord)} FROM gate_asks"


class WavesRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def queued(self) -> list[QueuedRequest]:
        """Pending requests never asked, in arrival order (the ask queue after a restart)."""
        found = await self.db.fetchall(
            _QUEUED + " WHERE asked = 0 AND asked_at IS NULL ORDER BY requested_at, rowid"
        )
        return rows.all(QueuedRequest, found)

    async def mark_asked(self, user_id: int, now: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE gate_join_requests SET asked = 1, asked_at = ? WHERE user_id = ?",
                (now, user_id),
            )
            await conn.execute(
                "INSERT OR IGNORE INTO gate_asks (user_id, asked_at) VALUES (?, ?)",
                (user_id, now),
            )

    async def resolve(self, user_id: int, outcome: str, now: int) -> None:
        """The open ask of this person gets its outcome (no-op if none is open)."""
        await self.db.execute(
            "UPDATE gate_asks SET outcome = ?, resolved_at = ? "
            "WHERE user_id = ? AND outcome IS NULL",
            (outcome, now, user_id),
        )

    async def mark_silent(self, cutoff: int, now: int) -> None:
        await self.db.execute(
            "UPDATE gate_asks SET outcome = 'silent', resolved_at = ? "
            "WHERE outcome IS NULL AND asked_at <= ?",
            (now, cutoff),
        )

    async def recent_asks(self, since: int) -> list[AskRecord]:
        """Asks since ``since``, in the order they were made."""
        found = await self.db.fetchall(
            _ASK + " WHERE asked_at >= ? ORDER BY asked_at, rowid", (since,)
        )
        return rows.all(AskRecord, found)

    async def forget_asks_before(self, cutoff: int) -> int:
        return await self.db.execute("DELETE FROM gate_asks WHERE asked_at < ?", (cutoff,))

    # --- inside the gate's admission transaction (bot/gate/admission.py) -----------------
    async def tx_was_asked(self, conn: aiosqlite.Connection, user_id: int) -> bool:
        async with conn.execute(
            "SELECT asked FROM gate_join_requests WHERE user_id = ?", (user_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return row is not None and bool(row["asked"])

    async def tx_close_request(self, conn: aiosqlite.Connection, user_id: int) -> None:
        await conn.execute("DELETE FROM gate_join_requests WHERE user_id = ?", (user_id,))

    async def tx_resolve(
        self, conn: aiosqlite.Connection, user_id: int, outcome: str, now: int
    ) -> None:
        await conn.execute(
            "UPDATE gate_asks SET outcome = ?, resolved_at = ? "
            "WHERE user_id = ? AND outcome IS NULL",
            (outcome, now, user_id),
        )
