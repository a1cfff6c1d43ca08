"""The seat ledger: who holds one of the club's seats, who waits, and every move between.

``transition`` is the whole state machine as a pure function: given where a person stands
and what happened, it says where they stand next, or refuses. ``Ledger`` applies it inside
one ``BEGIN IMMEDIATE`` transaction that also counts the occupied seats, so the cap holds
however many people redeem, join and leave at once. Nothing here talks to Telegram: the
callers make their calls (links, approvals, messages) after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import aiosqlite

from bot.config import Settings
from bot.db import Database
from bot.gate.records import Seat
from bot.gate.repo import GateRepository
from bot.gate.states import LedgerEvent, SeatState, Via

ERASED_PERSON = 0  # the user id an erased person's ledger events are kept under


class Move(StrEnum):
    """What happened to a person, as far as the ledger cares."""

    REDEEM = "redeem"  # a code redeemed, or a holder without a seat asks again
    RENEW = "renew"  # a seat already held gets a fresh reservation (a new personal link)
    HOLD = "hold"  # no way in could be made (no right, Telegram down): kept, clock stopped
    CONFIRM = "confirm"  # Telegram says they are in the group
    EXEMPT = "exempt"  # added by an admin, or joined while the gate is not strict
    EXPIRE = "expire"  # a reservation ran out unused
    PROMOTE = "promote"  # a freed seat goes to the front of the waitlist
    LEAVE = "leave"  # left, or removed by someone other than a moderator's ban
    BAN = "ban"
    KICK = "kick"  # a moderator's ban + unban: out, and a new code needed to return
    UNBAN = "unban"
    ERASE = "erase"  # /forgetme: the seat goes back now, the row is swept next


class Verdict(StrEnum):
    MOVED = "moved"
    STAYED = "stayed"  # already where the move leads (e.g. a second update for one join)
    REFUSED = "refused"  # the move does not apply from here; nothing is written


@dataclass(frozen=True, slots=True)
class Position:
    """Where a person stands: a state, and whether it holds one of the counted seats."""

    state: SeatState
    seat: bool


@dataclass(frozen=True, slots=True)
class Transition:
    verdict: Verdict
    before: Position | None
    after: Position | None  # None: not in the ledger (a stranger to the gate again)

    @property
    def frees_seat(self) -> bool:
        """A seat went back to the club, so the waitlist may move up."""
        held = self.before is not None and self.before.seat
        return held and (self.after is None or not self.after.seat)


_SEATED = Position(SeatState.RESERVED, True)
_WAITING = Position(SeatState.WAITING, False)
_MEMBER = Position(SeatState.MEMBER, True)


def transition(
    before: Position | None, move: Move, *, room: bool, keep_seat: bool = False
) -> Transition:
    """The seat state machine. ``room``: a seat is free now; ``keep_seat``: a leaver keeps
    theirs (``gate.free_seat_on_leave = false``)."""
    state = before.state if before else None
    held = before is not None and before.seat

    def to(after: Position | None) -> Transition:
        return Transition(Verdict.MOVED, before, after)

    refused = Transition(Verdict.REFUSED, before, before)
    stayed = Transition(Verdict.STAYED, before, before)
    match move:
        case Move.REDEEM:
            if state is None or (state in (SeatState.LAPSED, SeatState.LEFT) and not held):
                return to(_SEATED if room else _WAITING)
        case Move.RENEW:
            if held and state in (SeatState.RESERVED, SeatState.LEFT):
                return to(_SEATED)
        case Move.HOLD:
            # The seat stays theirs and nobody else moves up: a failure on our side must not
            # use up the waitlist. Their reservation's clock restarts once a way in is made.
            if held and state is SeatState.RESERVED:
                return to(_SEATED)
        case Move.CONFIRM:
            if state is SeatState.MEMBER:
                return stayed
            if state not in (None, SeatState.BANNED, SeatState.WAITING) and (held or room):
                return to(_MEMBER)
        case Move.EXEMPT:
            # An admin's word beats the cap: the count may go over, and the log says so.
            return to(_MEMBER)
        case Move.EXPIRE:
            if state is SeatState.RESERVED:
                return to(Position(SeatState.LAPSED, False))
        case Move.PROMOTE:
            if state is SeatState.WAITING and room:
                return to(_SEATED)
        case Move.LEAVE:
            if state in (SeatState.MEMBER, SeatState.RESERVED):
                return to(Position(SeatState.LEFT, keep_seat))
        case Move.BAN:
            return to(Position(SeatState.BANNED, False))
        case Move.KICK:
            # A ban stays a ban; anyone else becomes a stranger who needs a new code.
            if state in (None, SeatState.BANNED):
                return stayed
            return to(None)
        case Move.UNBAN:
            if state is SeatState.BANNED:
                return to(None)
        case Move.ERASE:
            if before is not None:
                return to(Position(before.state, False))
    return refused


def position(seat: Seat | None) -> Position | None:
    return Position(seat.state, seat.seat) if seat is not None else None


@dataclass(frozen=True, slots=True)
class Applied:
    """A transition as written: the row before it, and who moved up from the waitlist."""

    transition: Transition
    seat: Seat | None
    promoted: tuple[int, ...] = ()

    @property
    def moved(self) -> bool:
        return self.transition.verdict is Verdict.MOVED


class Ledger:
    """Writes transitions; each public method is one transaction, ``tx_*`` join the caller's."""

    def __init__(self, db: Database, repo: GateRepository, settings: Settings) -> None:
        self.db = db
        self.repo = repo
        self.settings = settings

    @property
    def reservation(self) -> int:
        return self.settings.gate.reservation_minutes * 60

    async def _room(self, conn: aiosqlite.Connection) -> bool:
        taken = await self.repo.tx_seats_taken(conn)
        return taken < self.settings.community.max_members

    async def tx_redeem(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        *,
        code_id: int | None,
        label: str,
        now: int,
        consent_at: int | None,
    ) -> Transition:
        """A seat if one is free, else the end of the waitlist."""
        before = position(await self.repo.tx_seat(conn, user_id))
        step = transition(before, Move.REDEEM, room=await self._room(conn))
        if step.after == _SEATED:
            await self.repo.tx_upsert_seat(
                conn,
                user_id=user_id,
                code_id=code_id,
                label=label,
                state=SeatState.RESERVED,
                seat=True,
                now=now,
                consent_at=consent_at,
                reserved_until=now + self.reservation,
                via=Via.LINK,
            )
        elif step.verdict is Verdict.MOVED:
            await self.repo.tx_upsert_seat(
                conn,
                user_id=user_id,
                code_id=code_id,
                label=label,
                state=SeatState.WAITING,
                seat=False,
                now=now,
                consent_at=consent_at,
                queue_no=await self.repo.tx_next_queue_no(conn),
            )
            await self.repo.tx_event(conn, user_id, LedgerEvent.WAITLISTED, label, now)
        return step

    async def tx_renew(self, conn: aiosqlite.Connection, user_id: int, now: int) -> Transition:
        """Their seat is still theirs (kept on leave, or reserved): a fresh reservation."""
        step = transition(position(await self.repo.tx_seat(conn, user_id)), Move.RENEW, room=False)
        if step.verdict is Verdict.MOVED:
            await self.repo.tx_set_state(
                conn,
                user_id,
                SeatState.RESERVED,
                True,
                now,
                reserved_until=now + self.reservation,
            )
        return step

    async def hold(self, user_id: int, now: int, via: Via) -> Applied:
        """A reservation with no way in yet: kept, without a link or a deadline
        (``reserved_until`` NULL), until a later try delivers one (Admission.retry_held).
        ``via``: what that try is, approving their join request or a personal link."""
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            step = transition(position(seat), Move.HOLD, room=False)
            if step.verdict is Verdict.MOVED:
                await self.repo.tx_set_state(
                    conn, user_id, SeatState.RESERVED, True, now, clear_link=True, via=via
                )
        return Applied(step, seat)

    async def confirm(self, user_id: int, link: str | None, now: int) -> Applied:
        """They are in the group: the seat becomes theirs if they hold one or one is free."""
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            before = position(seat)
            # Counting seats is needed only for someone without one (a lapsed holder).
            room = before is not None and not before.seat and await self._room(conn)
            step = transition(before, Move.CONFIRM, room=room)
            if step.verdict is Verdict.MOVED and seat is not None:
                await self.repo.tx_set_state(
                    conn,
                    user_id,
                    SeatState.MEMBER,
                    True,
                    now,
                    joined_at=now,
                    clear_link=True,
                    via=Via.REQUEST if link is None or link != seat.invite_link else None,
                )
                await self.repo.tx_event(conn, user_id, LedgerEvent.JOINED, seat.label, now)
        return Applied(step, seat)

    async def exempt(self, user_id: int, label: str, now: int) -> int:
        """A member without a code (see Move.EXEMPT); returns the seats taken before."""
        async with self.db.transaction() as conn:
            taken = await self.repo.tx_seats_taken(conn)
            await self.repo.tx_upsert_seat(
                conn,
                user_id=user_id,
                code_id=None,
                label=label,
                state=SeatState.MEMBER,
                seat=True,
                now=now,
                via=Via.ADMIN,
                joined_at=now,
            )
            await self.repo.tx_event(conn, user_id, LedgerEvent.JOINED, label, now)
        return taken

    async def renew(self, user_id: int, old_link: str | None, now: int) -> Transition:
        """A personal link used by someone else: the owner's seat gets a fresh reservation."""
        async with self.db.transaction() as conn:
            if old_link:
                await self.repo.tx_clear_link(conn, old_link)
            return await self.tx_renew(conn, user_id, now)

    async def expire(self, user_id: int, now: int) -> Applied:
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            step = transition(position(seat), Move.EXPIRE, room=False)
            if step.verdict is not Verdict.MOVED or seat is None:
                return Applied(step, seat)
            await self.repo.tx_set_state(conn, user_id, SeatState.LAPSED, False, now)
            await self.repo.tx_event(conn, user_id, LedgerEvent.EXPIRED, seat.label, now)
            return Applied(step, seat, await self.tx_promote(conn, now))

    async def leave(self, user_id: int, *, removed: bool, keep_seat: bool, now: int) -> Applied:
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            step = transition(position(seat), Move.LEAVE, room=False, keep_seat=keep_seat)
            if step.verdict is not Verdict.MOVED or seat is None:
                return Applied(step, seat)
            await self.repo.tx_set_state(
                conn, user_id, SeatState.LEFT, keep_seat, now, left_at=now, clear_link=True
            )
            kind = LedgerEvent.REMOVED if removed else LedgerEvent.LEFT
            await self.repo.tx_event(conn, user_id, kind, seat.label, now)
            return Applied(step, seat, await self._promote_if_freed(conn, step, now))

    async def ban(self, user_id: int, now: int) -> Applied:
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            step = transition(position(seat), Move.BAN, room=False)
            if seat is None:
                await self.repo.tx_upsert_seat(
                    conn,
                    user_id=user_id,
                    code_id=None,
                    label="",
                    state=SeatState.BANNED,
                    seat=False,
                    now=now,
                )
            else:
                await self.repo.tx_set_state(
                    conn, user_id, SeatState.BANNED, False, now, left_at=now, clear_link=True
                )
            label = seat.label if seat else None
            await self.repo.tx_event(conn, user_id, LedgerEvent.BANNED, label, now)
            return Applied(step, seat, await self._promote_if_freed(conn, step, now))

    async def kick(self, user_id: int, now: int) -> Applied:
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            step = transition(position(seat), Move.KICK, room=False)
            label = seat.label if seat else None
            # The kick is recorded even for a stranger: a moderator did act.
            await self.repo.tx_event(conn, user_id, LedgerEvent.KICKED, label, now)
            if step.verdict is Verdict.MOVED:
                await self.repo.tx_delete_seat(conn, user_id, now)
            return Applied(step, seat, await self._promote_if_freed(conn, step, now))

    async def unban(self, user_id: int, now: int) -> Applied:
        async with self.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            step = transition(position(seat), Move.UNBAN, room=False)
            if step.verdict is Verdict.MOVED and seat is not None:
                await self.repo.tx_delete_seat(conn, user_id, now)
                await self.repo.tx_event(conn, user_id, LedgerEvent.UNBANNED, seat.label, now)
            return Applied(step, seat)

    async def tx_erase(self, conn: aiosqlite.Connection, user_id: int, now: int) -> Applied:
        """Inside the erasure: the seat goes back now; the erasure's sweep deletes the row."""
        # The day's joins and leaves are counts of events, not of people: the person's events
        # stay, under no one's id, so a past day's figures do not change when they go.
        await self.repo.tx_reassign_events(conn, user_id, ERASED_PERSON)
        seat = await self.repo.tx_seat(conn, user_id)
        step = transition(position(seat), Move.ERASE, room=False)
        if step.verdict is not Verdict.MOVED or seat is None:
            return Applied(step, seat)
        if seat.state is SeatState.MEMBER:
            # A member leaves by erasure (the ledger keeps from which campaign, not who);
            # anyone else already left, or never joined, and has no leave to record.
            await self.repo.tx_event(conn, ERASED_PERSON, LedgerEvent.ERASED, seat.label, now)
        if not step.frees_seat:
            return Applied(step, seat)
        await self.repo.tx_set_state(conn, user_id, seat.state, False, now)
        return Applied(step, seat, await self.tx_promote(conn, now))

    async def _promote_if_freed(
        self, conn: aiosqlite.Connection, step: Transition, now: int
    ) -> tuple[int, ...]:
        return await self.tx_promote(conn, now) if step.frees_seat else ()

    async def tx_promote(self, conn: aiosqlite.Connection, now: int) -> tuple[int, ...]:
        """Give free seats to the front of the waitlist, as many as are free."""
        promoted: list[int] = []
        while True:
            first = await self.repo.tx_first_waiting(conn)
            if first is None:
                break
            step = transition(position(first), Move.PROMOTE, room=await self._room(conn))
            if step.verdict is not Verdict.MOVED:
                break
            await self.repo.tx_set_state(
                conn,
                first.user_id,
                SeatState.RESERVED,
                True,
                now,
                reserved_until=now + self.reservation,
                via=Via.LINK,
            )
            await self.repo.tx_event(conn, first.user_id, LedgerEvent.PROMOTED, first.label, now)
            promoted.append(first.user_id)
        return tuple(promoted)
