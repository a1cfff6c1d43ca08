"""Digest figures that must agree with the club's own rules (review 4c): the mood face, the
quotes, the busiest hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from telegram import Message, User

from bot.config import Settings
from bot.db import Database
from bot.digest.build import build_digest
from bot.digest.render import render_text
from bot.feedback import FeedbackService, build_analyzer
from bot.feedback.repo import FeedbackRepository
from tests.test_digest import ADA, BEN, COMMUNITY, DAY, GROUP, _chats, at


def _settings(**sentiment: object) -> Settings:
    return Settings(
        telegram={"token": "1:x", "community_chat_id": COMMUNITY, "brand_chat_id": -100999},
        community={"name": "Club", "timezone": "UTC"},
        sentiment=sentiment,
    )


async def _store(db: Database, settings: Settings, messages: list[tuple[User, str]]) -> None:
    feedback = FeedbackService(
        build_analyzer(settings.sentiment), FeedbackRepository(db), _chats(settings, db)
    )
    for message_id, (user, text) in enumerate(messages, start=1):
        when = at(DAY, 10, message_id)
        feedback.ingest(Message(message_id, when, GROUP, from_user=user, text=text))
    await db.flush()


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


async def test_the_mood_face_is_the_label_the_clubs_thresholds_give_the_mean(
    db: Database,
) -> None:
    # Review 4c #8: with positive_threshold 0.4 every one of these messages is neutral, and
    # so is their mean (~+0.26); the face used the default 0.1 and said 😊.
    settings = _settings(positive_threshold=0.4, negative_threshold=-0.4)
    await _store(db, settings, [(ADA, "thanks"), (BEN, "ok"), (ADA, "thanks")])
    now = int(at(DAY + timedelta(days=1), 12).timestamp())
    digest = await build_digest(db, settings, DAY, now=now)
    assert digest.mean is not None and 0.1 < digest.mean < 0.4
    text = render_text(digest)
    assert "Positive 0 · neutral 3 · negative 0" in text
    assert _line(text, "Mean:").split(" over ")[0].endswith("😐")
    # The default thresholds call the same mean positive.
    default = await build_digest(db, _settings(), DAY, now=now)
    assert _line(render_text(default), "Mean:").split(" over ")[0].endswith("😊")


async def test_a_message_emptied_by_retention_is_no_quote(db: Database) -> None:
    # Review 4c #12: retention empties old texts (the column is NOT NULL) and keeps the
    # scores; a digest of such a day quoted "“” — Member #1 (+0.80)".
    settings = _settings()
    await db.execute(
        "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, polarity, "
        "subjectivity, label, language) VALUES (?, ?, ?, ?, ?, ?, 0.5, ?, 'en')",
        (COMMUNITY, 1, ADA.id, int(at(DAY, 10).timestamp()), "", 0.8, "positive"),
    )
    await db.execute(
        "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, polarity, "
        "subjectivity, label, language) VALUES (?, ?, ?, ?, ?, ?, 0.5, ?, 'en')",
        (COMMUNITY, 2, BEN.id, int(at(DAY, 11).timestamp()), "lovely", 0.5, "positive"),
    )
    now = int(at(DAY + timedelta(days=200), 0).timestamp())
    digest = await build_digest(db, settings, DAY, now=now)
    assert digest.scored == 2  # the emptied message still counts in the figures
    assert [q.text for q in digest.positive_quotes] == ["lovely"]
    assert "“”" not in render_text(digest)


async def test_the_hour_the_clocks_go_back_is_one_busiest_hour(db: Database) -> None:
    # Review 4c #15: in Berlin on 2026-10-25, 02:00-03:00 happens twice (CEST, then CET).
    # "Busiest hours: 02:00 (3), 02:00 (2)" listed it twice and under-reported it.
    settings = Settings(
        telegram={"token": "1:x", "community_chat_id": COMMUNITY, "brand_chat_id": -100999},
        community={"name": "Club", "timezone": "Europe/Berlin"},
    )
    feedback = FeedbackService(
        build_analyzer(settings.sentiment), FeedbackRepository(db), _chats(settings, db)
    )
    # 00:10-00:50 UTC is 02:10-02:50 CEST; 01:10-01:40 UTC is 02:10-02:40 CET; 06:05 and
    # 06:20 UTC are 07:05 and 07:20 CET.
    times = [datetime(2026, 10, 25, 0, m, tzinfo=UTC) for m in (10, 30, 50)]
    times += [datetime(2026, 10, 25, 1, m, tzinfo=UTC) for m in (10, 40)]
    times += [datetime(2026, 10, 25, 6, m, tzinfo=UTC) for m in (5, 20)]
    for i, when in enumerate(times, start=1):
        feedback.ingest(Message(i, when, GROUP, from_user=ADA, text="good morning all"))
    await db.flush()
    now = int(datetime(2026, 10, 27, tzinfo=UTC).timestamp())
    digest = await build_digest(db, settings, date(2026, 10, 25), now=now)
    assert digest.busiest_hours == [("02:00", 5), ("07:00", 2)]
