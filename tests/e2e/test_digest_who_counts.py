"""Who the brand's figures count: members, not staff; every join and every leave, also of
kicked and erased members (review 4c #7, #9, #10)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.insights.cohorts import campaign_cohorts
from tests.e2e.helpers import admitted, last_with, said

ADA, BEN, CLEO = 2**32 + 4242, 2**32 + 5353, 2**32 + 6464


async def stored_digest(club: SimulatedClub) -> str:
    run = await club.services.db.fetchone("SELECT parts FROM digest_runs")
    assert run is not None
    return "\n".join(json.loads(run["parts"]))


async def test_staff_posting_in_their_own_name_is_not_member_feedback(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada", ADA)
        sb.add_member(club.group, club.brand_manager, status="administrator")
        sb.send_text(ada, club.group, "the vegan roll was dry and bland today")
        # The owner (an admin) and the brand manager post in their own name, not anonymously.
        sb.send_text(club.owner, club.group, "Welcome everyone, our new croissant is amazing!")
        sb.send_text(club.brand_manager, club.group, "We love it too, the best bake ever 😍")
        await club.settle()
        await club.advance(timedelta(days=1))
        text = await stored_digest(club)
        assert "Messages: <b>1</b> from <b>1</b> member" in text, text
        assert "Brand posts: 2" in text, text
        assert "croissant is amazing" not in text and "best bake" not in text, text


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_kicked_and_erased_members_count_as_joined_and_left(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        await admitted(club, "Ada", ADA)
        ben = await admitted(club, "Ben", BEN)
        cleo = await admitted(club, "Cleo", CLEO)
        sb.send_text(club.owner, club.owner, f"/kick {ben.id} spam")
        await club.settle()
        sb.send_text(cleo, cleo, "/forgetme")
        await said(club, cleo, "Forget me?")
        msg, yes = last_with(club, cleo, "v1:forget:yes")
        sb.press_button(cleo, msg, yes)
        await said(club, cleo, "has forgotten you")
        await club.advance(timedelta(days=1))
        members = (await stored_digest(club)).split("<b>Activity</b>")[0]
        # 0 + 3 joined - 2 left = 1: the figures add up, and Cleo's id is nowhere.
        assert "Members: <b>1</b>" in members, members
        assert "Joined today: <b>3</b>" in members, members
        assert "Left today: <b>2</b>" in members, members
        events = await club.services.db.fetchall("SELECT user_id, kind FROM gate_events")
        assert all(int(row["user_id"]) != CLEO for row in events)
        assert [row["kind"] for row in events].count("erased") == 1


async def test_a_kicked_recruit_stays_in_the_campaign_cohort(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        await admitted(club, "Ada", ADA, label="flyer")
        ben = await admitted(club, "Ben", BEN, label="flyer")
        sb.send_text(club.owner, club.owner, f"/kick {ben.id} spam")
        await club.settle()
        await club.advance(timedelta(days=8))
        services = club.services
        cohorts = await campaign_cohorts(
            services.db, services.chats.community_id, services.now_ts()
        )
        [flyer] = [c for c in cohorts if c.label == "flyer"]
        seven = next(r for r in flyer.retention if r.days == 7)
        assert (flyer.joined, flyer.members_now) == (2, 1)
        assert (seven.still, seven.eligible) == (1, 2)
        # Ben may still come back with a new code: he is a stranger to the seat ledger.
        assert (
            await services.db.fetchone("SELECT 1 FROM gate_seats WHERE user_id = ?", (ben.id,))
            is None
        )
