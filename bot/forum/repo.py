"""SQL for the community group's forum topics and the day's activity per topic."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.db import Database


@dataclass(frozen=True, slots=True)
class KnownTopic:
    chat_id: int
    thread_id: int
    name: str
    closed: bool

    @classmethod
    def _from_row(cls, row: aiosqlite.Row) -> KnownTopic:
        return cls(row["chat_id"], row["thread_id"], row["name"], bool(row["closed"]))


@dataclass(frozen=True, slots=True)
class TopicDay:
    """One topic's messages on one day; ``thread_id`` None is the General topic."""

    thread_id: int | None
    messages: int
    members: int
    scored: int
    positive: int
    negative: int
    polarity_sum: float

    @property
    def mean(self) -> float | None:
        return self.polarity_sum / self.scored if self.scored else None


class TopicsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(
        self, chat_id: int, thread_id: int, name: str, icon_color: int | None, now: int
    ) -> None:
        await self._db.execute(
            "INSERT INTO forum_topics (chat_id, thread_id, name, icon_color, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, thread_id) DO UPDATE "
            "SET name = excluded.name, icon_color = excluded.icon_color, "
            "closed = 0, updated_at = excluded.updated_at",
            (chat_id, thread_id, name, icon_color, now, now),
        )

    async def rename(self, chat_id: int, thread_id: int, name: str, now: int) -> None:
        # A topic created before the bot came has no row yet: its first edit names it.
        await self._db.execute(
            "INSERT INTO forum_topics (chat_id, thread_id, name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, thread_id) DO UPDATE "
            "SET name = excluded.name, updated_at = excluded.updated_at",
            (chat_id, thread_id, name, now, now),
        )

    async def set_closed(self, chat_id: int, thread_id: int, closed: bool, now: int) -> None:
        await self._db.execute(
            "UPDATE forum_topics SET closed = ?, updated_at = ? "
            "WHERE chat_id = ? AND thread_id = ?",
            (int(closed), now, chat_id, thread_id),
        )

    async def forget(self, chat_id: int, thread_id: int) -> None:
        await self._db.execute(
            "DELETE FROM forum_topics WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id)
        )

    async def get(self, chat_id: int, thread_id: int) -> KnownTopic | None:
        row = await self._db.fetchone(
            "SELECT chat_id, thread_id, name, closed FROM forum_topics "
            "WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )
        return KnownTopic._from_row(row) if row else None

    async def by_name(self, chat_id: int, name: str) -> KnownTopic | None:
        """The most recently created topic of that name (names need not be unique)."""
        row = await self._db.fetchone(
            "SELECT chat_id, thread_id, name, closed FROM forum_topics "
            "WHERE chat_id = ? AND name = ? ORDER BY thread_id DESC LIMIT 1",
            (chat_id, name),
        )
        return KnownTopic._from_row(row) if row else None


async def topic_names(db: Database, chat_id: int) -> dict[int, str]:
    rows = await db.read_all(
        "SELECT thread_id, name FROM forum_topics WHERE chat_id = ?", (chat_id,)
    )
    return {int(row["thread_id"]): str(row["name"]) for row in rows}


async def topic_days(db: Database, chat_id: int, start: int, end: int) -> list[TopicDay]:
    """The day's member messages grouped by topic, busiest first."""
    rows = await db.read_all(
        "SELECT thread_id, COUNT(*) AS messages, COUNT(DISTINCT user_id) AS members, "
        "COALESCE(SUM(label != 'unscored'), 0) AS scored, "
        "COALESCE(SUM(label = 'positive'), 0) AS positive, "
        "COALESCE(SUM(label = 'negative'), 0) AS negative, "
        "COALESCE(SUM(CASE WHEN label != 'unscored' THEN polarity END), 0.0) AS polarity_sum "
        "FROM feedback_messages INDEXED BY feedback_messages_day "
        "WHERE chat_id = ? AND sent_at >= ? AND sent_at < ? "
        "GROUP BY thread_id ORDER BY messages DESC, thread_id IS NOT NULL, thread_id",
        (chat_id, start, end),
    )
    return [
        TopicDay(
            thread_id=row["thread_id"],
            messages=row["messages"],
            members=row["members"],
            scored=row["scored"],
            positive=row["positive"],
            negative=row["negative"],
            polarity_sum=float(row["polarity_sum"]),
        )
        for row in rows
    ]


async def knows_topics(db: Database, chat_id: int) -> bool:
    """The bot has seen (or made) a topic in this chat."""
    row = await db.read_one(
        "SELECT EXISTS (SELECT 1 FROM forum_topics WHERE chat_id = ?)", (chat_id,)
    )
    return bool(row and row[0])
