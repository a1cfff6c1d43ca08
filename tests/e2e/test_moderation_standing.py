"""Automatic mutes (flood, warning limit) and a restriction that still lets the member write.

Telegram reports a member as ``restricted`` long after a restriction stopped mattering: a
mute that ran out, or an /unmute that gave back the group's permissions, can leave them
listed as restricted "forever" (until_date 0) with every right to post (python-telegram-bot
issue #1803); an admin may also restrict someone partially (no media, say). Such a member can
still flood, so an automatic mute must not take that restriction for a mute that stands.
"""

from __future__ import annotations

from pathlib import Path

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import Member, SimUser
from bot.sandbox.serialize import DEFAULT_GROUP_PERMISSIONS
from tests.e2e.helpers import said_text as said
from tests.e2e.test_moderation import ADA_ID, join, log_actions


def restricted_but_writing(club: SimulatedClub, user: SimUser) -> None:
    """What Telegram says of someone whose mute ran out: restricted forever, may post."""
    club.sandbox.world.set_member(
        club.group,
        user,
        Member(user=user, status="restricted", permissions=dict(DEFAULT_GROUP_PERMISSIONS)),
        actor=club.owner,
    )


async def test_a_member_restricted_but_free_to_write_is_muted_for_flooding(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        moderation={"flood_messages": 3, "flood_seconds": 10, "flood_mute_minutes": 5},
    ) as club:
        ada = join(club, "Ada", ADA_ID)
        restricted_but_writing(club, ada)
        for i in range(5):
            club.sandbox.send_text(ada, club.group, f"BUY CHEAP FOLLOWERS {i}")
        await said(club, club.group, "muted for 5 minutes")
        muted = club.sandbox.world.member(club.group, ada)
        assert muted.status == "restricted" and not muted.permissions["can_send_messages"]
        assert await log_actions(club) == [("flood", ADA_ID)]


async def test_the_warning_limit_mutes_a_member_restricted_but_free_to_write(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db", moderation={"warn_limit": 2, "default_mute_minutes": 30}
    ) as club:
        ada = join(club, "Ada", ADA_ID)
        restricted_but_writing(club, ada)
        club.sandbox.send_text(club.owner, club.group, f"/warn {ADA_ID} spam")
        await said(club, club.group, "(1/2)")
        club.sandbox.send_text(club.owner, club.group, f"/warn {ADA_ID} spam again")
        assert "muted for 30 minutes" in await said(club, club.group, "(2/2)")
        muted = club.sandbox.world.member(club.group, ada)
        assert not muted.permissions["can_send_messages"]
