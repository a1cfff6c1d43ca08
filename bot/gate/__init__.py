"""The invite-code gate and the seat ledger (issue #3).

Public for other features:
  * ``member_ids(db)`` - user ids of current members (for teasers and broadcasts);
  * ``is_member(db, user_id)`` - is this person a current member?
  * ``had_notice(db, user_id)`` - was this person shown a consent notice of this club (an
    Accept under it may come)?
  * ``holds_code(gate, typed)`` - is this typed code one of this club's (routing a code)?
  * ``seat_of(db, user_id)`` - their place in the seat ledger (a ``SeatState``, campaign,
    join time);
  * ``in_chat(member)`` - does this chat member status mean "in the group" (a muted member
    is; a restricted non-member is not)?
  * ``prepare_code`` / ``tx_store_code`` / ``tx_revoke_code`` - codes issued by another
    feature (referral invites) that then follow every rule of the gate;
  * ``GateService`` - one club's gate (``expect_kick(user_id)``: say a moderator's ban +
    unban is a kick); ``build_gate(services, links)`` builds it with its jobs and hooks;
  * ``members_section`` - the digest's section;
  * ``label_text(label, tr)`` - a campaign label as a person reads it (the bot's own labels,
    "added by admin" and "no code", in the reader's language).
Handlers: ``bot.gate.handlers``.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.core.services import Services
from bot.db import Database
from bot.gate import codes as codebook
from bot.gate.digest import members_section
from bot.gate.membership import in_chat, label_text
from bot.gate.repo import Code, GateRepository, Seat
from bot.gate.service import GateService
from bot.gate.states import SeatState
from bot.links import LinkService


def build_gate(services: Services, links: LinkService) -> GateService:
    gate = GateService(services, links)
    # An erased person: their seat goes back to the club, a ban is kept, memory cleared.
    services.erasure.register("gate", gate.membership)
    services.scheduler.add("gate:reservations", gate.expire_reservations)
    # Seats held because no invite link could be made: tried again (bot/gate/admission.py).
    services.scheduler.add("gate:held_seats", gate.retry_held)
    services.scheduler.add("gate:join_requests", gate.expire_join_requests)
    services.scheduler.add("gate:waves", gate.asker.tick)

    async def start_up() -> None:
        await gate.load()
        await gate.reconcile()

    services.hooks.on_startup(start_up)
    return gate


async def member_ids(db: Database) -> list[int]:
    """Current members (joined with a seat and still in the group), by user id."""
    return await GateRepository(db).member_ids()


async def is_member(db: Database, user_id: int) -> bool:
    return await GateRepository(db).is_member(user_id)


async def had_notice(db: Database, user_id: int) -> bool:
    return await GateRepository(db).has_attempt(user_id)


async def seat_of(db: Database, user_id: int) -> Seat | None:
    return await GateRepository(db).seat(user_id)


async def holds_code(gate: GateService, typed: str) -> bool:
    """Is ``typed`` one of this club's codes (in any state)? It tells a code's club apart."""
    normalized = codebook.normalize_code(typed)
    if normalized is None:
        return False
    code_hash = codebook.hash_code(normalized, await gate.key())
    return await gate.repo.code_by_hash(code_hash) is not None


async def code_of(db: Database, code_id: int) -> Code | None:
    return await GateRepository(db).code_by_id(code_id)


@dataclass(frozen=True, slots=True)
class PreparedCode:
    """A fresh code: the clear form is for the person, only the hash is ever stored."""

    code: str
    code_hash: str


async def prepare_code(gate: GateService) -> PreparedCode:
    """Make a code and its hash; call before the transaction that stores it (the key may be
    written once, in a transaction of its own)."""
    key = await gate.key()
    code = codebook.generate_code()
    return PreparedCode(code, codebook.hash_code(codebook.normalize_code(code) or "", key))


async def tx_store_code(
    conn: aiosqlite.Connection,
    db: Database,
    prepared: PreparedCode,
    *,
    label: str,
    uses: int,
    expires_at: int | None,
    now: int,
) -> int:
    """Inside the caller's transaction: store the code; returns its id (see /codes)."""
    return await GateRepository(db).tx_insert_code(
        conn, prepared.code_hash, label, uses, expires_at, now
    )


async def tx_revoke_code(conn: aiosqlite.Connection, db: Database, code_id: int, now: int) -> None:
    await GateRepository(db).tx_revoke_code(conn, code_id, now)


__all__ = [
    "Code",
    "GateService",
    "PreparedCode",
    "Seat",
    "SeatState",
    "build_gate",
    "code_of",
    "had_notice",
    "holds_code",
    "in_chat",
    "is_member",
    "label_text",
    "member_ids",
    "members_section",
    "prepare_code",
    "seat_of",
    "tx_revoke_code",
    "tx_store_code",
]
