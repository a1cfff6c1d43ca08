"""Members cannot spend the group's sending budget with commands (issue 10, item 13)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.core.command_router import CommandRouter
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


# Ada's private answers come quickly one after the other: not what is tested here.
@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_commands_for_other_bots_are_left_alone(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada")
        sb.start_bot(ada)
        await club.settle()
        dms_before = len(sb.bot_messages(ada))
        group_before = len(sb.bot_messages(club.group))
        # Another bot's command, and one this bot does not have (another bot's, perhaps).
        quiz = sb.send_text(ada, club.group, "/quiz@other_quiz_bot")
        shrug = sb.send_text(ada, club.group, "/shrug")
        unknown_to_us = sb.send_text(ada, club.group, "/shrug@Club_Bot")
        await club.settle()
        # Her minute is untouched: /rules is answered in the group.
        rules = sb.send_text(ada, club.group, "/rules")
        await club.settle()
        quiz_again = sb.send_text(ada, club.group, "/quiz@OTHER_quiz_bot")
        await club.settle()
        assert not any(m.deleted for m in (quiz, shrug, unknown_to_us, rules, quiz_again))
        assert len(sb.bot_messages(club.group)) == group_before + 1  # the rules, nothing else
        assert len(sb.bot_messages(ada)) == dms_before  # no "send /quiz to me" for any of them
        # Our own command, addressed to us in other letters, still counts: within the minute
        # it is deleted and answered privately.
        help_again = sb.send_text(ada, club.group, "/HELP@CLUB_BOT")
        await club.settle()
        assert help_again.deleted
        assert "Send /HELP to me here instead" in (sb.bot_messages(ada)[-1].text or "")


async def test_every_command_the_bot_answers_in_the_group_is_listed(tmp_path: Path) -> None:
    """The throttle knows the bot's commands from the list /help shows: a command handler
    added without its entry there would escape the once-a-minute rule."""
    async with simulated_club(tmp_path / "club.db") as club:
        app = club.app
        listed = {spec.name for spec in app.commands}
        handled: set[str] = set()
        for handlers in app.handlers.values():
            for handler in handlers:
                folded = handler.handlers if isinstance(handler, CommandRouter) else [handler]
                for one in folded:
                    if isinstance(one, CommandHandler):
                        handled |= one.commands
        # /start is taken in private chats only.
        assert handled - listed == {"start"}
        assert listed <= handled
