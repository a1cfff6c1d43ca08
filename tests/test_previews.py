"""/preview parsing, ratings, reaction tallies and the digest section, without Telegram."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.core.digest_api import DayWindow
from bot.core.i18n import translator
from bot.core.messaging import message_link
from bot.db import Database
from bot.previews.digest import previews_section
from bot.previews.keyboards import rate_data, rating_keyboard
from bot.previews.parse import PreviewParseError, parse_preview
from bot.previews.reads import feedback_for
from bot.previews.records import PreviewRecord
from bot.previews.repo import PreviewRepository
from bot.previews.teaser import teaser_text
from tests.conftest import BIG_CHAT_ID, BIG_USER_ID

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def test_parses_time_title_poll_and_notify() -> None:
    spec = parse_preview(
        'at 2026-12-01 12:00 --title "Winter croissant" --poll "Buy it? | Yes | No" --notify',
        now=NOW,
        tz=BERLIN,
    )
    assert spec.publish_at == datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    assert spec.title == "Winter croissant"
    assert (spec.poll_question, spec.poll_options) == ("Buy it?", ("Yes", "No"))
    assert spec.notify
    assert parse_preview("", now=NOW, tz=BERLIN).publish_at == NOW
    assert parse_preview("in 2h --title Tarts", now=NOW, tz=BERLIN).publish_at == NOW + (
        timedelta(hours=2)
    )


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ("at 2026-11-30 09:00", "in the past"),
        ("tomorrow", "not a time"),
        ("at 2026-13-45 09:00", "not a date and time"),
        ("in 2 weeks", "not a duration"),
        ("in 2h --title", "needs a name"),
        ("--title " + "x" * 65, "too long"),
        ('--poll "Q? | ' + " | ".join(f"o{i}" for i in range(13)) + '"', "Too many options"),
        ('--poll "Q?"', "at least 2 options"),
        ("--notify now", "takes no value"),
        ("--title A --title B", "given twice"),
        ("--pin", "Unknown option --pin"),
    ],
)
def test_wrong_input_says_why(args: str, reason: str) -> None:
    with pytest.raises(PreviewParseError, match=reason):
        parse_preview(args, now=NOW, tz=BERLIN)


def test_callback_data_and_links() -> None:
    assert len(rate_data(2**40, 5).encode()) <= 64
    assert message_link(-1001234567890, 42) == "https://t.me/c/1234567890/42"
    assert message_link(-4242, 42) is None  # basic groups have no message links


async def _published(
    repo: PreviewRepository, message_ids: list[int], now: int, *, keyboard: bool = True
) -> int:
    """An album published as ``message_ids``; the last carries the rating keyboard unless
    ``keyboard`` is False (its rating prompt could not be posted)."""
    preview_id = await repo.create(
        command_chat_id=BIG_USER_ID,
        command_message_id=5,
        created_by=BIG_USER_ID,
        title="Tarts",
        source_chat_id=BIG_USER_ID,
        source_message_ids=[1, 2],
        kind="album",
        poll_question=None,
        poll_options=(),
        notify=False,
        publish_at=now,
        now=now,
    )
    assert preview_id is not None
    [claimed] = await repo.claim_due(now)
    assert claimed.id == preview_id and await repo.claim_due(now) == []
    await repo.mark_published(
        preview_id,
        chat_id=BIG_CHAT_ID,
        message_id=message_ids[-1] if keyboard else None,
        message_ids=message_ids,
        notify=False,
        now=now,
    )
    await repo.set_pinned(preview_id, message_ids[0])
    return preview_id


async def test_ratings_reactions_and_tally(db: Database) -> None:
    repo = PreviewRepository(db)
    preview_id = await _published(repo, [10, 11, 12], now=1000)
    assert await repo.rate(preview_id, BIG_USER_ID, 4, 1001) is None
    assert await repo.rate(preview_id, BIG_USER_ID, 2, 1002) == 4  # changed, one vote
    assert await repo.rate(preview_id, BIG_USER_ID + 1, 5, 1003) is None
    assert [p.id for p in await repo.dirty_tallies(1010)] == [preview_id]
    await repo.mark_tally_shown(preview_id, 1010)
    assert await repo.dirty_tallies(1020) == []

    # Per-member reactions on one message, Telegram's totals (with anonymous ones) on
    # another: totals win where they exist.
    await repo.set_reactions(preview_id, 10, BIG_USER_ID, ["👍", "🔥"], 1004)
    await repo.set_reactions(preview_id, 10, BIG_USER_ID + 1, ["👍"], 1005)
    await repo.set_reaction_counts(preview_id, 11, {"👍": 7, "😍": 2}, 1006)
    await repo.set_reactions(preview_id, 11, BIG_USER_ID, ["👍"], 1006)  # already in totals
    feedback = await feedback_for(db, preview_id)
    assert feedback.distribution == (0, 1, 0, 0, 1)
    assert feedback.average == 3.5
    assert feedback.reactions == {"👍": 9, "🔥": 1, "😍": 2}

    keyboard = rating_keyboard(preview_id, feedback, translator("en"))
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert labels == ["1★", "2★ · 1", "3★", "4★", "5★ · 1", "⌀ 3.5★ from 2 ratings"]
    assert await repo.preview_for_message(BIG_CHAT_ID, 12) == preview_id


async def test_album_without_its_rating_prompt_gets_one_late_and_once(db: Database) -> None:
    repo = PreviewRepository(db)
    preview_id = await _published(repo, [10, 11, 12], now=1000, keyboard=False)
    # Retried only within the window after publication.
    assert [p.id for p in await repo.missing_rating_prompts(published_since=1000)] == [preview_id]
    assert await repo.missing_rating_prompts(published_since=1001) == []
    # Meanwhile a --notify teaser links the album's pinned first message.
    await repo.set_pinned(preview_id, 10)
    assert _teaser_link(await repo.get(preview_id)) == message_link(BIG_CHAT_ID, 10)

    await repo.set_rating_message(preview_id, BIG_CHAT_ID, 13)
    # A duplicate prompt (a retry whose first answer was lost): the first stays the keyboard.
    await repo.set_rating_message(preview_id, BIG_CHAT_ID, 14)
    record = await repo.get(preview_id)
    assert record is not None and record.message_id == 13
    assert await repo.preview_for_message(BIG_CHAT_ID, 13) == preview_id  # replies count
    assert await repo.missing_rating_prompts(published_since=0) == []
    assert _teaser_link(record) == message_link(BIG_CHAT_ID, 13)


def _teaser_link(record: PreviewRecord | None) -> str | None:
    assert record is not None
    _text, markup = teaser_text("Crumb & Co", record)
    return markup.inline_keyboard[0][0].url if markup is not None else None


async def test_cancel_only_while_scheduled(db: Database) -> None:
    repo = PreviewRepository(db)
    preview_id = await _published(repo, [10], now=1000)
    assert await repo.cancel(preview_id, 1001) == "published"
    assert await repo.cancel(999, 1001) is None


async def test_digest_section_with_replies_and_quotes(db: Database) -> None:
    repo = PreviewRepository(db)
    window = DayWindow.for_day(date(2026, 12, 1), ZoneInfo("UTC"))
    preview_id = await _published(repo, [10], now=window.start + 3600)
    await repo.rate(preview_id, BIG_USER_ID, 5, window.start + 3700)
    await repo.set_reaction_counts(preview_id, 10, {"🔥": 3}, window.start + 3700)
    for message_id, text, polarity, label in (
        (20, "Absolutely love it, best <tart> ever!", 0.9, "positive"),
        (21, "Too sweet for me", -0.4, "negative"),
        (22, "When is it in shops?", 0.0, "neutral"),
    ):
        await db.execute(
            "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, reply_to, "
            "text, polarity, subjectivity, label, language) VALUES (?, ?, ?, ?, 10, ?, ?, 0.5, "
            "?, 'en')",
            (
                BIG_CHAT_ID,
                message_id,
                BIG_USER_ID + message_id,
                window.start + 4000,
                text,
                polarity,
                label,
            ),
        )
    settings = Settings(
        telegram={"token": "1:x", "community_chat_id": BIG_CHAT_ID, "brand_chat_id": -1}
    )
    section = await previews_section(db, window, settings)
    assert section is not None and section.key == "previews"
    text = "\n".join(section.lines)
    assert "Rating 5.0★ from 1" in text and "🔥 3" in text
    assert "Replies: 3 (1 positive, 1 neutral, 1 negative)" in text
    assert "best &lt;tart&gt; ever" in text  # quotes are escaped
    assert section.data["previews"][0]["rating_distribution"] == [0, 0, 0, 0, 1]
    assert await previews_section(db, window.shifted(2), settings) is None
