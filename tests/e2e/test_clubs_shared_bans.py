"""Shared bans between two clubs ([brand] shared_bans): a club's own ban outlives the
other club's ban and unban of the same person."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.demo.simulation import simulated_clubs
from tests.e2e.helpers import said_text as said
from tests.e2e.test_clubs import both


async def test_a_clubs_own_ban_stays_when_the_other_club_bans_and_unbans_again(
    tmp_path: Path,
) -> None:
    async with simulated_clubs(tmp_path / "club.db", brand={"shared_bans": True}) as (
        berlin,
        hamburg,
    ):
        sb = berlin.sandbox
        rex = await both(berlin, hamburg, "Rex")
        # Hamburg bans Rex itself; the ban is shared to Berlin.
        said = sb.send_text(rex, hamburg.group, "spam")
        sb.send_text(hamburg.owner, hamburg.group, "/ban spam", reply_to=said)
        await hamburg.settle()
        assert sb.member_status(berlin.group, rex) == "kicked"
        # Berlin lifts the shared ban at home (Hamburg's own ban stays), then bans Rex
        # again itself, and later lifts that.
        sb.send_text(berlin.owner, berlin.group, f"/unban {rex.id}")
        await berlin.settle()
        assert sb.member_status(hamburg.group, rex) == "kicked"
        sb.send_text(berlin.owner, berlin.group, f"/ban {rex.id} again")
        await berlin.settle()
        assert sb.member_status(berlin.group, rex) == "kicked"
        sb.send_text(berlin.owner, berlin.group, f"/unban {rex.id}")
        await berlin.settle()
        assert sb.member_status(berlin.group, rex) == "left"
        # Hamburg's moderator banned Rex: Berlin's unban must not lift that.
        assert sb.member_status(hamburg.group, rex) == "kicked"


async def test_a_ban_is_reported_when_the_other_club_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with simulated_clubs(tmp_path / "club.db", brand={"shared_bans": True}) as (
        berlin,
        hamburg,
    ):
        sb = berlin.sandbox
        rex = await both(berlin, hamburg, "Rex")

        async def no_answer(send: object) -> None:
            raise NetworkError("Bad Gateway")  # Telegram's front end, retries used up

        monkeypatch.setattr(hamburg.services.messenger, "in_community", no_answer)
        spam = sb.send_text(rex, berlin.group, "spam spam")
        sb.send_text(berlin.owner, berlin.group, "/ban spam", reply_to=spam)
        await said(berlin, berlin.group, "is banned")
        assert sb.member_status(berlin.group, rex) == "kicked"
