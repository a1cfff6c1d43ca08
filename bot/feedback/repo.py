"""SQL for stored member messages (feedback) and anonymous-admin brand posts.

The ingest path only *queues* writes (:class:`UnscoredMessages`: one row per message, scored
in one batch and written in one transaction per batch by ``Database.flush``); aspects and
topics are JSON columns of that row (the digest spreads them with ``json_each``), pseudonyms
and cache invalidation happen in SQLite triggers (migration 0003), so a message costs one row
of one ``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.db import rows
from bot.db.connection import Database
from bot.db.pending import Params
from bot.feedback.records import MessageRecord, QueuedMessage, StoredMessage, WithdrawnWords
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

_FORGET_MESSAGE = "DELETE FROM feedback_messages WHERE chat_id = ? AND message_id = ?"

_FORGET_BRAND_POST = "DELETE FROM brand_posts WHERE chat_id = ? AND message_id = ?"

_UPSERT_BRAND_POST = """
INSERT INTO brand_posts (chat_id, message_id, sent_at, edited_at, text) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (chat_id, message_id) DO UPDATE SET
    edited_at = excluded.edited_at, text = excluded.text
"""


# Built once: json.dumps with keyword arguments builds a new encoder on every call (~1 µs).
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_STORED_MESSAGE = f"SELECT {rows.columns(StoredMessage)} FROM feedback_messages"


def message_params(record: MessageRecord) -> tuple[object, ...]:
    """The upsert's values in ``_UPSERT_MESSAGE``'s column order."""
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
        _to_json(record.aspects) if record.aspects else None,
        _to_json(record.topics) if record.topics else None,
    )


def _queued_params(message: QueuedMessage, scores: Sequence[object]) -> tuple[object, ...]:
    """The upsert's values for a queued message and its scores (the batch scorer's order:
    polarity, subjectivity, label, language, aspects JSON, topics JSON)."""
    return (
        message.chat_id,
        message.message_id,
        message.user_id,
        message.sent_at,
        message.edited_at,
        message.reply_to,
        message.thread_id,
        int(message.is_caption),
        message.text,
        *scores,
    )


class UnscoredMessages:
    """Member messages waiting for the next flush, which scores them in one batch first.

    Registered with the database (``Database.add_pending``), so every flush takes them, scores
    them with ``score`` and writes them in the batch's transaction, in the order queued (an
    edit after its original). An edit that withdrew a message's words is queued here too, so
    it is written in that same order."""

    def __init__(self, db: Database, score: BatchScorer) -> None:
        self._queued: list[QueuedMessage | WithdrawnWords] = []
        self._score = score
        db.add_pending(self)

    def __len__(self) -> int:
        return len(self._queued)

    def add(self, message: QueuedMessage) -> None:
        self._queued.append(message)

    def withdraw(self, chat_id: int, message_id: int) -> None:
        """Forget the stored words of a message whose edit left nothing to score."""
        self._queued.append(WithdrawnWords(chat_id, message_id))

    def take(self) -> list[QueuedMessage | WithdrawnWords]:
        taken, self._queued = self._queued, []
        return taken

    def restore(self, taken: list[QueuedMessage | WithdrawnWords]) -> None:
        self._queued[:0] = taken

    async def finish(
        self, taken: list[QueuedMessage | WithdrawnWords]
    ) -> list[tuple[str, Params]]:
        taken = _last_say(taken)
        queued = [m for m in taken if isinstance(m, QueuedMessage)]
        scores = iter(await self._score([message.text for message in queued]))
        return [
            (_UPSERT_MESSAGE, _queued_params(message, next(scores)))
            if isinstance(message, QueuedMessage)
            else (_FORGET_MESSAGE, (message.chat_id, message.message_id))
            for message in taken
        ]


def _last_say(
    taken: list[QueuedMessage | WithdrawnWords],
) -> list[QueuedMessage | WithdrawnWords]:
    """Where a withdrawal and a write of the same message meet in one batch, only the later
    counts: the batch runs one ``executemany`` per statement, so a delete and an upsert of one
    message would not run in the order they were queued."""
    if not any(isinstance(m, WithdrawnWords) for m in taken):
        return taken
    last = {(m.chat_id, m.message_id): i for i, m in enumerate(taken)}
    kept = []
    for i, message in enumerate(taken):
        final = taken[last[(message.chat_id, message.message_id)]]
        if i == last[(message.chat_id, message.message_id)] or not (
            isinstance(message, WithdrawnWords) or isinstance(final, WithdrawnWords)
        ):
            kept.append(message)
    return kept


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def unscored(self, score: BatchScorer) -> UnscoredMessages:
        """A queue of messages that ``score`` scores in batches as they are written."""
        return UnscoredMessages(self._db, score)

    # --- ingest (deferred, idempotent upserts) --------------------------------------------
    def defer_message(self, record: MessageRecord) -> None:
        """Queue the message's upsert for the next batch write (the ingest's only write)."""
        self._db.defer(_UPSERT_MESSAGE, message_params(record))

    def defer_brand_post(
        self, chat_id: int, message_id: int, sent_at: int, edited_at: int | None, text: str
    ) -> None:
        self._db.defer(_UPSERT_BRAND_POST, (chat_id, message_id, sent_at, edited_at, text))

    def defer_forget_brand_post(self, chat_id: int, message_id: int) -> None:
        self._db.defer(_FORGET_BRAND_POST, (chat_id, message_id))

    # --- reads ------------------------------------------------------------------------------
    async def get(self, chat_id: int, message_id: int) -> StoredMessage | None:
        await self._db.flush()
        row = await self._db.fetchone(
            _STORED_MESSAGE + " WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
        )
        return rows.maybe(StoredMessage, row)

    async def aspects_of(self, chat_id: int, message_id: int) -> dict[str, float]:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT aspects FROM feedback_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        if row is None or row["aspects"] is None:
            return {}
        return {str(k): float(v) for k, v in json.loads(row["aspects"]).items()}

    async def topics_of(self, chat_id: int, message_id: int) -> list[str]:
        await self._db.flush()
        row = await self._db.fetchone(
            "SELECT topics FROM feedback_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        if row is None or row["topics"] is None:
            return []
        return sorted(str(topic) for topic in json.loads(row["topics"]))

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
        replies = await db.read_all(
            _STORED_MESSAGE + " WHERE chat_id = ? AND reply_to IN "
            f"({','.join('?' * len(chunk))}) ORDER BY sent_at, message_id",
            (chat_id, *chunk),
        )
        found.extend(rows.all(StoredMessage, replies))
    found.sort(key=lambda m: (m.sent_at, m.message_id))
    return found


async def pseudonyms(db: Database, user_ids: Sequence[int]) -> dict[int, int]:
    """user id -> stable member number (``Member #N``), for those who have one."""
    ids = list(dict.fromkeys(user_ids))
    numbers: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known = await db.read_all(
            "SELECT user_id, number FROM feedback_pseudonyms WHERE user_id IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        )
        numbers.update({int(row["user_id"]): int(row["number"]) for row in known})
    return numbers


async def forget_message(db: Database, chat_id: int, message_id: int) -> bool:
    """Remove one stored message (e.g. deleted as spam), with its aspects and topics."""
    await db.flush()
    changed = await db.execute(_FORGET_MESSAGE, (chat_id, message_id))
    return changed > 0
