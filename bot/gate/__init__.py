"""The invite-code gate and the seat ledger (issue #3).

Public for other features:
  * ``member_ids(db)`` - user ids of current members (for teasers and broadcasts);
  * ``is_member(db, user_id)`` - is this person a current member?
  * ``register`` / ``COMMANDS`` - wiring for bot.app.
"""

from __future__ import annotations

from bot.db import Database
from bot.gate.handlers import COMMANDS, register
from bot.gate.repo import GateRepository


async def member_ids(db: Database) -> list[int]:
    """Current members (joined with a seat and still in the group), by user id."""
    return await GateRepository(db).member_ids()


async def is_member(db: Database, user_id: int) -> bool:
    return await GateRepository(db).is_member(user_id)


__all__ = ["COMMANDS", "is_member", "member_ids", "register"]
