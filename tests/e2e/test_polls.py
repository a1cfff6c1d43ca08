"""Polls end to end through the sandbox: posted, voted on, closed at the deadline (also
across a restart), results posted and listed, wrong input answered."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SentMessage
from tests.e2e.helpers import say


def polls_in_group(club: SimulatedClub) -> list[SentMessage]:
    return [m for m in club.sandbox.bot_messages(club.group) if m.poll_id]


async def test_poll_closes_at_its_deadline_across_a_restart(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, olivia = club.sandbox, club.owner
        ada, bea = sb.create_user("Ada"), sb.create_user("Bea")
        for member in (ada, bea):
            sb.add_member(club.group, member)
        sb.start_bot(olivia)
        answer = await say(
            club, olivia, "/poll Next flavour? | Pistachio | Hazelnut | Lemon --closes 24h"
        )
        assert answer == "Poll #1 is in the group. It closes at Dec 2, 2026, 9:00\u202fAM (UTC)."
        [poll_msg] = polls_in_group(club)
        poll = sb.poll(poll_msg.poll_id or "")
        assert poll.is_anonymous and poll.options == ["Pistachio", "Hazelnut", "Lemon"]

        sb.vote(ada, poll_msg, [0])
        sb.vote(bea, poll_msg, [1])
        await club.settle()
        await club.advance(timedelta(hours=12))
        await club.restart()
        assert not sb.poll(poll.id).is_closed
        await club.advance(timedelta(hours=11, minutes=59))
        assert not sb.poll(poll.id).is_closed, "closed before its deadline"

        await club.restart()
        await club.advance(timedelta(minutes=1))
        await sb.wait_for(lambda: "Poll closed" in (sb.bot_messages(club.group)[-1].text or ""))
        assert sb.poll(poll.id).is_closed
        results = sb.bot_messages(club.group)[-1]
        assert results.reply_to == poll_msg.message_id
        assert "Pistachio — 1 (50%)" in (results.text or "")
        assert "2 members voted" in (results.text or "")

        # Later ticks and restarts neither close it again nor repeat the results.
        await club.restart()
        await club.advance(timedelta(hours=1))
        assert sum("Poll closed" in (m.text or "") for m in sb.bot_messages(club.group)) == 1

        listing = await say(club, olivia, "/polls")
        assert "#1" in listing and "closed" in listing and "Hazelnut — 1 (50%)" in listing


async def test_public_poll_records_answers_and_retractions(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, olivia = club.sandbox, club.owner
        ada = sb.create_user("Ada")
        sb.add_member(club.group, ada)
        # Olivia posts it from the group itself, as an admin.
        sb.send_text(olivia, club.group, "/poll Tastings on? | Saturday | Sunday --public --multi")
        await sb.wait_for(lambda: bool(polls_in_group(club)))
        await club.settle()
        [poll_msg] = polls_in_group(club)
        poll = sb.poll(poll_msg.poll_id or "")
        assert not poll.is_anonymous and poll.allows_multiple_answers

        sb.vote(ada, poll_msg, [0, 1])
        await club.settle()
        service_repo = club.features.polls.repo
        assert await service_repo.answers(1) == {ada.id: [0, 1]}
        sb.vote(ada, poll_msg, [])  # Ada retracts her vote
        await club.settle()
        assert await service_repo.answers(1) == {ada.id: []}
        record = await service_repo.get(1)
        assert record.counts == (0, 0)

        # A replayed /poll command (same chat and message id) does not post a second poll.
        service = club.features.polls
        from bot.polls.parse import parse_poll

        again = await service.create(
            parse_poll("Tastings on? | Saturday | Sunday"),
            source_chat_id=club.group.id,
            source_message_id=record.source_message_id,
            created_by=olivia.id,
        )
        assert again.poll is None
        assert len(polls_in_group(club)) == 1


async def test_poll_wrong_input_and_non_moderators(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb, olivia = club.sandbox, club.owner
        sb.start_bot(olivia)
        await club.settle()
        cases = {
            "/poll": "Write the question and the options.",
            "/poll Only a question?": "at least 2 options",
            "/poll Q? | A | a": "appears twice",
            "/poll Q? | A | | B": "One of the options is empty",
            "/poll Q? | " + " | ".join(f"O{i}" for i in range(13)): "Too many options (13)",
            "/poll " + "x" * 301 + " | A | B": "at most 300",
            "/poll Q? | " + "y" * 101 + " | B": "Option 1 is 101 characters",
            "/poll Q? | A | B --closes soon": "not a duration",
            "/poll Q? | A | B --secret": "Unknown option --secret",
            "/poll_close 9": "There is no poll #9",
            "/poll_close x": "Usage: /poll_close ID",
        }
        for command, expected in cases.items():
            answer = await say(club, olivia, command)
            assert expected in answer, (command, answer)
        assert polls_in_group(club) == []

        eve = sb.create_user("Eve")
        sb.start_bot(eve)
        await club.settle()
        assert "Only the community's moderators" in await say(club, eve, "/poll Q? | A | B")
        assert "Only the community's moderators" in await say(club, eve, "/polls")
        assert polls_in_group(club) == []
