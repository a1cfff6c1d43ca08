"""The gate's records: one frozen dataclass per row shape the gate reads.

Field names are the column names (``bot.db.rows`` maps by name and checks they match), and
columns that hold a state are typed with the StrEnum from ``bot.gate.states``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.gate.states import AskOutcome, CodeStatus, SeatState, Via


@dataclass(frozen=True, slots=True)
class Code:
    """An invitation code (``gate_codes`` without its hash, which never leaves the repo)."""

    id: int
    label: str
    max_uses: int
    uses: int
    expires_at: int | None
    created_at: int
    created_by: int | None
    revoked_at: int | None

    @property
    def uses_left(self) -> int:
        return self.max_uses - self.uses

    def status(self, now: int) -> CodeStatus:
        if self.revoked_at is not None:
            return CodeStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return CodeStatus.EXPIRED
        if self.uses >= self.max_uses:
            return CodeStatus.USED_UP
        return CodeStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Seat:
    """One person's place in the seat ledger (``gate_seats`` without ``updated_at``)."""

    user_id: int
    code_id: int | None
    label: str
    state: SeatState
    seat: bool
    consent_at: int | None
    redeemed_at: int
    queue_no: int | None
    reserved_until: int | None
    invite_link: str | None
    via: Via | None
    joined_at: int | None
    left_at: int | None


@dataclass(frozen=True, slots=True)
class Attempt:
    """A valid code waiting for its owner to accept the consent notice."""

    id: int
    user_id: int
    code_id: int
    created_at: int
    done_at: int | None


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """A join request on the shared link, waiting for the requester's code."""

    user_id: int
    chat_id: int
    requested_at: int
    deadline: int
    asked: bool


@dataclass(frozen=True, slots=True)
class LedgerCounts:
    seats_taken: int
    members: int
    reserved: int
    waiting: int


@dataclass(frozen=True, slots=True)
class QueuedRequest:
    """A join request not asked yet: the launch-wave queue, rebuilt after a restart."""

    user_id: int
    requested_at: int
    deadline: int


@dataclass(frozen=True, slots=True)
class AskRecord:
    """One ask of a join-requester and how it ended (None: no answer yet)."""

    user_id: int
    asked_at: int
    outcome: AskOutcome | None
