"""SQL for the gate: the seat ledger, consent attempts, join requests, failures.

Methods that take ``conn`` run inside a caller's ``db.transaction()`` (BEGIN IMMEDIATE), so
a seat count and the write that depends on it happen under one write lock. The others read
or write on their own.
"""

from __future__ import annotations

import aiosqlite

from bot.db import rows
from bot.db.connection import Database, fetch_one_in
from bot.gate.codes_repo import CodeRows
from bot.gate.records import Attempt, Code, LedgerCounts, PendingRequest, Seat
from bot.gate.states import LedgerEvent, SeatState, Via

__all__ = [
    "Attempt",
    "Code",
    "GateRepository",
    "LedgerCounts",
    "PendingRequest",
    "Seat",
]


# Names come from the records' fields, never from input: each SELECT lists exactly the
# columns its record maps, so a renamed column fails at the first read (see bot.db.rows).
_SEAT = f"SELECT {rows.columns(Seat)} FROM gate_seats"
_ATTEMPT = f"SELECT {rows.columns(Attempt)} FROM gate_attempts"
_REQUEST = f"SELECT {rows.columns(PendingRequest)} FROM gate_join_requests"


class GateRepository(CodeRows):
    """The gate's tables; the codes' own SQL is in CodeRows (codes_repo.py)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- the seat ledger ---------------------------------------------------------------------
    async def seat(self, user_id: int) -> Seat | None:
        row = await self.db.fetchone(_SEAT + " WHERE user_id = ?", (user_id,))
        return rows.maybe(Seat, row)

    async def tx_seat(self, conn: aiosqlite.Connection, user_id: int) -> Seat | None:
        row = await fetch_one_in(conn, _SEAT + " WHERE user_id = ?", (user_id,))
        return rows.maybe(Seat, row)

    async def seat_by_link(self, link: str) -> Seat | None:
        row = await self.db.fetchone(_SEAT + " WHERE invite_link = ?", (link,))
        return rows.maybe(Seat, row)

    async def tx_seats_taken(self, conn: aiosqlite.Connection) -> int:
        row = await fetch_one_in(conn, "SELECT COUNT(*) FROM gate_seats WHERE seat = 1", ())
        return int(row[0]) if row else 0

    async def tx_next_queue_no(self, conn: aiosqlite.Connection) -> int:
        row = await fetch_one_in(conn, "SELECT COALESCE(MAX(queue_no), 0) + 1 FROM gate_seats", ())
        return int(row[0]) if row else 1

    async def tx_first_waiting(self, conn: aiosqlite.Connection) -> Seat | None:
        row = await fetch_one_in(
            conn,
            _SEAT + " WHERE state = 'waiting' ORDER BY queue_no LIMIT 1",
            (),
        )
        return rows.maybe(Seat, row)

    async def tx_upsert_seat(
        self,
        conn: aiosqlite.Connection,
        *,
        user_id: int,
        code_id: int | None,
        label: str,
        state: SeatState,
        seat: bool,
        now: int,
        consent_at: int | None = None,
        queue_no: int | None = None,
        reserved_until: int | None = None,
        via: Via | None = None,
        joined_at: int | None = None,
    ) -> None:
        await conn.execute(
            "INSERT INTO gate_seats (user_id, code_id, label, state, seat, consent_at, "
            "redeemed_at, queue_no, reserved_until, via, joined_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET code_id = COALESCE(excluded.code_id, code_id),"
            " label = excluded.label, state = excluded.state, seat = excluded.seat,"
            " consent_at = COALESCE(consent_at, excluded.consent_at),"
            " queue_no = excluded.queue_no, reserved_until = excluded.reserved_until,"
            " via = excluded.via, joined_at = COALESCE(excluded.joined_at, joined_at),"
            " updated_at = excluded.updated_at",
            (
                user_id,
                code_id,
                label,
                state,
                int(seat),
                consent_at,
                now,
                queue_no,
                reserved_until,
                via,
                joined_at,
                now,
            ),
        )

    async def tx_set_state(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        state: SeatState,
        seat: bool,
        now: int,
        *,
        reserved_until: int | None = None,
        queue_no: int | None = None,
        joined_at: int | None = None,
        left_at: int | None = None,
        clear_link: bool = False,
        via: Via | None = None,
    ) -> None:
        await conn.execute(
            "UPDATE gate_seats SET state = ?, seat = ?, reserved_until = ?, queue_no = ?, "
            "joined_at = COALESCE(?, joined_at), left_at = COALESCE(?, left_at), "
            "invite_link = CASE WHEN ? THEN NULL ELSE invite_link END, "
            "via = COALESCE(?, via), updated_at = ? WHERE user_id = ?",
            (
                state,
                int(seat),
                reserved_until,
                queue_no,
                joined_at,
                left_at,
                int(clear_link),
                via,
                now,
                user_id,
            ),
        )

    async def set_link(self, user_id: int, link: str, until: int, now: int) -> bool:
        """Remember a reservation's personal link and its end (a held reservation's clock
        starts here); False if the reservation is gone."""
        changed = await self.db.execute(
            "UPDATE gate_seats SET invite_link = ?, reserved_until = ?, updated_at = ? "
            "WHERE user_id = ? AND state = 'reserved' AND seat = 1",
            (link, until, now, user_id),
        )
        return changed > 0

    async def tx_clear_link(self, conn: aiosqlite.Connection, link: str) -> None:
        await conn.execute(
            "UPDATE gate_seats SET invite_link = NULL WHERE invite_link = ?", (link,)
        )

    async def due_reservations(self, now: int) -> list[Seat]:
        found = await self.db.fetchall(
            _SEAT + " WHERE state = 'reserved' AND reserved_until <= ? ORDER BY reserved_until",
            (now,),
        )
        return rows.all(Seat, found)

    async def held_reservations(self) -> list[Seat]:
        """Reservations no way in could be made for yet (Ledger.hold), longest held first."""
        found = await self.db.fetchall(
            _SEAT + " WHERE state = 'reserved' AND seat = 1 AND reserved_until IS NULL "
            "ORDER BY user_id",
            (),
        )
        return rows.all(Seat, found)

    async def seats_in_state(self, state: SeatState) -> list[Seat]:
        found = await self.db.fetchall(_SEAT + " WHERE state = ? ORDER BY user_id", (state,))
        return rows.all(Seat, found)

    async def waitlist_position(self, user_id: int) -> int | None:
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM gate_seats w WHERE w.state = 'waiting' "
            "AND w.queue_no <= s.queue_no) FROM gate_seats s "
            "WHERE s.user_id = ? AND s.state = 'waiting'",
            (user_id,),
        )
        return int(row[0]) if row else None

    async def counts(self) -> LedgerCounts:
        row = await self.db.fetchone(
            "SELECT COALESCE(SUM(seat), 0), "
            "COALESCE(SUM(state = 'member'), 0), COALESCE(SUM(state = 'reserved'), 0), "
            "COALESCE(SUM(state = 'waiting'), 0) FROM gate_seats",
        )
        assert row is not None
        return LedgerCounts(int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    async def member_ids(self) -> list[int]:
        found = await self.db.fetchall(
            "SELECT user_id FROM gate_seats WHERE state = 'member' ORDER BY user_id"
        )
        return [int(row[0]) for row in found]

    async def is_member(self, user_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM gate_seats WHERE user_id = ? AND state = 'member'", (user_id,)
        )
        return row is not None

    # --- consent attempts --------------------------------------------------------------------
    async def add_attempt(self, user_id: int, code_id: int, now: int) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO gate_attempts (user_id, code_id, created_at) VALUES (?, ?, ?)",
                (user_id, code_id, now),
            )
            return int(cursor.lastrowid or 0)

    async def has_attempt(self, user_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM gate_attempts WHERE user_id = ? LIMIT 1", (user_id,)
        )
        return row is not None

    async def tx_attempt(self, conn: aiosqlite.Connection, attempt_id: int) -> Attempt | None:
        row = await fetch_one_in(conn, _ATTEMPT + " WHERE id = ?", (attempt_id,))
        return rows.maybe(Attempt, row)

    async def tx_finish_attempt(
        self, conn: aiosqlite.Connection, attempt_id: int, now: int
    ) -> None:
        await conn.execute("UPDATE gate_attempts SET done_at = ? WHERE id = ?", (now, attempt_id))

    # --- join requests -----------------------------------------------------------------------
    async def add_join_request(
        self, user_id: int, chat_id: int, requested_at: int, deadline: int, asked: bool
    ) -> None:
        await self.db.execute(
            "INSERT INTO gate_join_requests (user_id, chat_id, requested_at, deadline, asked) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
            "chat_id = excluded.chat_id, requested_at = excluded.requested_at, "
            "deadline = excluded.deadline, asked = excluded.asked",
            (user_id, chat_id, requested_at, deadline, int(asked)),
        )

    async def take_join_request(self, user_id: int) -> bool:
        """Remove a pending request; True if this call removed it (so one caller acts)."""
        return (
            await self.db.execute("DELETE FROM gate_join_requests WHERE user_id = ?", (user_id,))
            > 0
        )

    async def due_join_requests(self, now: int) -> list[PendingRequest]:
        found = await self.db.fetchall(_REQUEST + " WHERE deadline <= ? ORDER BY deadline", (now,))
        return rows.all(PendingRequest, found)

    async def pending_request_users(self) -> list[int]:
        found = await self.db.fetchall("SELECT user_id FROM gate_join_requests")
        return [int(row[0]) for row in found]

    # --- wrong codes -------------------------------------------------------------------------
    async def locked_until(self, user_id: int, now: int) -> int | None:
        row = await self.db.fetchone(
            "SELECT locked_until FROM gate_lockouts WHERE user_id = ? AND locked_until > ?",
            (user_id, now),
        )
        return int(row[0]) if row else None

    async def record_failure(
        self, user_id: int, now: int, window: int, max_failures: int, lockout: int
    ) -> tuple[int, int | None]:
        """Count a wrong code; returns (failures in the window, lock-out end if locked)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO gate_failures (user_id, at) VALUES (?, ?)", (user_id, now)
            )
            await conn.execute("DELETE FROM gate_failures WHERE at <= ?", (now - window,))
            row = await fetch_one_in(
                conn,
                "SELECT COUNT(*) FROM gate_failures WHERE user_id = ? AND at > ?",
                (user_id, now - window),
            )
            failures = int(row[0]) if row else 1
            if failures < max_failures:
                return failures, None
            until = now + lockout
            await conn.execute(
                "INSERT INTO gate_lockouts (user_id, locked_until) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET locked_until = excluded.locked_until",
                (user_id, until),
            )
            await conn.execute("DELETE FROM gate_failures WHERE user_id = ?", (user_id,))
            return failures, until

    # --- events ------------------------------------------------------------------------------
    async def tx_event(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        kind: LedgerEvent,
        label: str | None,
        now: int,
    ) -> None:
        await conn.execute(
            "INSERT INTO gate_events (user_id, kind, label, at) VALUES (?, ?, ?, ?)",
            (user_id, kind, label, now),
        )

    async def tx_reassign_events(
        self, conn: aiosqlite.Connection, user_id: int, to_user_id: int
    ) -> None:
        await conn.execute(
            "UPDATE gate_events SET user_id = ? WHERE user_id = ?", (to_user_id, user_id)
        )

    async def tx_delete_seat(self, conn: aiosqlite.Connection, user_id: int, now: int) -> None:
        """The person is a stranger to the ledger again: a new code is needed to come back.

        A member who had joined stays in their campaign's cohort as an anonymous departure
        (label, join and leave time, no id): otherwise a campaign whose recruits were kicked
        would show them as never joined, and its retention as perfect."""
        await conn.execute(
            "INSERT INTO gate_departures (label, joined_at, left_at) "
            # A member leaves now (a left_at of theirs is from an earlier stay).
            "SELECT label, joined_at, CASE WHEN state = 'member' THEN ? "
            "ELSE COALESCE(left_at, ?) END FROM gate_seats "
            "WHERE user_id = ? AND joined_at IS NOT NULL",
            (now, now, user_id),
        )
        await conn.execute("DELETE FROM gate_seats WHERE user_id = ?", (user_id,))

    # --- bans that survive erasure (keyed hashes of user ids; see migrations/0007)------------
    async def tx_ban_hash(self, conn: aiosqlite.Connection, user_hash: str, now: int) -> None:
        await conn.execute(
            "INSERT OR IGNORE INTO ban_list (user_hash, banned_at) VALUES (?, ?)",
            (user_hash, now),
        )

    async def is_ban_listed(self, user_hash: str) -> bool:
        row = await self.db.fetchone("SELECT 1 FROM ban_list WHERE user_hash = ?", (user_hash,))
        return row is not None

    async def lift_ban_hash(self, user_hash: str) -> int:
        return await self.db.execute("DELETE FROM ban_list WHERE user_hash = ?", (user_hash,))

    async def event(self, user_id: int, kind: LedgerEvent, label: str | None, now: int) -> None:
        async with self.db.transaction() as conn:
            await self.tx_event(conn, user_id, kind, label, now)

    async def joins_by_label(self, since: int, until: int) -> list[tuple[str, int]]:
        found = await self.db.fetchall(
            "SELECT COALESCE(label, ''), COUNT(*) FROM gate_events WHERE kind = 'joined' "
            "AND at >= ? AND at < ? GROUP BY 1 ORDER BY 2 DESC, 1",
            (since, until),
        )
        return [(str(row[0]), int(row[1])) for row in found]

    async def event_counts(self, since: int, until: int) -> dict[str, int]:
        found = await self.db.fetchall(
            "SELECT kind, COUNT(*) FROM gate_events WHERE at >= ? AND at < ? GROUP BY kind",
            (since, until),
        )
        return {str(row[0]): int(row[1]) for row in found}
