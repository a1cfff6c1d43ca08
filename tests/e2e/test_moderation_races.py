"""Two actions on one member at once: they run one after the other, the later one checked
against the earlier one's result, so a ban reported done holds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.moderation.parse import ModerationRequest
from bot.moderation.repo import ModerationRepository
from tests.e2e.helpers import admitted

MO = 2**32 + 7171


async def actions_on(club: SimulatedClub, user_id: int) -> list[str]:
    entries = await ModerationRepository(club.services.db).latest(20)
    return [e.action for e in reversed(entries) if e.target_id == user_id]


def slow_telegram(club: SimulatedClub) -> None:
    # Telegram answering a little slowly: without the member's lock the two checks both read
    # "member" and the kick's ban + unban brackets the ban (the unban lifts it).
    club.sandbox.faults.delay_next("getChatMember", seconds=0.3, times=2)
    club.sandbox.faults.delay_next("unbanChatMember", seconds=0.6)


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_kick_and_ban_by_id_from_two_moderators_leave_her_banned(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", telegram={"moderators": [MO]}) as club:
        sb = club.sandbox
        eve = await admitted(club, "Eve")
        mo = sb.create_user("Mo", user_id=MO)
        sb.start_bot(mo)
        sb.start_bot(club.owner)
        await club.settle()
        slow_telegram(club)
        sb.send_text(club.owner, club.owner, f"/kick {eve.id} spam")
        sb.send_text(mo, mo, f"/ban {eve.id} spam again")
        await club.settle()
        assert "was removed from the group" in (sb.bot_messages(club.owner)[-1].text or "")
        assert "is banned" in (sb.bot_messages(mo)[-1].text or "")
        assert sb.member_status(club.group, eve) == "kicked"
        assert await actions_on(club, eve.id) == ["kick", "ban"]
        # The ledger agrees: banned after the kick, a new code cannot bring her back.
        seat = await club.features.gate.repo.seat(eve.id)
        assert seat is not None and seat.state == "banned"


async def test_the_service_serializes_one_members_actions_whoever_calls(tmp_path: Path) -> None:
    # Straight to the service, past the update processor's ordering: a scheduler job or
    # another club's shared ban reaches the member this way.
    async with simulated_club(tmp_path / "club.db") as club:
        eve = await admitted(club, "Eve")
        ben = await admitted(club, "Ben")
        moderation = club.features.moderation
        bot = club.app.bot
        slow_telegram(club)
        kick, ban = await asyncio.gather(
            moderation.perform(bot, club.owner.id, ModerationRequest("kick", eve.id)),
            moderation.perform(bot, club.owner.id, ModerationRequest("ban", eve.id)),
        )
        assert kick.done and ban.done
        assert club.sandbox.member_status(club.group, eve) == "kicked"
        # Two bans at once: one bans, the other is told so (one log entry, one note to Ben).
        first, second = await asyncio.gather(
            moderation.perform(bot, club.owner.id, ModerationRequest("ban", ben.id)),
            moderation.perform(bot, club.owner.id, ModerationRequest("ban", ben.id)),
        )
        await club.settle()
        assert first.done and not second.done
        assert "already banned" in second.text
        assert await actions_on(club, ben.id) == ["ban"]
        told = [m for m in club.sandbox.bot_messages(ben) if "banned" in (m.text or "")]
        assert len(told) == 1
