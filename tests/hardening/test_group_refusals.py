"""Members cannot spend the group's sending budget with commands (issue 10, item 13)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.simulation import simulated_club
from tests.e2e.helpers import admitted

COMMANDS = [
    "/warn 1 x",
    "/ban 1",
    "/poll A? | B | C",
    "/mydata",
    "/forgetme",
    "/modlog",
    "/newcodes 5",
    "/help",
]


# The refusals go to each member's private chat, several at once: not what is tested here.
@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_member_commands_answered_in_group_once_a_minute(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        eve = await admitted(club, "Eve")
        mallory = await admitted(club, "Mallory")
        sb.block_bot(mallory)  # cannot be answered privately
        before = len(sb.bot_messages(club.group))
        sent = []
        for member in (eve, mallory):
            for command in COMMANDS:
                sent.append(sb.send_text(member, club.group, command))
            await club.settle()
        group_replies = sb.bot_messages(club.group)[before:]
        assert len(group_replies) == 2, [m.text for m in group_replies]  # one per person
        # The rest of the commands are gone from the group; Eve was answered privately.
        assert sum(m.deleted for m in sent) == 2 * (len(COMMANDS) - 1)
        assert any("at most once a minute" in (m.text or "") for m in sb.bot_messages(eve))
        # A minute later, one more answer in the group.
        await club.advance(timedelta(seconds=61))
        sb.send_text(eve, club.group, "/help")
        await club.settle()
        assert len(sb.bot_messages(club.group)[before:]) == 3


async def test_moderators_are_not_throttled(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        before = len(sb.bot_messages(club.group))
        for _ in range(3):
            sb.send_text(club.owner, club.group, "/rules")
        await club.settle()
        assert len(sb.bot_messages(club.group)) - before == 3
