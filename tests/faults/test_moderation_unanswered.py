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
