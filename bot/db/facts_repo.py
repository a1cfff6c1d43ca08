"""SQL for small runtime facts that must survive a restart."""

from __future__ import annotations

import secrets

from bot.db.connection import Database


class FactsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM runtime_facts WHERE key = ?", (key,))
        return str(row[0]) if row else None

    async def put(self, key: str, value: str, now: int) -> None:
        await self.put_many({key: value}, now)

    async def put_many(self, values: dict[str, str], now: int) -> None:
        """Several facts in one transaction: all of them change, or none."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO runtime_facts (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                [(key, value, now) for key, value in values.items()],
            )

    async def key(self, fact: str, now: int) -> bytes:
        """A random key generated once and kept under ``fact`` (for keyed hashes of ids)."""
        stored = await self.get(fact)
        if stored is None:
            stored = secrets.token_hex(32)
            await self.put(fact, stored, now)
        return stored.encode("utf-8")
