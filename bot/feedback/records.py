"""Feedback's records: a stored member message as read back, and as the ingest writes it.

``StoredMessage`` is read through ``bot.db.rows`` (field names are column names, checked);
``MessageRecord`` is the one object the ingest hands to the repository instead of fifteen
positional values, so a swapped pair of same-typed columns cannot pass unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A row of ``feedback_messages`` without its JSON columns (read on their own)."""

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
    # 'positive' | 'neutral' | 'negative' | 'unscored': the scorer's class, not a state, so
    # it stays the scorer's text rather than an enum owned here
    label: str
    language: str


@dataclass(slots=True)
class MessageRecord:
    """What the ingest stores for one member message (plain data, no Telegram objects).

    Not frozen: it is built once per message on the ingest path and only read, and a frozen
    dataclass sets each of its 15 fields through ``object.__setattr__`` (~1 µs a message).
    """

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
    aspects: dict[str, float]  # aspect -> polarity; stored as a JSON object
    topics: tuple[str, ...]  # stored as a JSON array


@dataclass(slots=True)
class QueuedMessage:
    """A member message as the ingest queues it: scored later, in a batch, as it is written."""

    chat_id: int
    message_id: int
    user_id: int
    sent_at: int
    edited_at: int | None
    reply_to: int | None
    thread_id: int | None
    is_caption: bool
    text: str


@dataclass(frozen=True, slots=True)
class WithdrawnWords:
    """An edit that left a stored member message nothing to score (a caption deleted, the
    text turned into a /command): its stored words and scores go."""

    chat_id: int
    message_id: int
