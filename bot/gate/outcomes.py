"""What the gate's admission answers a person, as values (bot/gate/texts.py words them).

Control flow branches on ``Outcome.kind``, never on the sentence a person will read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.gate.states import CodeStatus


class Answer(StrEnum):
    SILENT = "silent"  # a join request approved: the welcome after the join says it all
    LOCKED_OUT = "locked_out"  # too many wrong codes; ``until`` is the lock-out's end
    BANNED = "banned"  # a code cannot bring back someone the moderators removed
    ALREADY_MEMBER = "already_member"
    ALREADY_IN = "already_in"  # Telegram says they are in the group already
    ON_WAITLIST = "on_waitlist"  # asked again while waiting; ``position``
    WAITLISTED = "waitlisted"  # just put on the waitlist; ``position``
    LINK = "link"  # a seat is reserved: ``link`` until ``until``
    APPROVED = "approved"  # their join request is approved
    HOW_TO_SEND = "how_to_send"  # no code given
    NOT_A_CODE = "not_a_code"  # a wrong try: ``tries_left``, or ``until`` when locked out
    UNKNOWN_CODE = "unknown_code"  # a wrong try, as above
    CODE_UNUSABLE = "code_unusable"  # ``code_status``: revoked, expired or used up
    CODE_GONE = "code_gone"  # the code was deleted between the notice and the Accept
    CONSENT = "consent"  # the storage notice with an Accept button for ``attempt_id``
    NOT_YOURS = "not_yours"  # someone else's Accept button
    NOTICE_EXPIRED = "notice_expired"
    ALREADY_ACCEPTED = "already_accepted"
    RESERVATION_ENDED = "reservation_ended"
    SEAT_HELD = "seat_held"  # no link could be made yet: the seat is kept, the link follows
    SEND_CODE = "send_code"  # nothing in the ledger to go on: send a code


WAITLIST_ANSWERS = frozenset({Answer.ON_WAITLIST, Answer.WAITLISTED})


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Answer
    attempt_id: int | None = None
    link: str | None = None
    until: int | None = None
    position: int | None = None
    tries_left: int | None = None
    code_status: CodeStatus | None = None


class SeatNews(StrEnum):
    """Why a seat is offered in a private message rather than as an answer."""

    FREED = "freed"  # moved up from the waitlist
    REPLACED = "replaced"  # their personal link was used by someone else, so it was replaced
    READY = "ready"  # a held seat (no link could be made before) has its way in now


@dataclass(frozen=True, slots=True)
class MembersSummary:
    """/members: the seats and the waitlist now, and joins per campaign lately."""

    max_members: int
    seats_taken: int
    members: int
    reserved: int
    waiting: int
    joins_by_label: list[tuple[str, int]] = field(default_factory=list)
