"""Digest figures that must agree with the club's own rules (review 4c): the mood face, the
quotes, the busiest hours."""

from __future__ import annotations

from datetime import timedelta

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
