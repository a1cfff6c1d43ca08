"""SQL for the people the bot has met."""

from __future__ import annotations

from bot.db import rows
from bot.db.connection import Database
from bot.db.records import Person

_UPSERT = """
INSERT INTO people (user_id, first_name, last_name, username, language_code, is_bot,
                    first_seen_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET
    first_name = excluded.first_name, last_name = excluded.last_name,
    username = excluded.username,
    -- Some updates leave the optional language_code out: keep the one we know.
    language_code = COALESCE(excluded.language_code, people.language_code),
    updated_at = excluded.updated_at
"""


_PERSON = f"SELECT {rows.columns(Person)} FROM people"


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
        row = await self._db.fetchone(_PERSON + " WHERE user_id = ?", (user_id,))
        return rows.maybe(Person, row)

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
            reachable = await self._db.fetchall(
                f"SELECT user_id FROM people WHERE user_id IN ({','.join('?' * len(chunk))}) "
                "AND started_bot_at IS NOT NULL AND blocked_bot_at IS NULL",
                chunk,
            )
            found.update(int(row["user_id"]) for row in reachable)
        return found
