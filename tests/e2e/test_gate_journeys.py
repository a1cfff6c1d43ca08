"""The gate end to end through the sandbox: both ways in, expiry, waitlist, strict gate."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.demo.simulation import simulated_club
from bot.gate import is_member, member_ids
from tests.e2e.helpers import (  # the gate helpers moved there; these names stay importable
    accept_button,
    buttons,  # noqa: F401 - other test files may import it from here
    gate_of,
    join_link,
    last_text,
    make_codes,
    redeem,
)


async def test_deep_link_accept_join(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        (code,) = await make_codes(club, label="flyer")
        ada = sb.create_user("Ada")
        sb.start_bot(ada, code)
        await club.settle()
        assert "What the club stores" in last_text(sb, ada)
        msg, data = accept_button(sb, ada)
        assert len(data.encode()) <= 64
        sb.press_button(ada, msg, data)
        await club.settle()
        link = join_link(sb, ada)
        invite = next(li for li in sb.invite_links(club.group) if li.link == link)
        assert invite.member_limit == 1 and invite.name == "flyer"
        assert invite.expire_date is not None
        seat = await gate_of(club).repo.seat(ada.id)
        assert seat is not None and seat.state == "reserved" and seat.consent_at is not None
        sb.join_via_link(ada, link)
        await club.settle()
        assert sb.member_status(club.group, ada) == "member"
        assert await is_member(club.services.db, ada.id)
        assert await member_ids(club.services.db) == [ada.id]
        assert invite.is_revoked
        assert "The rules" in last_text(sb, ada)
        # Nothing about the join was posted in the group by the bot.
        assert sb.bot_messages(club.group) == []


async def test_double_tap_on_accept_tells_the_seat_once(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        (code,) = await make_codes(club)
        ada = sb.create_user("Ada")
        sb.start_bot(ada, code)
        await club.settle()
        msg, data = accept_button(sb, ada)
        sb.press_button(ada, msg, data)
        sb.press_button(ada, msg, data)  # the first tap's edit had not reached her phone
        await club.settle()
        # The notice itself became the seat message; the second tap adds no copy of it.
        assert "is reserved until" in (msg.text or "")
        reserved = [m for m in sb.bot_messages(ada) if "is reserved until" in (m.text or "")]
        assert reserved == [msg]


async def test_join_request_with_code_in_time(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        (code,) = await make_codes(club, label="newsletter")
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        bea = sb.create_user("Bea")
        sb.request_join(bea, shared.link)
        await club.settle()
        ask = last_text(sb, bea)
        assert "reply with your invite code" in ask
        # The one question carries the storage notice: sending the code is the consent.
        assert "What the club stores" in ask and "By sending your code you agree" in ask
        # Bea answers in the private chat with her code, typed loosely: approved at once,
        # no second message and no Accept button in between.
        sb.send_text(bea, bea, code.lower().replace("-", " "))
        await club.settle()
        assert sb.member_status(club.group, bea) == "member"
        assert sb.pending_join_requests(club.group) == []
        seat = await gate_of(club).repo.seat(bea.id)
        assert seat is not None and seat.state == "member" and seat.label == "newsletter"
        assert "The rules" in last_text(sb, bea)
        assert sb.bot_messages(club.group) == []


async def test_join_request_without_code_is_declined_politely(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        cal = sb.create_user("Cal")
        sb.request_join(cal, shared.link)
        await club.settle()
        await club.advance(timedelta(minutes=5))
        assert sb.pending_join_requests(club.group) == []
        assert sb.member_status(club.group, cal) == "left"
        assert "didn't get a valid invite code in time" in last_text(sb, cal)


async def test_join_request_wrong_code_keeps_request_until_deadline(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        dan = sb.create_user("Dan")
        sb.request_join(dan, shared.link)
        await club.settle()
        sb.send_text(dan, dan, "AAAA-BBBB-CCCC")
        await club.settle()
        assert "not valid" in last_text(sb, dan)
        await club.advance(timedelta(minutes=5))
        assert sb.pending_join_requests(club.group) == []
        assert sb.member_status(club.group, dan) == "left"


async def test_holder_join_request_is_approved_at_once(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        (code,) = await make_codes(club)
        eve = sb.create_user("Eve")
        await redeem(club, eve, code)
        # Eve uses the club's shared link instead of her personal one.
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        sb.request_join(eve, shared.link)
        await club.settle()
        assert sb.member_status(club.group, eve) == "member"
        assert (await gate_of(club).repo.seat(eve.id)).state == "member"  # type: ignore[union-attr]


async def test_unused_link_expires_and_frees_the_seat(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", community={"max_members": 1}, gate={"reservation_minutes": 30}
    ) as club:
        sb = club.sandbox
        first, second = await make_codes(club, count=2)
        fay, gus = sb.create_user("Fay"), sb.create_user("Gus")
        await redeem(club, fay, first)
        link = join_link(sb, fay)
        await redeem(club, gus, second)
        assert "number 1 in line" in last_text(sb, gus)
        await club.advance(timedelta(minutes=31))
        assert "expired" in last_text(sb, fay)
        fay_seat = await gate_of(club).repo.seat(fay.id)
        assert fay_seat is not None and fay_seat.state == "lapsed" and not fay_seat.seat
        # The seat went to Gus, first in line, with a fresh personal link.
        assert "a seat" in last_text(sb, gus)
        gus_link = join_link(sb, gus)
        sb.join_via_link(gus, gus_link)
        await club.settle()
        assert sb.member_status(club.group, gus) == "member"
        # Fay's old link no longer works.
        try:
            sb.join_via_link(fay, link)
        except Exception as exc:  # SandboxError: expired or revoked
            assert "expired" in str(exc) or "revoked" in str(exc)
        else:
            raise AssertionError("an expired personal link still admitted someone")


async def test_waitlist_promotion_on_leave(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", community={"max_members": 2}) as club:
        sb = club.sandbox
        codes = await make_codes(club, count=1, uses=10, label="event")
        people = [sb.create_user(name) for name in ("Hal", "Ida", "Jon", "Kim")]
        for person in people:
            await redeem(club, person, codes[0])
        for person in people[:2]:
            sb.join_via_link(person, join_link(sb, person))
        await club.settle()
        assert "number 1 in line" in last_text(sb, people[2])
        assert "number 2 in line" in last_text(sb, people[3])
        sb.leave(people[0], club.group)
        await club.settle()
        jon = people[2]
        assert "a seat" in last_text(sb, jon)
        sb.join_via_link(jon, join_link(sb, jon))
        await club.settle()
        members = sb.members(club.group)
        assert members.get(jon.id) == "member"
        summary = await gate_of(club).summary()
        assert (summary.members, summary.waiting, summary.seats_taken) == (2, 1, 2)
        # Kim is now first in line.
        sb.send_text(people[3], people[3], "/join")
        await club.settle()
        assert "number 1 in line" in last_text(sb, people[3])


async def test_reconciliation_at_start_fixes_the_ledger(tmp_path: Path, caplog: Any) -> None:
    import logging

    from bot.app import build_application, start_application, stop_application

    async with simulated_club(tmp_path / "club.db", community={"max_members": 1}) as club:
        sb = club.sandbox
        first, second = await make_codes(club, count=2)
        ada, ben = sb.create_user("Ada"), sb.create_user("Ben")
        await redeem(club, ada, first)
        sb.join_via_link(ada, join_link(sb, ada))
        await club.settle()
        await redeem(club, ben, second)
        assert "number 1 in line" in last_text(sb, ben)
        # While the bot is down Ada leaves, and Telegram's update about it is lost.
        settings = club.services.settings
        await stop_application(club.app)
        sb.leave(ada, club.group)
        sb.world.updates.clear()
        with caplog.at_level(logging.WARNING, logger="bot.gate"):
            club.app = await build_application(settings, clock=club.clock)
            await start_application(club.app)
            await club.settle()
        assert any("Reconciliation" in r.getMessage() for r in caplog.records)
        seat = await gate_of(club).repo.seat(ada.id)
        assert seat is not None and seat.state == "left" and not seat.seat
        # Ada's seat went to Ben, who was first in line.
        assert "a seat" in last_text(sb, ben)
        assert await member_ids(club.services.db) == []


async def test_seat_kept_on_leave_when_configured(tmp_path: Path) -> None:
    async with simulated_club(
        tmp_path / "club.db", community={"max_members": 1}, gate={"free_seat_on_leave": False}
    ) as club:
        sb = club.sandbox
        first, second = await make_codes(club, count=2)
        ada, ben = sb.create_user("Ada"), sb.create_user("Ben")
        await redeem(club, ada, first)
        sb.join_via_link(ada, join_link(sb, ada))
        await club.settle()
        await redeem(club, ben, second)
        sb.leave(ada, club.group)
        await club.settle()
        assert "number 1 in line" in last_text(sb, ben)  # no promotion: the seat is Ada's
        sb.send_text(ada, ada, "/join")
        await club.settle()
        sb.join_via_link(ada, join_link(sb, ada))
        await club.settle()
        assert sb.member_status(club.group, ada) == "member"
        assert (await gate_of(club).summary()).seats_taken == 1
