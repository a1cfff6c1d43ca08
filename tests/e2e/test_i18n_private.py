"""Private messages nobody's update asked for speak the member's own language: the join
request's ask and its decline, and notes sent after updates that left language_code out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.demo.simulation import simulated_club
from tests.e2e.helpers import admitted, last_text, say


async def test_a_join_requester_is_asked_and_declined_in_their_apps_language(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"language": "de"}) as club:
        sb = club.sandbox
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        ann = sb.create_user("Ann", language_code="en")
        chloe = sb.create_user("Chloé", language_code="fr")  # no French: the club's German
        sb.request_join(ann, shared.link)
        sb.request_join(chloe, shared.link)
        await club.settle()
        # The one message with the storage notice, whose answer is the consent.
        assert "reply with your invite code" in last_text(sb, ann)
        assert "Einladungscode" in last_text(sb, chloe)
        await club.advance(timedelta(minutes=5))
        # The decline at the deadline is in the same language as the ask.
        assert "didn't get a valid invite code in time" in last_text(sb, ann)


async def test_an_update_without_language_code_keeps_the_members_language(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"language": "de"}) as club:
        sb = club.sandbox
        emma = await admitted(club, "Emma")  # her app reports "en"
        # language_code is optional in Telegram's User: this group message lacks it.
        emma.language_code = None
        sb.send_text(emma, club.group, "hello everyone")
        await club.settle()
        await say(club, club.owner, f"/warn {emma.id} spam")
        assert "You received a warning in the club." in last_text(sb, emma)
