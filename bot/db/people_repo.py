"""SQL for the people the bot has met."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db.connection import Database


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    is_bot: bool
    started_bot_at: int | None
    blocked_bot_at: int | None

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or str(
            self.user_id
        )

    @property
    def can_receive_dm(self) -> bool:
        return self.started_bot_at is not None and self.blocked_bot_at is None

    @classmethod
    def _from_row(cls, row: aiosqlite.Row) -> Person:
        return cls(
            user_id=row["user_id"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            username=row["username"],
            language_code=row["language_code"],
            is_bot=bool(row["is_bot"]),
            started_bot_at=row["started_bot_at"],
            blocked_bot_at=row["blocked_bot_at"],
        )


_UPSERT = """
INSERT INTO people (user_id, first_name, last_name, username, language_code, is_bot,
                    first_seen_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET
    first_name = excluded.first_name, last_name = excluded.last_name,
    username = excluded.username, language_code = excluded.language_code,
    updated_at = excluded.updated_at
"""


class PeopleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def defer_upsert(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        is_bot: bool,
        now: int,
    ) -> None:
        self._db.defer(
            _UPSERT,
            (user_id, first_name, last_name, username, language_code, int(is_bot), now, now),
        )

    async def get(self, user_id: int) -> Person | None:
        row = await self._db.fetchone("SELECT * FROM people WHERE user_id = ?", (user_id,))
        return Person._from_row(row) if row else None

    async def mark_started(self, user_id: int, now: int) -> None:
        """They opened a private chat with the bot (or came back after blocking it)."""
        await self._db.flush()
        await self._db.execute(
            "UPDATE people SET started_bot_at = COALESCE(started_bot_at, ?), "
            "blocked_bot_at = NULL WHERE user_id = ?",
            (now, user_id),
        )

    async def mark_blocked(self, user_id: int, now: int) -> None:
        await self._db.flush()
        await self._db.execute(
            "UPDATE people SET blocked_bot_at = ? WHERE user_id = ?", (now, user_id)
        )

    async def reachable_ids(self, user_ids: list[int]) -> set[int]:
        """Which of these people have started the bot and not blocked it."""
        if not user_ids:
            return set()
        found: set[int] = set()
        for start in range(0, len(user_ids), 500):
            chunk = user_ids[start : start + 500]
            rows = await self._db.fetchall(
                f"SELECT user_id FROM people WHERE user_id IN ({','.join('?' * len(chunk))}) "
                "AND started_bot_at IS NOT NULL AND blocked_bot_at IS NULL",
                chunk,
            )
            found.update(int(row[0]) for row in rows)
        return found
