"""Launch waves and raids through the sandbox: who is asked, who gets in, who is told."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.gate.service import GateService
from bot.gate.waves import Mode
from bot.sandbox import Sandbox, SimUser

MODERATOR_ID = 2**32 + 4_401
ASK = "reply with your invite code"


def gate_of(club: SimulatedClub) -> GateService:
    return club.features.gate


def texts_to(sb: Sandbox, user: SimUser) -> list[str]:
    return [m.text or "" for m in sb.bot_messages(user)]


def was_asked(sb: Sandbox, user: SimUser) -> bool:
    return any(ASK in text for text in texts_to(sb, user))


def record_ask_order(gate: GateService) -> list[int]:
    """Who the bot decided to ask, in order. (Concurrent HTTP requests may reach the sandbox
    in a slightly different order than they were started, so its log cannot tell.)"""
    order: list[int] = []
    decide = gate.asker.policy.asked

    def asked(user_id: int, now: int) -> None:
        order.append(user_id)
        decide(user_id, now)

    gate.asker.policy.asked = asked  # type: ignore[method-assign]
    return order


async def test_a_wave_is_asked_in_arrival_order_and_everyone_gets_in(tmp_path: Path) -> None:
    fans_n = 40  # more than the first ask window (15): later fans wait for answers
    async with simulated_club(tmp_path / "club.db", community={"max_members": 100}) as club:
        sb = club.sandbox
        sb.rate_limits(True)
        gate = gate_of(club)
        (code,) = await gate.create_codes(1, fans_n, "launch", None, None)
        order = record_ask_order(gate)
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        fans = [sb.create_user(f"Fan{i}") for i in range(fans_n)]
        for fan in fans:
            sb.request_join(fan, shared.link)
        answered: set[int] = set()
        for _ in range(20):  # rounds: everyone asked so far answers, which opens the window
            await club.settle(timeout=30)
            ready = [f for f in fans if f.id not in answered and was_asked(sb, f)]
            if not ready:
                break
            for fan in ready:
                sb.send_text(fan, fan, code)
                answered.add(fan.id)
        await club.settle(timeout=30)
        assert order == [fan.id for fan in fans]
        assert all(sb.member_status(club.group, fan) == "member" for fan in fans)
        assert all("The rules" in texts_to(sb, fan)[-1] for fan in fans)
        # One question and one welcome each: no consent round trip for requesters.
        assert all(len(texts_to(sb, fan)) == 2 for fan in fans)
        assert sb.bot_messages(club.group) == []
        assert sb.rate_violations == []
        assert gate.asker.mode is Mode.WAVE


async def test_a_raid_costs_few_messages_and_moderators_hear_once(tmp_path: Path) -> None:
    raiders_n = 60
    async with simulated_club(
        tmp_path / "club.db", telegram={"moderators": [MODERATOR_ID]}
    ) as club:
        sb = club.sandbox
        sb.rate_limits(True)
        moderator = sb.create_user("Mo", user_id=MODERATOR_ID)
        sb.start_bot(moderator)
        await club.settle()
        gate = gate_of(club)
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        raiders = [sb.create_user("Free Stuff") for _ in range(raiders_n)]
        for raider in raiders:
            sb.request_join(raider, shared.link)
        await club.settle(timeout=30)
        asked_first = sum(was_asked(sb, r) for r in raiders)
        assert asked_first == club.services.settings.gate.ask_window
        # Nobody answers: after the silence window it is a raid.
        await club.advance(timedelta(seconds=31))
        assert gate.asker.mode is Mode.RAID
        raid_notes = [t for t in texts_to(sb, moderator) if "raid" in t.lower()]
        assert len(raid_notes) == 1 and "n = 15" in raid_notes[0]
        for _ in range(6):  # the rest of everyone's 5 minutes, a minute at a time
            await club.advance(timedelta(minutes=1))
        assert sb.pending_join_requests(club.group) == []
        to_raiders = [
            r
            for r in sb.requests
            if r.method == "sendMessage" and int(str(r.params["chat_id"])) != MODERATOR_ID
        ]
        settings = club.services.settings.gate
        assert len(to_raiders) <= settings.ask_window + settings.raid_probe_dms
        assert not any(r.method == "approveChatJoinRequest" for r in sb.requests)
        assert sb.bot_messages(club.group) == []
        assert all(sb.member_status(club.group, r) != "member" for r in raiders)
        # Quiet declines: no "didn't get a code" message to any raider.
        assert not any("in time" in t for r in raiders for t in texts_to(sb, r))
        assert gate.asker.counts.unasked_declined == raiders_n - len(to_raiders)
        assert len([t for t in texts_to(sb, moderator) if "raid" in t.lower()]) == 1
        assert sb.rate_violations == []


async def test_unasked_in_a_raid_loses_nothing_and_valid_codes_end_the_raid(
    tmp_path: Path,
) -> None:
    async with simulated_club(
        tmp_path / "club.db",
        telegram={"moderators": [MODERATOR_ID]},
        gate={"ask_window": 10, "raid_min_outcomes": 10, "raid_resume_valid": 2},
    ) as club:
        sb = club.sandbox
        moderator = sb.create_user("Mo", user_id=MODERATOR_ID)
        sb.start_bot(moderator)
        gate = gate_of(club)
        codes = await gate.create_codes(3, 1, "flyer", None, None)
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        for i in range(12):
            sb.request_join(sb.create_user(f"Bot{i}"), shared.link)
        await club.settle()
        await club.advance(timedelta(seconds=31))
        assert gate.asker.mode is Mode.RAID
        # Ines and Jo arrive during the raid: not asked. Ines waits; her request runs out.
        ines, jo = sb.create_user("Ines"), sb.create_user("Jo")
        sb.request_join(ines, shared.link)
        sb.request_join(jo, shared.link)
        await club.settle()
        assert not was_asked(sb, ines) and not was_asked(sb, jo)
        await club.advance(timedelta(minutes=5))
        assert sb.member_status(club.group, ines) == "left"
        assert texts_to(sb, ines) == []  # declined quietly
        # Her code was not used: it still gets her in.
        sb.start_bot(ines, codes[0])
        await club.settle()
        assert "Your code is valid" in texts_to(sb, ines)[-1]
        # Two more people send valid codes unasked while requesting: the raid is over.
        for name, code in (("Kai", codes[1]), ("Lu", codes[2])):
            person = sb.create_user(name)
            sb.request_join(person, shared.link)
            await club.settle()
            sb.send_text(person, person, f"/join {code}")
            await club.settle()
        assert gate.asker.mode is Mode.WAVE
        notes = texts_to(sb, moderator)
        assert sum("raid" in t.lower() for t in notes) == 1
        assert "asking everyone" in notes[-1]


async def test_the_ask_queue_survives_a_restart(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", gate={"ask_window": 1}) as club:
        sb = club.sandbox
        (code,) = await gate_of(club).create_codes(1, 5, "flyer", None, None)
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        first, second = sb.create_user("First"), sb.create_user("Second")
        sb.request_join(first, shared.link)
        sb.request_join(second, shared.link)
        await club.settle()
        assert was_asked(sb, first) and not was_asked(sb, second)
        await club.restart()
        sb.send_text(first, first, code)
        await club.settle()
        assert sb.member_status(club.group, first) == "member"
        # The second requester's turn came after the restart, from the queue in SQLite.
        assert was_asked(sb, second)
        sb.send_text(second, second, code)
        await club.settle()
        assert sb.member_status(club.group, second) == "member"


async def test_a_full_club_puts_an_answering_requester_on_the_waitlist(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", community={"max_members": 1}) as club:
        sb = club.sandbox
        gate = gate_of(club)
        first, second = await gate.create_codes(2, 1, "flyer", None, None)
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        ada, bo = sb.create_user("Ada"), sb.create_user("Bo")
        for person, code in ((ada, first), (bo, second)):
            sb.request_join(person, shared.link)
            await club.settle()
            assert was_asked(sb, person)
            sb.send_text(person, person, code)
            await club.settle()
        assert sb.member_status(club.group, ada) == "member"
        # Bo's code still counts for him: he waits in line, his request is declined.
        assert sb.member_status(club.group, bo) != "member"
        assert sb.pending_join_requests(club.group) == []
        assert "number 1 in line" in texts_to(sb, bo)[-1]
        seat = await gate.repo.seat(bo.id)
        assert seat is not None and seat.state == "waiting" and seat.consent_at is not None
