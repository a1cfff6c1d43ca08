"""A moderator's command is answered even when Telegram does not answer the bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo.simulation import simulated_club
from tests.e2e.helpers import said_text as said
from tests.e2e.test_moderation import ADA_ID, join

pytestmark = pytest.mark.usefixtures("quick_network_retries")


async def test_a_warning_is_answered_when_telegram_keeps_failing(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        join(club, "Ada", ADA_ID)
        # More failures than the network retries: the member's status cannot be read.
        club.sandbox.faults.fail_next("getChatMember", status=502, times=20)
        club.sandbox.send_text(club.owner, club.group, f"/warn {ADA_ID} spam")
        assert "try again" in await said(club, club.group, "Telegram did not answer")


async def test_a_warning_limit_that_could_not_mute_mutes_at_the_next_warning(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db", moderation={"warn_limit": 2, "default_mute_minutes": 30}
    ) as club:
        sb = club.sandbox
        ada = join(club, "Ada", ADA_ID)
        sb.send_text(club.owner, club.group, f"/warn {ADA_ID} spam")
        await said(club, club.group, "(1/2)")
        # The mute at the limit gets no answer from Telegram: the moderator is told so ...
        sb.faults.fail_next("restrictChatMember", status=502, times=20)
        sb.send_text(club.owner, club.group, f"/warn {ADA_ID} spam again")
        await said(club, club.group, "Telegram did not answer")
        assert sb.member_status(club.group, ada) == "member"
        sb.faults.clear()
        # ... and the warnings still stand: the next one reaches the limit and mutes.
        sb.send_text(club.owner, club.group, f"/warn {ADA_ID} and again")
        assert "muted for 30 minutes" in await said(club, club.group, "warned (")
        assert sb.member_status(club.group, ada) == "restricted"
