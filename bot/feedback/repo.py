"""SQL for stored member messages (feedback) and anonymous-admin brand posts.

The ingest path only *queues* writes (:class:`UnscoredMessages`: one row per message, scored
in one batch and written in one transaction per batch by ``Database.flush``); aspects and
topics are JSON columns of that row (the digest spreads them with ``json_each``), pseudonyms
and cache invalidation happen in SQLite triggers (migration 0003), so a message costs one row
of one ``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.db.connection import Database, Params
from bot.sentiment.batch import BatchScorer

_UPSERT_MESSAGE = """
INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, edited_at, reply_to,
    thread_id, is_caption, text, polarity, subjectivity, label, language, aspects, topics)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (chat_id, message_id) DO UPDATE SET
    edited_at = excluded.edited_at, text = excluded.text, is_caption = excluded.is_caption,
    polarity = excluded.polarity, subjectivity = excluded.subjectivity,
    label = excluded.label, language = excluded.language,
    aspects = excluded.aspects, topics = excluded.topics
"""

_UPSERT_BRAND_POST = """
INSERT INTO brand_posts (chat_id, message_id, sent_at, edited_at, text) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (chat_id, message_id) DO UPDATE SET
    edited_at = excluded.edited_at, text = excluded.text
"""


@dataclass(frozen=True, slots=True)
class StoredMessage:
    chat_id: int
    message_id: int
    user_id: int
    sent_at: int
    edited_at: int | None
    reply_to: int | None
    thread_id: int | None
    text: str
    polarity: float
    subjectivity: float
    label: str
    language: str

    @classmethod
    def _from_row(cls, row: aiosqlite.Row) -> StoredMessage:
        return cls(
            chat_id=row["chat_id"],
            message_id=row["message_id"],
            user_id=row["user_id"],
            sent_at=row["sent_at"],
            edited_at=row["edited_at"],
            reply_to=row["reply_to"],
            thread_id=row["thread_id"],
            text=row["text"],
            polarity=row["polarity"],
            subjectivity=row["subjectivity"],
            label=row["label"],
            language=row["language"],
        )


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """What the ingest stores for one member message (plain data, no Telegram objects)."""

    chat_id: int
    message_id: int
    user_id: int
    sent_at: int
    edited_at: int | None
    reply_to: int | None
    thread_id: int | None
    is_caption: bool
    text: str
    polarity: float
    subjectivity: float
    label: str
    language: str
    aspects: Mapping[str, float]
    topics: Sequence[str]


# Built once: json.dumps with keyword arguments builds a new encoder on every call (~1 µs).
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def message_params(record: MessageRecord) -> tuple[object, ...]:
    return (
        record.chat_id,
        record.message_id,
        record.user_id,
        record.sent_at,
        record.edited_at,
        record.reply_to,
        record.thread_id,
        int(record.is_caption),
        record.text,
        record.polarity,
        record.subjectivity,
        record.label,
        record.language,
        _to_json(dict(record.aspects)) if record.aspects else None,
        _to_json(list(record.topics)) if record.topics else None,
    )


# A queued message: every column of _UPSERT_MESSAGE up to the text (scores come later).
_Unscored = tuple[int, int, int, int, int | None, int | None, int | None, int, str]


class UnscoredMessages:
    """Member messages waiting for the next flush, which scores them in one batch first.

    Registered with the database (``Database.add_pending``), so every flush takes them, scores
    them with ``score`` and writes them in the batch's transaction, in the order queued (an
    edit after its original)."""

    def __init__(self, db: Database, score: BatchScorer) -> None:
        self._rows: list[_Unscored] = []
        self._score = score
        db.add_pending(self)

    def __len__(self) -> int:
        return len(self._rows)

    def add(
        self,
        chat_id: int,
        message_id: int,
        user_id: int,
        sent_at: int,
        edited_at: int | None,
        reply_to: int | None,
        thread_id: int | None,
        is_caption: bool,
        text: str,
    ) -> None:
        self._rows.append(
            (chat_id, message_id, user_id, sent_at, edited_at, reply_to, thread_id,
             int(is_caption), text)
        )  # fmt: skip

    def take(self) -> list[_Unscored]:
        rows, self._rows = self._rows, []
        return rows

    def restore(self, taken: list[_Unscored]) -> None:
        self._rows[:0] = taken

    async def finish(self, taken: list[_Unscored]) -> list[tuple[str, Params]]:
        scored = await self._score([row[8] for row in taken])
        return [
            (_UPSERT_MESSAGE, (*row, *scores)) for row, scores in zip(taken, scored, strict=True)
        ]


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def unscored(self, score: BatchScorer) -> UnscoredMessages:
        """A queue of messages that ``score`` scores in batches as they are written."""
        return UnscoredMessages(self._db, score)

    # --- ingest (deferred, idempotent upserts) --------------------------------------------
    def defer_message(self, record: MessageRecord) -> None:
        self._db.defer(_UPSERT_MESSAGE, message_params(record))

    def defer_brand_post(
        self, chat_id: int, message_id: int, sent_at: int, edited_at: int | None, text: str
    ) -> None:
        self._db.defer(_UPSERT_BRAND_POST, (chat_id, message_id, sent_at, edited_at, text))

    # --- reads ------------------------------------------------------------------------------
    async def get(self, chat_id: int, message_id: int) -> StoredMessage | None:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT * FROM feedback_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return StoredMessage._from_row(row) if row else None

    async def aspects_of(self, chat_id: int, message_id: int) -> dict[str, float]:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT aspects FROM feedback_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        if row is None or row[0] is None:
            return {}
        return {str(k): float(v) for k, v in json.loads(row[0]).items()}

    async def topics_of(self, chat_id: int, message_id: int) -> list[str]:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT topics FROM feedback_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        if row is None or row[0] is None:
            return []
        return sorted(str(topic) for topic in json.loads(row[0]))

    async def count(self, chat_id: int) -> int:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM feedback_messages WHERE chat_id = ?", (chat_id,)
        )
        return int(row[0]) if row else 0

    async def brand_post_count(self, chat_id: int) -> int:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM brand_posts WHERE chat_id = ?", (chat_id,)
        )
        return int(row[0]) if row else 0


async def replies_to(
    db: Database, chat_id: int, message_ids: Sequence[int]
) -> list[StoredMessage]:
    """Member messages in ``chat_id`` that reply directly to any of ``message_ids``.

    For the polls and previews features: the replies to a preview or poll message, with their
    sentiment, oldest first. Reads on the reader connection (safe from digest providers).
    """
    ids = list(dict.fromkeys(int(i) for i in message_ids))
    found: list[StoredMessage] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = await db.read_all(
            "SELECT * FROM feedback_messages WHERE chat_id = ? AND reply_to IN "
            f"({','.join('?' * len(chunk))}) ORDER BY sent_at, message_id",
            (chat_id, *chunk),
        )
        found.extend(StoredMessage._from_row(row) for row in rows)
    found.sort(key=lambda m: (m.sent_at, m.message_id))
    return found


async def pseudonyms(db: Database, user_ids: Sequence[int]) -> dict[int, int]:
    """user id -> stable member number (``Member #N``), for those who have one."""
    ids = list(dict.fromkeys(user_ids))
    numbers: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = await db.read_all(
            "SELECT user_id, number FROM feedback_pseudonyms WHERE user_id IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        )
        numbers.update({int(row[0]): int(row[1]) for row in rows})
    return numbers


async def forget_message(db: Database, chat_id: int, message_id: int) -> bool:
    """Remove one stored message (e.g. deleted as spam), with its aspects and topics."""
    await db.flush()
    changed = await db.execute(
        "DELETE FROM feedback_messages WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    return changed > 0
