"""A seat nobody can be let in to yet is held, not given away.

When the bot cannot make a way in after a seat is reserved (an admin took its "invite users"
right, Telegram answers 5xx), the seat stays the person's, nobody else moves up, nobody is
told anything false, and the bot tries again until it works, across a restart too.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SimUser
from tests.e2e.helpers import admitted, gate_of, join_link, make_codes, redeem

# Fragments of the bot's sentences (bot/gate/texts.py).
EXPIRED = "has expired"
KEPT = "Your seat is kept for you"
FREED = "a seat in Bakery VIP Club is free for you"
SORRY_FOR_THE_WAIT = "Sorry for the wait"
WELCOME = "Welcome to Bakery VIP Club"
# The outages here are about what the gate does after the retries, not the retries' pauses.
pytestmark = pytest.mark.usefixtures("quick_network_retries")
# Longer than a reservation (gate.reservation_minutes, 30 by default).
PAST_A_RESERVATION = timedelta(minutes=45)


def _texts(club: SimulatedClub, user: SimUser) -> list[str]:
    return [m.text or "" for m in club.sandbox.bot_messages(user)]


async def _states(club: SimulatedClub) -> dict[int, str]:
    found = await club.services.db.fetchall("SELECT user_id, state FROM gate_seats")
    return {row["user_id"]: row["state"] for row in found}


async def _full_club_with_a_line(club: SimulatedClub) -> tuple[SimUser, list[SimUser]]:
    """Ada holds the only seat; Ben, Cid and Dee wait in that order."""
    ada = await admitted(club, "Ada", 2**32 + 1)
    line = []
    for i, name in enumerate(["Ben", "Cid", "Dee"]):
        (code,) = await make_codes(club)
        person = club.sandbox.create_user(name, user_id=2**32 + 10 + i)
        await redeem(club, person, code)
        line.append(person)
    assert set((await _states(club)).values()) == {"member", "waiting"}
    return ada, line


async def test_a_lost_invite_right_holds_the_first_seat_and_keeps_the_line(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"max_members": 1}) as club:
        sb = club.sandbox
        ada, (ben, cid, dee) = await _full_club_with_a_line(club)
        told_before = {p.id: len(_texts(club, p)) for p in (cid, dee)}
        # An admin takes the bot's "invite users" right away; it keeps the others.
        rights = {"can_restrict_members": True, "can_pin_messages": True}
        sb.make_bot_admin(club.group, can_delete_messages=True, **rights)
        await club.settle()

        sb.leave(ada, club.group)  # the seat frees: Ben is first in line
        await club.settle()
        states = await _states(club)
        assert [states[p.id] for p in (ben, cid, dee)] == ["reserved", "waiting", "waiting"]
        # Ben hears the truth once: the seat is his, the way in follows.
        assert FREED in _texts(club, ben)[-1] and KEPT in _texts(club, ben)[-1]
        assert all(len(_texts(club, p)) == told_before[p.id] for p in (cid, dee))

        # A held seat does not run out: nobody lapses, nobody hears of an expired link.
        await club.advance(PAST_A_RESERVATION)
        await club.restart()  # what is held is in SQLite, not in memory
        await club.advance(timedelta(minutes=2))
        states = await _states(club)
        assert [states[p.id] for p in (ben, cid, dee)] == ["reserved", "waiting", "waiting"]
        assert (await gate_of(club).summary()).seats_taken == 1
        assert not any(EXPIRED in t for p in (ben, cid, dee) for t in _texts(club, p))

        # The right comes back: the next try sends Ben his link; he joins on it.
        sb.make_bot_admin(club.group, can_delete_messages=True, can_invite_users=True, **rights)
        await club.advance(timedelta(minutes=2))
        assert SORRY_FOR_THE_WAIT in _texts(club, ben)[-1]
        sb.join_via_link(ben, join_link(sb, ben))
        await club.settle()
        states = await _states(club)
        assert [states[p.id] for p in (ben, cid, dee)] == ["member", "waiting", "waiting"]
        assert sb.member_status(club.group, ben) == "member"


async def test_an_invite_link_outage_holds_the_seat_until_telegram_answers(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"max_members": 1}) as club:
        sb = club.sandbox
        ada, (ben, cid, dee) = await _full_club_with_a_line(club)
        # 5xx on every try the bot makes (one call and its network retries), twice over.
        sb.faults.fail_next("createChatInviteLink", status=502, times=10)
        sb.leave(ada, club.group)
        await club.settle(timeout=60)
        states = await _states(club)
        assert [states[p.id] for p in (ben, cid, dee)] == ["reserved", "waiting", "waiting"]
        assert KEPT in _texts(club, ben)[-1]

        await club.advance(timedelta(minutes=2))  # the retry meets the rest of the outage
        assert KEPT in _texts(club, ben)[-1]
        await club.advance(timedelta(minutes=2))  # Telegram answers again
        assert SORRY_FOR_THE_WAIT in _texts(club, ben)[-1]
        sb.join_via_link(ben, join_link(sb, ben))
        await club.settle()
        states = await _states(club)
        assert [states[p.id] for p in (ben, cid, dee)] == ["member", "waiting", "waiting"]


async def test_an_approval_outage_after_a_code_reply_approves_later(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        (code,) = await make_codes(club, label="newsletter")
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        bea = sb.create_user("Bea")
        sb.request_join(bea, shared.link)
        await club.settle()
        asked = len(_texts(club, bea))
        # Telegram's front end fails the approval and every network retry of it.
        sb.faults.fail_next("approveChatJoinRequest", status=502, times=5)
        sb.send_text(bea, bea, code)
        await club.settle(timeout=30)
        # She is told the truth, her seat is kept and her request is still pending.
        assert _texts(club, bea)[asked:] == [_texts(club, bea)[-1]]
        assert KEPT in _texts(club, bea)[-1]
        assert (await _states(club))[bea.id] == "reserved"
        assert len(sb.pending_join_requests(club.group)) == 1

        await club.restart()  # nothing of this lives only in memory
        await club.advance(timedelta(minutes=2))
        assert sb.member_status(club.group, bea) == "member"
        assert sb.pending_join_requests(club.group) == []
        assert (await _states(club))[bea.id] == "member"
        await club.advance(PAST_A_RESERVATION)
        assert (await _states(club))[bea.id] == "member"
        assert any(WELCOME in t for t in _texts(club, bea))
        assert not any(EXPIRED in t for t in _texts(club, bea))
