"""The brand team's daily digest through the sandbox: on time, once, late after downtime."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.clock import FakeClock
from bot.core.messaging import TEXT_LIMIT, visible_length
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.digest.build import local_today
from bot.digest.render import html_parts
from bot.digest.runs_repo import DigestRunRepository
from bot.sandbox import SentMessage

DIGEST = {"time": "09:00", "quotes": 3}
SENTIMENT = {"aspects": {"taste": ["taste", "flavour", "bland"], "price": ["price"]}}


def digests(club: SimulatedClub) -> list[SentMessage]:
    return [
        m
        for m in club.sandbox.bot_messages(club.brand)
        if m.text is not None and "Daily digest" in m.text
    ]


def charts(club: SimulatedClub) -> list[SentMessage]:
    return [m for m in club.sandbox.bot_messages(club.brand) if m.photo]


async def chat_a_little(club: SimulatedClub) -> None:
    sb = club.sandbox
    ada = sb.create_user("Ada", user_id=2**32 + 101)
    ben = sb.create_user("Ben <b>", user_id=2**32 + 102)
    for member in (ada, ben):
        sb.add_member(club.group, member)
    sb.send_text(ada, club.group, "The festive bake is amazing, love the flavour 😍")
    sb.send_text(ben, club.group, "the vegan roll was dry and bland")
    sb.send_text(ada, club.group, "/help")
    sb.send_as_chat(club.group, club.group, "Tomorrow: a new cinnamon bun for members!")
    await club.settle()


async def test_the_digest_arrives_once_at_the_configured_time(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", digest=DIGEST, sentiment=SENTIMENT, gate={"strict": False}
    ) as club:
        # 1 December, 09:00 UTC: members talk during the day.
        await club.advance(timedelta(hours=2))
        await chat_a_little(club)
        # Just before 09:00 the next day: nothing yet.
        club.clock.set(datetime(2026, 12, 2, 8, 59, tzinfo=UTC))
        await club.tick()
        assert digests(club) == []
        # The time passes: one digest with its chart; more ticks change nothing.
        await club.advance(timedelta(minutes=2))
        await club.tick()
        await club.tick()
        (digest,) = digests(club)
        assert "Tuesday, December 1, 2026" in (digest.text or "")
        assert "Messages: 2 from 2 members" in (digest.text or "")
        assert "Brand posts: 1" in (digest.text or "")
        assert "Member #1" in (digest.text or "") and "Ben" not in (digest.text or "")
        assert "late" not in (digest.text or "")
        assert len(charts(club)) == 1
        # A restart right after the send does not send it again.
        await club.restart()
        await club.tick()
        assert len(digests(club)) == 1 and len(charts(club)) == 1
        run = await DigestRunRepository(club.services.db).get("2026-12-01")
        assert run is not None and run.state == "sent" and not run.late
        assert len(run.message_ids) == 2  # the text and the chart


async def test_a_restart_just_before_the_time_sends_once(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", digest=DIGEST, gate={"strict": False}) as club:
        await chat_a_little(club)
        club.clock.set(datetime(2026, 12, 2, 8, 59, 30, tzinfo=UTC))
        await club.restart()
        await club.advance(timedelta(minutes=1))
        await club.restart()  # start-up sends what is due; the tick after must not repeat it
        await club.tick()
        assert len(digests(club)) == 1


async def test_missed_digests_are_sent_late_after_downtime(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", digest=DIGEST, gate={"strict": False}) as club:
        await chat_a_little(club)
        club.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
        await club.tick()
        assert len(digests(club)) == 1
        # The bot is down from 2 December 10:00 until 5 December 12:00.
        club.clock.set(datetime(2026, 12, 5, 12, 0, tzinfo=UTC))
        await club.restart()
        await club.tick()
        sent = digests(club)
        assert len(sent) == 4
        late = sent[1:]
        for message, day in zip(late, ("December 2", "December 3", "December 4"), strict=True):
            assert day in (message.text or "") and "Sent late" in (message.text or "")
        await club.tick()
        assert len(digests(club)) == 4


async def test_a_failed_send_is_retried_not_lost(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", digest=DIGEST, gate={"strict": False}) as club:
        await chat_a_little(club)
        club.sandbox.remove_bot(club.brand)  # the bot was removed from the brand chat
        club.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
        await club.tick()
        run = await DigestRunRepository(club.services.db).get("2026-12-01")
        assert run is not None and run.state == "sending" and run.attempts == 1
        assert run.last_error
        club.sandbox.add_member(club.brand, club.brand_manager, status="creator")
        club.sandbox.make_bot_admin(club.brand)
        await club.advance(timedelta(minutes=5))
        assert len(digests(club)) == 1
        run = await DigestRunRepository(club.services.db).get("2026-12-01")
        assert run is not None and run.state == "sent"


async def test_digest_on_demand_for_the_brand_team_only(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", digest=DIGEST, gate={"strict": False}) as club:
        await chat_a_little(club)
        sb = club.sandbox
        cleo = sb.create_user("Cleo")
        sb.add_member(club.group, cleo)
        sb.start_bot(cleo)
        sb.send_text(cleo, cleo, "/digest")
        await sb.wait_for(
            lambda: any("brand team" in (m.text or "") for m in sb.bot_messages(cleo))
        )
        assert not any("Daily digest" in (m.text or "") for m in sb.bot_messages(cleo))

        sb.send_text(club.brand_manager, club.brand, "/digest 2026-12-01")
        await sb.wait_for(lambda: len(digests(club)) == 1 and len(charts(club)) == 1)
        (answer,) = digests(club)
        assert answer.reply_to is not None  # a reply to the request, where it was asked
        assert "Messages: 2 from 2 members" in (answer.text or "")

        sb.send_text(club.brand_manager, club.brand, "/digest yesterday-ish")
        await sb.wait_for(
            lambda: any("YYYY-MM-DD" in (m.text or "") for m in sb.bot_messages(club.brand))
        )


async def test_a_digest_due_in_the_hour_clocks_skip_is_not_called_late(tmp_path: Path) -> None:
    """02:30 does not exist in Berlin on 29 March 2026; the digest goes out at 03:30 CEST,
    the first moment after it, with the bot running all along: on time, not "late"."""
    clock = FakeClock(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    async with simulated_club(
        tmp_path / "club.db",
        clock=clock,
        digest={"time": "02:30", "chart": False},
        community={"timezone": "Europe/Berlin"},
    ) as club:
        clock.set(datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
        await club.tick()
        [digest] = [
            m.text
            for m in club.sandbox.bot_messages(club.brand)
            if m.text and "Daily digest" in m.text
        ]
        assert "Sent late" not in digest


async def test_todays_digest_that_fills_its_first_message_is_still_delivered(
    tmp_path: Path,
) -> None:
    # Review 4c #10: "Today so far." was added to a first part already split full at 4096,
    # Telegram refused it ("Message is too long") and the command went unanswered.
    async with simulated_club(tmp_path / "club.db") as club:
        sb, db = club.sandbox, club.services.db
        now = club.services.now_ts()
        today = local_today(club.clock.now(), club.services.settings)
        options = [f"Option {k} " + "x" * 80 for k in range(12)]
        for poll_id in range(1, 6):
            await db.execute(
                "INSERT INTO polls (id, source_chat_id, source_message_id, created_by, question, "
                "options, status, chat_id, message_id, counts, created_at, opened_at) "
                "VALUES (?, 1, ?, 1, 'Which one?', ?, 'open', ?, ?, ?, ?, ?)",
                (poll_id, poll_id, json.dumps(options), club.group.id, 10_000 + poll_id,
                 json.dumps([0] * 12), now - 60, now - 60),
            )  # fmt: skip
        # Lengthen the first poll's question until the first part, split without a heading,
        # has no room left for one (about one length in four does).
        heading = "Today so far.\n"
        for length in range(1, 120):
            await db.execute("UPDATE polls SET question = ? WHERE id = 1", ("Q" * length,))
            parts = html_parts(await club.features.digest.build(today))
            if len(parts) > 1 and visible_length(parts[0]) > TEXT_LIMIT - len(heading):
                break
        else:
            raise AssertionError("no first part close enough to the limit")
        before = len(sb.bot_messages(club.brand))
        sb.send_text(club.brand_manager, club.brand, f"/digest {today.isoformat()}")
        await club.settle()
        answers = [m.text or "" for m in sb.bot_messages(club.brand)[before:] if m.text]
        assert answers and answers[0].startswith(heading), answers[:1]
        assert all(len(text) <= TEXT_LIMIT for text in answers)
        assert any("Q" * length in text for text in answers)
