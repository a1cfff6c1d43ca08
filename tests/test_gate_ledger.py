"""The seat state machine as a table: every move from every place a person can stand.

The expectations are written out by hand from the gate's rules (README, "For members:
getting in"; docs/gate.md), not derived from the code, so a changed rule fails here.
"""

from __future__ import annotations

import itertools

import pytest

from bot.gate.ledger import Move, Position, Transition, Verdict, transition
from bot.gate.states import SeatState

S = SeatState
STRANGER = None  # not in the ledger
WAITING = Position(S.WAITING, False)
RESERVED = Position(S.RESERVED, True)
MEMBER = Position(S.MEMBER, True)
LAPSED = Position(S.LAPSED, False)
LEFT_KEPT = Position(S.LEFT, True)  # left while gate.free_seat_on_leave = false
LEFT = Position(S.LEFT, False)
BANNED = Position(S.BANNED, False)

PLACES: dict[str, Position | None] = {
    "stranger": STRANGER,
    "waiting": WAITING,
    "reserved": RESERVED,
    "member": MEMBER,
    "lapsed": LAPSED,
    "left_kept": LEFT_KEPT,
    "left": LEFT,
    "banned": BANNED,
}

REFUSED = "refused"
STAYED = "stayed"
GONE = "gone"  # moved out of the ledger (a stranger again)
Expected = Position | str

# (move, place) -> (expected with a free seat, expected with the club full)
TABLE: dict[tuple[Move, str], tuple[Expected, Expected]] = {}


def rule(move: Move, places: str, with_room: Expected, when_full: Expected | None = None) -> None:
    for place in places.split():
        TABLE[(move, place)] = (with_room, with_room if when_full is None else when_full)


# A code redeemed: a seat if one is free, else the waitlist; only for someone without a
# seat who is not waiting, a member or banned.
rule(Move.REDEEM, "stranger lapsed left", RESERVED, WAITING)
rule(Move.REDEEM, "waiting reserved member left_kept banned", REFUSED)
# A fresh reservation needs a seat already held, and is not for members.
rule(Move.RENEW, "reserved left_kept", RESERVED)
rule(Move.RENEW, "stranger waiting member lapsed left banned", REFUSED)
# A reservation no way in could be made for stays a reservation (its clock stopped): only a
# reservation can be held, and holding never frees the seat (tested below).
rule(Move.HOLD, "reserved", RESERVED)
rule(Move.HOLD, "stranger waiting member lapsed left_kept left banned", REFUSED)
# Joining confirms a held seat always, a lapsed holder's only if a seat is free.
rule(Move.CONFIRM, "reserved left_kept", MEMBER)
rule(Move.CONFIRM, "lapsed left", MEMBER, REFUSED)
rule(Move.CONFIRM, "member", STAYED)
rule(Move.CONFIRM, "stranger waiting banned", REFUSED)
# An admin's addition beats the cap.
rule(Move.EXEMPT, " ".join(PLACES), MEMBER)
rule(Move.EXPIRE, "reserved", LAPSED)
rule(Move.EXPIRE, "stranger waiting member lapsed left_kept left banned", REFUSED)
rule(Move.PROMOTE, "waiting", RESERVED, REFUSED)
rule(Move.PROMOTE, "stranger reserved member lapsed left_kept left banned", REFUSED)
rule(Move.LEAVE, "member reserved", LEFT)
rule(Move.LEAVE, "stranger waiting lapsed left_kept left banned", REFUSED)
rule(Move.BAN, " ".join(PLACES), BANNED)
rule(Move.KICK, "waiting reserved member lapsed left_kept left", GONE)
rule(Move.KICK, "stranger banned", STAYED)
rule(Move.UNBAN, "banned", GONE)
rule(Move.UNBAN, "stranger waiting reserved member lapsed left_kept left", REFUSED)
rule(Move.ERASE, "stranger", REFUSED)
for _place in ("waiting", "reserved", "member", "lapsed", "left_kept", "left", "banned"):
    _before = PLACES[_place]
    assert _before is not None
    rule(Move.ERASE, _place, Position(_before.state, False))


def test_the_table_covers_every_move_from_every_place() -> None:
    assert set(TABLE) == set(itertools.product(Move, PLACES))


def _check(step: Transition, before: Position | None, expected: Expected) -> None:
    assert step.before == before
    if expected == REFUSED:
        assert (step.verdict, step.after) == (Verdict.REFUSED, before)
    elif expected == STAYED:
        assert (step.verdict, step.after) == (Verdict.STAYED, before)
    elif expected == GONE:
        assert (step.verdict, step.after) == (Verdict.MOVED, None)
    else:
        assert (step.verdict, step.after) == (Verdict.MOVED, expected)


@pytest.mark.parametrize(("move", "place"), sorted(TABLE))
def test_each_move_from_each_place(move: Move, place: str) -> None:
    with_room, when_full = TABLE[(move, place)]
    before = PLACES[place]
    _check(transition(before, move, room=True), before, with_room)
    _check(transition(before, move, room=False), before, when_full)


def test_a_leaver_keeps_the_seat_only_when_the_club_says_so() -> None:
    kept = transition(MEMBER, Move.LEAVE, room=False, keep_seat=True)
    freed = transition(MEMBER, Move.LEAVE, room=False, keep_seat=False)
    assert kept.after == LEFT_KEPT and not kept.frees_seat
    assert freed.after == LEFT and freed.frees_seat


@pytest.mark.parametrize(
    ("before", "move", "frees"),
    [
        (RESERVED, Move.EXPIRE, True),
        (MEMBER, Move.BAN, True),
        (WAITING, Move.BAN, False),
        (STRANGER, Move.BAN, False),
        (MEMBER, Move.KICK, True),
        (BANNED, Move.KICK, False),
        (LEFT_KEPT, Move.ERASE, True),
        (LAPSED, Move.ERASE, False),
        (RESERVED, Move.RENEW, False),
        (RESERVED, Move.HOLD, False),
        (MEMBER, Move.CONFIRM, False),
        (LAPSED, Move.REDEEM, False),
    ],
)
def test_only_a_seat_given_up_moves_the_waitlist(
    before: Position | None, move: Move, frees: bool
) -> None:
    assert transition(before, move, room=True).frees_seat is frees


def test_states_read_back_from_their_stored_text() -> None:
    # The database stores the values; rows map back to the same members.
    assert [SeatState(s.value) for s in SeatState] == list(SeatState)
    assert SeatState("waiting") is SeatState.WAITING and SeatState.MEMBER == "member"
