"""Forum topics without a server: what a message answers, where it was written, the
errors that name a topic, and the digest's per-topic section."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Message

from bot.config import Settings
from bot.core.digest_api import DayWindow
from bot.core.topics import TOPIC_CLOSED, TOPIC_GONE, replied_to, topic_of, topic_refusal
from bot.db import Database
from bot.forum import topics_section
from bot.forum.repo import TopicsRepository

CHAT = -100123
DAY = DayWindow.for_day(date(2026, 12, 1), ZoneInfo("UTC"))


def message(message_id: int, **fields: Any) -> Message:
    data: dict[str, Any] = {
        "message_id": message_id,
        "date": DAY.start,
        "chat": {"id": CHAT, "type": "supergroup", "is_forum": True},
        "from": {"id": 7, "is_bot": False, "first_name": "Ada"},
        "text": "hi",
    }
    data.update(fields)
    return Message.de_json(data, None)


TOPIC_ROOT = {
    "message_id": 10,
    "date": DAY.start,
    "chat": {"id": CHAT, "type": "supergroup"},
    "from": {"id": 1, "is_bot": False, "first_name": "Olivia"},
    "forum_topic_created": {"name": "Tasting", "icon_color": 7322096},
    "message_thread_id": 10,
    "is_topic_message": True,
}


def test_a_message_in_a_topic_answers_nothing_unless_it_replies() -> None:
    plain = message(11, message_thread_id=10, is_topic_message=True, reply_to_message=TOPIC_ROOT)
    assert topic_of(plain) == 10
    assert replied_to(plain) is None  # Telegram's pointer to the topic's first message
    target = {**TOPIC_ROOT, "message_id": 12, "text": "the rye", "forum_topic_created": None}
    reply = message(13, message_thread_id=10, is_topic_message=True, reply_to_message=target)
    answered = replied_to(reply)
    assert answered is not None and answered.message_id == 12


def test_general_and_reply_chains_are_the_group_s() -> None:
    hello = message(20)
    assert topic_of(hello) is None and replied_to(hello) is None
    # A reply in General carries its chain's root as thread id, without is_topic_message.
    root = {**TOPIC_ROOT, "message_id": 20, "text": "hello", "forum_topic_created": None}
    reply = message(21, message_thread_id=20, reply_to_message=root)
    assert topic_of(reply) is None
    answered = replied_to(reply)
    assert answered is not None and answered.message_id == 20


def test_errors_that_name_a_topic() -> None:
    assert topic_refusal("Message thread not found") == TOPIC_GONE
    assert topic_refusal("Topic_id_invalid") == TOPIC_GONE
    assert topic_refusal("Topic_closed") == TOPIC_CLOSED
    assert topic_refusal("Chat not found") is None
    assert topic_refusal("Not enough rights to send text messages to the chat") is None


async def _messages(db: Database, thread_id: int | None, labels: list[tuple[str, float]]) -> None:
    start = 1000 * (thread_id or 0)
    for offset, (label, polarity) in enumerate(labels):
        await db.execute(
            "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, thread_id, "
            "text, polarity, subjectivity, label, language) VALUES (?, ?, ?, ?, ?, ?, ?, 0.5, ?, "
            "'en')",
            (CHAT, start + offset + 1, offset % 4, DAY.start, thread_id, "t", polarity, label),
        )


def settings() -> Settings:
    return Settings(telegram={"token": "1:x", "community_chat_id": CHAT, "brand_chat_id": -1})


async def test_the_digest_section_per_topic(db: Database) -> None:
    topics = TopicsRepository(db)
    await topics.upsert(CHAT, 10, "<b>Tips & Tricks", 7322096, DAY.start)
    await _messages(db, 10, [("positive", 0.5)] * 9 + [("negative", -0.3)] * 3)
    await _messages(db, 30, [("positive", 0.4), ("unscored", 0.0)])
    await _messages(db, None, [("neutral", 0.0)])
    section = await topics_section(db, DAY, settings())
    assert section is not None and section.key == "topics"
    assert section.lines == [
        "<b>&lt;b&gt;Tips &amp; Tricks</b>: 12 messages from 4 members; "
        "mean sentiment +0.30 (n=12)",
        "<b>Topic #30</b>: 2 messages from 2 members; 1 positive, 0 negative of 1 scored "
        "(too few to tell the mood)",
        "<b>General</b>: 1 message from 1 member; 0 positive, 0 negative of 1 scored "
        "(too few to tell the mood)",
    ]
    first = section.data["topics"][0]
    assert (first["thread_id"], first["scored"], first["too_few"]) == (10, 12, False)
    assert first["mean_polarity"] == 0.3


async def test_no_topic_section_for_a_group_without_topics(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "plain.db")
    try:
        await _messages(db, None, [("positive", 0.5)] * 3)
        assert await topics_section(db, DAY, settings()) is None
        # A forum club on a quiet day: nothing to report either.
        await TopicsRepository(db).upsert(CHAT, 10, "Tasting", None, DAY.start)
        assert await topics_section(db, DAY.shifted(1), settings()) is None
    finally:
        await db.close()
