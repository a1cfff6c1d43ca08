"""Honest numbers in the digest: a change shows only when it beats the noise of its n, and a
handful of messages gets counts instead of percentages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.db import Database
from bot.digest.build import build_digest
from bot.digest.render import render_text

CHAT = -1001234567890
DAY = date(2026, 12, 1)


def _settings() -> Settings:
    return Settings(
        telegram={"token": "1:x", "community_chat_id": CHAT, "brand_chat_id": -100999},
        storage={"database": Path("unused.db")},
    )


async def _day(
    db: Database, day: date, polarities: list[float], first_id: int, aspect: str | None = None
) -> None:
    start = int(datetime(day.year, day.month, day.day, 10, tzinfo=UTC).timestamp())
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, "
            "polarity, subjectivity, label, language, aspects) "
            "VALUES (?, ?, ?, ?, 'x', ?, 0.5, ?, 'en', ?)",
            [
                (CHAT, first_id + i, 1 + i % 5, start + i * 60, p,
                 "positive" if p > 0.1 else "negative" if p < -0.1 else "neutral",
                 json.dumps({aspect: p}) if aspect else None)
                for i, p in enumerate(polarities)
            ],
        )  # fmt: skip


async def _text(db: Database) -> str:
    now = int(datetime(2026, 12, 2, 9, tzinfo=UTC).timestamp())
    digest = await build_digest(db, _settings(), DAY, now=now, include_sections=False)
    return render_text(digest)


async def test_a_small_noisy_change_is_no_clear_change(db: Database) -> None:
    await _day(db, DAY - timedelta(days=1), [0.6, -0.4, 0.5, -0.3, 0.4, 0.2], 1)
    await _day(db, DAY, [0.3, -0.5, 0.2, -0.4, 0.1, 0.0], 100)  # mean 0.17 lower, n = 6
    text = await _text(db)
    assert "Change vs the day before: no clear change" in text
    assert "(of 6: too few for percentages)" in text and "%" not in text.split("Sentiment")[1][:80]


async def test_a_large_change_over_many_messages_is_shown(db: Database) -> None:
    await _day(db, DAY - timedelta(days=1), [0.5, 0.6, 0.4, 0.5] * 10, 1)
    await _day(db, DAY, [-0.4, -0.5, -0.3, -0.45] * 10, 1000)
    text = await _text(db)
    assert "Change vs the day before: −0.91 ▼" in text
    assert "Positive 0% · neutral 0% · negative 100%" in text


async def test_an_aspect_moving_within_its_noise_says_so(db: Database) -> None:
    week_before = DAY - timedelta(days=3)
    await _day(db, week_before, [0.5, -0.2, 0.4], 1, aspect="taste")
    await _day(db, DAY, [0.1, -0.3], 100, aspect="taste")  # down 0.33 on 2 mentions
    text = await _text(db)
    assert "taste: 2 mentions, sentiment −0.10, no clear change" in text


async def test_an_aspect_moving_far_beyond_its_noise_shows_the_direction(db: Database) -> None:
    await _day(db, DAY - timedelta(days=3), [0.5, 0.6, 0.4] * 10, 1, aspect="taste")
    await _day(db, DAY, [-0.4, -0.5, -0.3] * 10, 100, aspect="taste")
    text = await _text(db)
    assert "taste: 30 mentions, sentiment −0.40, ▼ down" in text


async def test_two_alike_messages_against_two_are_no_clear_change(db: Database) -> None:
    # Review 4c #7: "ok", "ok" the day before and "thanks", "thanks" on the day score alike,
    # so each day's sample has no spread and every difference counted as clear ("+0.33 ▲"
    # from 2 messages against 2). No spread in two messages is not evidence of no noise.
    await _day(db, DAY - timedelta(days=1), [0.5, 0.5], 1)
    await _day(db, DAY, [0.2, 0.2], 100)
    text = await _text(db)
    assert "Change vs the day before: no clear change" in text
    assert "vs the 7-day average: no clear change" in text
    # The same for an aspect's arrow.
    await _day(db, DAY - timedelta(days=2), [0.5, 0.5], 200, aspect="taste")
    await _day(db, DAY, [0.2, 0.2], 300, aspect="taste")
    assert "taste: 2 mentions, sentiment +0.20, no clear change" in await _text(db)
    # Many alike messages, though, are a clear change.
    await _day(db, DAY - timedelta(days=1), [0.5] * 40, 400)
    await _day(db, DAY, [0.2] * 40, 500)
    assert "Change vs the day before: −0.30 ▼" in await _text(db)
