"""SQL for the erasures of the last minutes (see migrations/0015_recent_erasures.sql)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import rows
from bot.db.connection import Database


@dataclass(frozen=True, slots=True)
class RecentErasure:
    user_hash: str
    erased_at: int
    late: bool
    removal: bool


_DELETE = "DELETE FROM recent_erasures WHERE user_hash = ?"
_UPDATE = "UPDATE recent_erasures SET late = ?, removal = ? WHERE user_hash = ?"
_PRUNE = "DELETE FROM recent_erasures WHERE erased_at <= ?"


class RecentErasuresRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def tx_note(self, conn: aiosqlite.Connection, erasure: RecentErasure) -> None:
        """Inside the erasure's transaction. Erased again within the window: a new window."""
        await conn.execute(
            "INSERT INTO recent_erasures (user_hash, erased_at, late, removal) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (user_hash) DO UPDATE SET "
            "erased_at = excluded.erased_at, late = excluded.late, removal = excluded.removal",
            (erasure.user_hash, erasure.erased_at, erasure.late, erasure.removal),
        )

    async def load(self, over_at: int) -> list[RecentErasure]:
        """Those still in their window; the ones erased at or before ``over_at`` are deleted."""
        async with self._db.transaction() as conn:
            await conn.execute(_PRUNE, (over_at,))
            async with conn.execute(
                f"SELECT {rows.columns(RecentErasure)} FROM recent_erasures"
            ) as cursor:
                return rows.all(RecentErasure, await cursor.fetchall())

    # Behind, with the update that ended the window (a message of theirs, the removal's last
    # member update) or with the next flush: lost in a crash, the row is only older than it
    # should be, and ``load`` drops it once its window is over.
    def defer_update(self, user_hash: str, late: bool, removal: bool) -> None:
        self._db.defer(_UPDATE, (late, removal, user_hash))

    def defer_delete(self, user_hash: str) -> None:
        self._db.defer(_DELETE, (user_hash,))

    def defer_prune(self, over_at: int) -> None:
        self._db.defer(_PRUNE, (over_at,))
