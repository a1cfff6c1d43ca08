"""Referrals end to end: a member invites friends, who joins and takes part, and erasure."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.digest_api import DayWindow
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.gate.service import GateService
from bot.referrals.digest import referrals_section
from bot.referrals.service import ReferralService
from bot.sandbox import Sandbox, SimUser
from tests.e2e.helpers import last_with
from tests.e2e.test_gate_journeys import join_link, last_text, redeem

CODE_IN_TEXT = re.compile(r"/join ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


def gate_of(club: SimulatedClub) -> GateService:
    return club.features.gate


def referrals_of(club: SimulatedClub) -> ReferralService:
    return club.features.referrals


async def seat_member(club: SimulatedClub, name: str, label: str = "flyer") -> SimUser:
    """A member who came in through an ordinary campaign code."""
    sb = club.sandbox
    (code,) = await gate_of(club).create_codes(1, 1, label, None, club.owner.id)
    user = sb.create_user(name)
    await redeem(club, user, code)
    sb.join_via_link(user, join_link(sb, user))
    await club.settle()
    return user


async def ask_invite(club: SimulatedClub, user: SimUser) -> str | None:
    """/invite in private; the code from the answer, or None if refused."""
    club.sandbox.send_text(user, user, "/invite")
    await club.settle()
    found = CODE_IN_TEXT.search(last_text(club.sandbox, user))
    return found.group(1) if found else None


async def join_with(club: SimulatedClub, friend: SimUser, code: str) -> None:
    sb = club.sandbox
    await redeem(club, friend, code)
    sb.join_via_link(friend, join_link(sb, friend))
    await club.settle()


def moderator_texts(sb: Sandbox, moderator: SimUser) -> list[str]:
    return [m.text or "" for m in sb.bot_messages(moderator)]


# Slow set; a referrer erased: tests/hardening/test_erasure_owned_lines.py
@pytest.mark.slow
async def test_member_invites_two_friends_one_joins_posts_then_referrer_is_erased(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db", gate={"referrals_per_member": 2}, referrals={"digest_day": "daily"}
    ) as club:
        sb = club.sandbox
        ada = await seat_member(club, "Ada")
        first = await ask_invite(club, ada)
        second = await ask_invite(club, ada)
        assert first and second and first != second
        assert "last invite" in last_text(sb, ada)
        assert await ask_invite(club, ada) is None
        assert "used all 2" in last_text(sb, ada)

        ben = sb.create_user("Ben")
        await join_with(club, ben, first)
        assert sb.member_status(club.group, ben) == "member"
        sb.send_text(ben, club.group, "The new sourdough is wonderful, I love the crust")
        await club.settle()

        tree = await referrals_of(club).multipliers()
        assert [(m.referrer_id, m.brought, m.stayed, m.active) for m in tree] == [
            (ada.id, 1, 1, 1)
        ]
        sb.send_text(club.owner, club.owner, "/multipliers")
        await club.settle()
        shown = last_text(sb, club.owner)
        assert "1 member brought 1" in shown and "Ben" in shown and "active" in shown

        window = DayWindow.for_day(club.clock.now().date(), club.services.settings.community.tz)
        section = await referrals_section(club.services.db, window, club.services.settings)
        assert section is not None
        assert section.data["brought"] == 1 and section.data["active"] == 1
        assert "Ada" not in " ".join(section.lines)  # pseudonymous without show_names

        # Next morning the brand chat's digest carries the referral section.
        settings = club.services.settings
        tomorrow = club.clock.now().astimezone(settings.community.tz).date() + timedelta(days=1)
        club.clock.set(
            datetime.combine(tomorrow, settings.digest.time, tzinfo=settings.community.tz)
            + timedelta(minutes=1)
        )
        await club.tick()
        digest = " ".join(m.text or "" for m in sb.bot_messages(club.brand))
        assert "Referrals" in digest
        assert "1 member brought 1 new member; 1 still active" in digest

        # Ada erases herself: Ben stays a member, the link to Ada is cut, her open invite dies.
        sb.send_text(ada, ada, "/forgetme")
        await club.settle()
        sb.press_button(ada, *last_with(club, ada, "v1:forget:yes"))
        await club.settle()
        assert sb.member_status(club.group, ada) != "member"
        assert sb.member_status(club.group, ben) == "member"
        seat = await gate_of(club).repo.seat(ben.id)
        assert seat is not None and seat.state == "member"
        assert await referrals_of(club).multipliers() == []
        cara = sb.create_user("Cara")
        sb.start_bot(cara, second)
        await club.settle()
        assert "withdrawn" in last_text(sb, cara)


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_invite_refusals_and_moderator_policy(tmp_path: Path) -> None:
    # The 15 days skipped below send 15 daily digests; their charts (~0.3 s each) are not
    # what this test is about (tests/e2e/test_digest.py is).
    async with simulated_club(
        tmp_path / "club.db", gate={"referrals_per_member": 1}, digest={"chart": False}
    ) as club:
        sb = club.sandbox
        stranger = sb.create_user("Stan")
        sb.start_bot(stranger)
        await club.settle()
        assert await ask_invite(club, stranger) is None
        assert "Only members" in last_text(sb, stranger)

        ada = await seat_member(club, "Ada", label="flyer")
        sb.send_text(club.owner, club.owner, "/referrals campaign newsletter 2")
        await club.settle()
        assert "newsletter" in last_text(sb, club.owner)
        assert await ask_invite(club, ada) is None
        assert "newsletter" in last_text(sb, ada)

        tomorrow = (club.clock.now() + timedelta(days=1)).date()
        sb.send_text(club.owner, club.owner, f"/referrals before {tomorrow.isoformat()}")
        await club.settle()
        invite = await ask_invite(club, ada)
        assert invite is not None
        for command, answer in (
            (f"/referrals withdraw {ada.id}", "Withdrew 1 open invite"),
            (f"/referrals withdraw {ada.id}", "has no open invites"),
            ("/referrals withdraw Ada", "Usage"),
            # Too long for an id (and for SQLite's integers): a usage line, not a crash.
            ("/referrals withdraw 99999999999999999999999", "Usage"),
            (f"/referrals withdraw {ada.id}", "has no open invites"),
            ("/referrals withdraw ١٢٣", "Usage"),
        ):
            sb.send_text(club.owner, club.owner, command)
            await club.settle()
            assert answer in last_text(sb, club.owner), command
        bob = sb.create_user("Bob")
        sb.start_bot(bob, invite)
        await club.settle()
        assert "withdrawn" in last_text(sb, bob)
        # A withdrawal is not a refill: the invite counts until it would have expired.
        assert await ask_invite(club, ada) is not None  # her second of 2
        assert await ask_invite(club, ada) is None
        assert "used all 2" in last_text(sb, ada)
        await club.advance(timedelta(days=club.services.settings.referrals.invite_days, hours=1))
        assert await ask_invite(club, ada) is not None

        sb.send_text(club.owner, club.owner, f"/referrals before {date(2020, 1, 1)}")
        await club.settle()
        assert await ask_invite(club, ada) is None
        assert "joined before Jan 1, 2020" in last_text(sb, ada)

        sb.send_text(club.owner, club.owner, "/referrals off")
        await club.settle()
        assert await ask_invite(club, ada) is None
        assert "switched off" in last_text(sb, ada)

        sb.send_text(club.owner, club.owner, "/referrals sideways")
        await club.settle()
        assert "Unknown choice" in last_text(sb, club.owner)
        sb.send_text(ada, ada, "/referrals on 5")
        await club.settle()
        assert "only the club's moderators" in last_text(sb, ada)
        for sender, command in ((ada, "/invite"), (club.owner, "/multipliers")):
            sb.send_text(sender, club.group, command)
            await club.settle()
            assert "private chat" in (sb.bot_messages(club.group)[-1].text or ""), command


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_ban_withdraws_open_invites_and_bursts_are_flagged_once(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        gate={"referrals_per_member": 5},
        referrals={"flag_joins": 2, "flag_hours": 24},
    ) as club:
        sb = club.sandbox
        sb.start_bot(club.owner)
        await club.settle()
        ada = await seat_member(club, "Ada")
        codes = [await ask_invite(club, ada) for _ in range(4)]
        assert all(codes)
        for name, code in zip(("Ben", "Cid", "Dot"), codes, strict=False):
            await join_with(club, sb.create_user(name), str(code))
        flags = [t for t in moderator_texts(sb, club.owner) if "Many joins" in t]
        assert len(flags) == 1 and str(ada.id) in flags[0]

        sb.send_text(club.owner, club.group, f"/ban {ada.id} shared invites")
        await club.settle()
        assert sb.member_status(club.group, ada) == "kicked"
        eve = sb.create_user("Eve")
        sb.start_bot(eve, str(codes[3]))
        await club.settle()
        assert "withdrawn" in last_text(sb, eve)


async def test_invites_follow_the_gates_rules_join_request_waitlist_lockout(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        gate={"referrals_per_member": 3, "max_failures": 2},
        community={"max_members": 3},  # Olivia's admin seat is not in the ledger
    ) as club:
        sb = club.sandbox
        ada = await seat_member(club, "Ada")
        first, second, third = [await ask_invite(club, ada) for _ in range(3)]
        assert first and second and third

        # Bea asks to join on the shared link and answers with Ada's invite: approved, and
        # the join is Ada's referral.
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        bea = sb.create_user("Bea")
        sb.request_join(bea, shared.link)
        await club.settle()
        sb.send_text(bea, bea, first)  # the question carried the notice: the code is consent
        await club.settle()
        assert sb.member_status(club.group, bea) == "member"
        assert (await referrals_of(club).multipliers())[0].brought == 1

        # Cy joins with another invite; the club (3 seats) is now full, so Dee waits in line.
        await join_with(club, sb.create_user("Cy"), second)
        dee = sb.create_user("Dee")
        await redeem(club, dee, third)
        assert "waitlist" in last_text(sb, dee)

        # Wrong-code lock-outs hold for people guessing invites too.
        eve = sb.create_user("Eve")
        for guess in ("AAAA-BBBB-CCCC", "AAAA-BBBB-CCCD"):
            sb.start_bot(eve, guess)
            await club.settle()
        sb.start_bot(eve, first)
        await club.settle()
        assert "Too many wrong codes" in last_text(sb, eve)


async def test_demo_scene_shows_a_referral_and_a_tagged_link(tmp_path: Path) -> None:
    import io

    from bot.demo.narrator import Narrator
    from bot.demo.referrals import referral_scene

    async with simulated_club(tmp_path / "club.db") as club:
        ada = await seat_member(club, "Ada")
        out = io.StringIO()
        assert await referral_scene(club, Narrator(club, out), [ada])
        story = out.getvalue()
        assert "↳ Finn" in story and "utm_content=preview-1" in story


async def test_a_replayed_invite_command_replaces_its_invite(tmp_path: Path) -> None:
    from bot.db import current_update_id
    from bot.gate import code_of

    async with simulated_club(tmp_path / "club.db", gate={"referrals_per_member": 1}) as club:
        ada = await seat_member(club, "Ada")
        service = referrals_of(club)
        token = current_update_id.set(987_654)
        try:
            first = await service.invite(ada.id)
            again = await service.invite(ada.id)  # the same update, handled twice
        finally:
            current_update_id.reset(token)
        assert first.code and again.code and first.code != again.code
        assert again.left == 0  # still one invite: the replay did not use a second
        rows = await club.services.db.fetchall(
            "SELECT code_id, update_id FROM referral_invites ORDER BY code_id"
        )
        assert [row[1] for row in rows] == [987_654]  # the replaced invite no longer counts
        old = await code_of(club.services.db, rows[0][0] - 1)
        assert old is not None and old.label == "referral" and old.revoked_at is not None
        assert (await service.invite(ada.id)).status.value == "allowance_used"
        # Six /invite at once with two invites left: two are issued, never more.
        await service.change_policy(["on", "3"])
        results = await asyncio.gather(*(service.invite(ada.id) for _ in range(6)))
        assert sorted(r.status.value for r in results) == ["allowance_used"] * 4 + ["issued"] * 2


async def test_a_member_who_leaves_has_their_open_invites_withdrawn_a_mute_does_not(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", gate={"referrals_per_member": 2}) as club:
        sb = club.sandbox
        sb.start_bot(club.owner)
        await club.settle()
        ada = await seat_member(club, "Ada")
        first, second = await ask_invite(club, ada), await ask_invite(club, ada)
        assert first and second
        sb.send_text(club.owner, club.owner, f"/mute {ada.id} 2h")
        await club.settle()
        assert sb.member_status(club.group, ada) == "restricted"
        ben = sb.create_user("Ben")
        await join_with(club, ben, first)  # muted, still a member: her invite works
        assert sb.member_status(club.group, ben) == "member"

        sb.leave(ada, club.group)
        await club.settle()
        cid = sb.create_user("Cid")
        sb.start_bot(cid, second)
        await club.settle()
        assert "withdrawn" in last_text(sb, cid)
