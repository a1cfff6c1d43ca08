"""The gate's vocabulary: seat states, code statuses and the ledger's event kinds.

Each is a ``StrEnum`` whose values are the strings stored in the database
(migrations/0002_gate.sql), so a row reads back as a member and compares equal to its text.
"""

from __future__ import annotations

from enum import StrEnum


class SeatState(StrEnum):
    """Where a person stands in the seat ledger (``gate_seats.state``)."""

    WAITING = "waiting"  # on the waitlist, no seat
    RESERVED = "reserved"  # a seat held for them, with a personal link or an approval due
    MEMBER = "member"  # in the group, on a seat
    LAPSED = "lapsed"  # a reservation ran out; their redeemed code still counts
    LEFT = "left"  # left or was removed; the seat is kept only if the club says so
    BANNED = "banned"  # banned by a moderator; a code cannot bring them back


class CodeStatus(StrEnum):
    """What an invite code can still do at a given moment."""

    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"
    USED_UP = "used up"


class LedgerEvent(StrEnum):
    """Why a row was written to ``gate_events`` (the digest and /members count these)."""

    WAITLISTED = "waitlisted"
    PROMOTED = "promoted"
    JOINED = "joined"
    EXPIRED = "expired"
    LEFT = "left"
    REMOVED = "removed"
    BANNED = "banned"
    KICKED = "kicked"
    UNBANNED = "unbanned"
    ERASED = "erased"
    TURNED_AWAY = "turned_away"
    DECLINED = "declined"
    DECLINED_UNASKED = "declined_unasked"


class Via(StrEnum):
    """How a seat holder gets (or got) into the group (``gate_seats.via``)."""

    LINK = "link"  # a personal invite link
    REQUEST = "request"  # an approved join request
    ADMIN = "admin"  # added by an admin, or let in while the gate is not strict


class AskOutcome(StrEnum):
    """How a join-requester answered the DM asking for their code (``gate_asks.outcome``)."""

    VALID = "valid"  # sent a code that seated them
    WRONG = "wrong"  # sent something that is not a valid code
    SILENT = "silent"  # said nothing before the ask's window closed
