"""/poll parsing (Telegram's limits up front) and the poll repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.core.digest_api import DayWindow
from bot.core.i18n import translator
from bot.core.messaging import html_to_plain
from bot.db import Database
from bot.polls import polls_section
from bot.polls.parse import PollParseError, PollSpec, parse_poll
from bot.polls.repo import PollRepository, polls_for_window
from bot.polls.service import poll_summary, results_text
from tests.conftest import BIG_CHAT_ID, BIG_USER_ID


def test_parses_question_options_and_flags() -> None:
    spec = parse_poll("Next flavour? | Pistachio | Hazelnut --multi --public --closes 24h")
    assert spec == PollSpec(
        "Next flavour?", ("Pistachio", "Hazelnut"), True, True, timedelta(hours=24)
    )
    assert parse_poll("Q? | A | B").closes_in is None
    # Flags can come anywhere; dashes inside words are not flags.
    assert parse_poll("--public Gluten-free? | Yes | No").options == ("Yes", "No")


def test_limits_are_telegrams() -> None:
    assert len(parse_poll("x" * 300 + " | A | B").question) == 300
    assert len(parse_poll("Q | " + " | ".join(str(i) for i in range(12))).options) == 12
    emoji_question = "🥐" * 150  # 300 UTF-16 code units: Telegram's count
    assert parse_poll(f"{emoji_question} | A | B").question == emoji_question
    with pytest.raises(PollParseError, match="at most 300"):
        parse_poll("🥐" * 151 + " | A | B")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ("", "Write the question"),
        ("| A | B", "question is missing"),
        ("Q?", "at least 2 options"),
        ("Q? | A", "at least 2 options"),
        ("Q? | A | B |", "empty"),
        ("Q? | " + " | ".join(f"o{i}" for i in range(13)), r"Too many options \(13\)"),
        ("Q? | " + "a" * 101 + " | B", "Option 1 is 101"),
        ("Q? | Yes | yes", "appears twice"),
        ("Q? | A | B --closes", "needs a duration"),
        ("Q? | A | B --closes 30s", "at least 1m"),
        ("Q? | A | B --closes 400d", "too long"),
        ("Q? | A | B --anonymous", "Unknown option --anonymous"),
    ],
)
def test_wrong_input_says_why(args: str, reason: str) -> None:
    with pytest.raises(PollParseError, match=reason):
        parse_poll(args)


async def _open_poll(repo: PollRepository, message_id: int = 1, now: int = 1000) -> int:
    poll_id = await repo.claim(
        source_chat_id=BIG_CHAT_ID,
        source_message_id=message_id,
        created_by=BIG_USER_ID,
        question="Which <b>one</b>?",
        options=("A & B", "C"),
        allows_multiple=False,
        is_anonymous=True,
        closes_at=now + 60,
        preview_id=None,
        now=now,
    )
    assert poll_id is not None
    await repo.mark_open(poll_id, BIG_CHAT_ID, 77, f"tg{message_id}", now)
    return poll_id


async def test_claim_is_idempotent_and_closing_happens_once(db: Database) -> None:
    repo = PollRepository(db)
    poll_id = await _open_poll(repo)
    again = await repo.claim(
        source_chat_id=BIG_CHAT_ID,
        source_message_id=1,
        created_by=BIG_USER_ID,
        question="Q",
        options=("A", "B"),
        allows_multiple=False,
        is_anonymous=True,
        closes_at=None,
        preview_id=None,
        now=1001,
    )
    assert again is None
    assert [p.id for p in await repo.due(1059)] == []
    assert [p.id for p in await repo.due(1060)] == [poll_id]
    await repo.set_counts("tg1", [3, 1], 4)
    assert await repo.mark_closed(poll_id, 1060, None, None)
    assert not await repo.mark_closed(poll_id, 1061, [9, 9], 18)
    record = await repo.get(poll_id)
    assert record is not None and record.counts == (3, 1) and record.total_voters == 4
    assert [p.id for p in await repo.results_unposted()] == [poll_id]
    await repo.mark_results_posted(poll_id, 1062)
    assert await repo.results_unposted() == []
    # Values are escaped in what the bot posts.
    text = results_text(record, translator("en"), closed=True)
    assert "Which &lt;b&gt;one&lt;/b&gt;?" in text and "A &amp; B — 3 (75%)" in text
    assert "4 members voted." in text
    # A German club reads German plurals and its own percent format (a no-break space).
    german = results_text(record, translator("de"), closed=True)
    assert "A &amp; B – 3 (75\xa0%)" in german and "4 Mitglieder haben abgestimmt." in german


async def test_a_multiple_answer_polls_shares_are_of_its_voters(db: Database) -> None:
    # Review 4c #5: 10 voters all chose Cinnamon and Cardamom, two also Rye (Telegram's
    # counts [10, 10, 2]). The results said "Cinnamon — 10 (45%)" (of 22 answers) where
    # Telegram and the verdict card say 100%.
    repo = PollRepository(db)
    opened = int(datetime(2026, 12, 1, 9, tzinfo=UTC).timestamp())
    poll_id = await repo.claim(
        source_chat_id=BIG_CHAT_ID, source_message_id=1, created_by=BIG_USER_ID,
        question="Which buns?", options=("Cinnamon", "Cardamom", "Rye"),
        allows_multiple=True, is_anonymous=True, closes_at=None, preview_id=None, now=opened,
    )  # fmt: skip
    assert poll_id is not None
    await repo.mark_open(poll_id, BIG_CHAT_ID, 77, "tg-multi", opened)
    await repo.set_counts("tg-multi", [10, 10, 2], 10)
    record = await repo.get(poll_id)
    assert record is not None
    tr = translator("en")
    expected = ["• Cinnamon — 10 (100%)", "• Cardamom — 10 (100%)", "• Rye — 2 (20%)"]
    results = html_to_plain(results_text(record, tr, closed=True)).splitlines()
    assert results[1:] == [*expected, "10 members voted."]
    listing = html_to_plain(poll_summary(record, ZoneInfo("UTC"), tr)).splitlines()
    assert listing[1:4] == expected
    settings = Settings(
        telegram={"token": "1:x", "community_chat_id": BIG_CHAT_ID, "brand_chat_id": -100999}
    )
    window = DayWindow.for_day(datetime.fromtimestamp(opened, UTC).date(), ZoneInfo("UTC"))
    section = await polls_section(db, window, settings)
    assert section is not None
    assert [html_to_plain(line) for line in section.lines[1:]] == expected


async def test_window_and_listing(db: Database) -> None:
    repo = PollRepository(db)
    first = await _open_poll(repo, 1, now=1000)
    await repo.mark_closed(first, 2000, [1, 0], 1)
    await _open_poll(repo, 2, now=5000)
    assert [p.id for p in await polls_for_window(db, 0, 999)] == []
    assert [p.id for p in await polls_for_window(db, 1500, 4000)] == [first]
    assert len(await polls_for_window(db, 1500, 6000)) == 2
    from zoneinfo import ZoneInfo

    record = await repo.get(first)
    assert record is not None
    assert "closed Jan 1, 1970, 12:33\u202fAM" in poll_summary(
        record, ZoneInfo("UTC"), translator("en")
    )
    assert "beendet 01.01.1970, 00:33" in poll_summary(record, ZoneInfo("UTC"), translator("de"))
