"""SQL for launch waves: who waits to be asked, asks and their outcomes (0009_waves.sql)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.connection import Database
from bot.gate.repo import RESERVED, Code, GateRepository


@dataclass(frozen=True, slots=True)
class QueuedRequest:
    user_id: int
    requested_at: int
    deadline: int


@dataclass(frozen=True, slots=True)
class AskRecord:
    user_id: int
    asked_at: int
    outcome: str | None


@dataclass(frozen=True, slots=True)
class Admission:
    """What one code from an asked requester did, decided in one transaction."""

    state: str | None  # RESERVED, WAITING, or None when the fast path does not apply
    problem: str | None = None  # the code's status ("used up", ...) when it cannot be used
    label: str = ""


class WavesRepository:
    def __init__(self, db: Database, gate: GateRepository) -> None:
        self.db = db
        self.gate = gate

    async def queued(self) -> list[QueuedRequest]:
        """Pending requests never asked, in arrival order (the ask queue after a restart)."""
        rows = await self.db.fetchall(
            "SELECT user_id, requested_at, deadline FROM gate_join_requests "
            "WHERE asked = 0 AND asked_at IS NULL ORDER BY requested_at, rowid"
        )
        return [QueuedRequest(int(r[0]), int(r[1]), int(r[2])) for r in rows]

    async def mark_asked(self, user_id: int, now: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE gate_join_requests SET asked = 1, asked_at = ? WHERE user_id = ?",
                (now, user_id),
            )
            await conn.execute(
                "INSERT OR IGNORE INTO gate_asks (user_id, asked_at) VALUES (?, ?)",
                (user_id, now),
            )

    async def resolve(self, user_id: int, outcome: str, now: int) -> None:
        """The open ask of this person gets its outcome (no-op if none is open)."""
        await self.db.execute(
            "UPDATE gate_asks SET outcome = ?, resolved_at = ? "
            "WHERE user_id = ? AND outcome IS NULL",
            (outcome, now, user_id),
        )

    async def mark_silent(self, cutoff: int, now: int) -> None:
        await self.db.execute(
            "UPDATE gate_asks SET outcome = 'silent', resolved_at = ? "
            "WHERE outcome IS NULL AND asked_at <= ?",
            (now, cutoff),
        )

    async def recent_asks(self, since: int) -> list[AskRecord]:
        """Asks since ``since``, in the order they were made."""
        rows = await self.db.fetchall(
            "SELECT user_id, asked_at, outcome FROM gate_asks WHERE asked_at >= ? "
            "ORDER BY asked_at, rowid",
            (since,),
        )
        return [AskRecord(int(r[0]), int(r[1]), r[2]) for r in rows]

    async def forget_asks_before(self, cutoff: int) -> int:
        return await self.db.execute("DELETE FROM gate_asks WHERE asked_at < ?", (cutoff,))

    async def admit_asked(
        self, user_id: int, code: Code, now: int, max_members: int, reservation: int
    ) -> Admission:
        """A valid code from someone we asked: one transaction takes the seat (or a waitlist
        place), uses the code, closes the request and records the answer.

        The ask carried the storage notice, and sending the code after reading it is the
        consent, so no Accept round trip is needed.
        """
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT asked FROM gate_join_requests WHERE user_id = ?", (user_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None or not row[0] or await self.gate.tx_seat(conn, user_id) is not None:
                return Admission(None)
            fresh = await self.gate.tx_code(conn, code.id)
            if fresh is None:
                return Admission(None, problem="gone")
            status = fresh.status(now)
            if status != "active":
                return Admission(None, problem=status)
            await self.gate.tx_use_code(conn, fresh.id)
            taken = await self.gate.tx_seats_taken(conn)
            if taken < max_members:
                await self.gate.tx_upsert_seat(
                    conn,
                    user_id=user_id,
                    code_id=fresh.id,
                    label=fresh.label,
                    state=RESERVED,
                    seat=True,
                    now=now,
                    consent_at=now,
                    reserved_until=now + reservation,
                    via="link",
                )
                state = RESERVED
            else:
                queue_no = await self.gate.tx_next_queue_no(conn)
                await self.gate.tx_upsert_seat(
                    conn,
                    user_id=user_id,
                    code_id=fresh.id,
                    label=fresh.label,
                    state="waiting",
                    seat=False,
                    now=now,
                    consent_at=now,
                    queue_no=queue_no,
                )
                await self.gate.tx_event(conn, user_id, "waitlisted", fresh.label, now)
                state = "waiting"
            if state == RESERVED:
                # The approval follows at once; the request row must go in the same step so
                # that the deadline sweep can never decline someone we just seated.
                await conn.execute("DELETE FROM gate_join_requests WHERE user_id = ?", (user_id,))
            await conn.execute(
                "UPDATE gate_asks SET outcome = 'valid', resolved_at = ? "
                "WHERE user_id = ? AND outcome IS NULL",
                (now, user_id),
            )
        return Admission(state, label=fresh.label)
