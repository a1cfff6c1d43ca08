"""The invite-code gate and the seat ledger (issue #3).

Public for other features:
  * ``member_ids(db)`` - user ids of current members (for teasers and broadcasts);
  * ``is_member(db, user_id)`` - is this person a current member?
  * ``expect_kick(services, user_id)`` - say a moderator's ban + unban is a kick;
  * ``register`` / ``COMMANDS`` - wiring for bot.app.
"""

from __future__ import annotations

import contextlib

from bot.db import Database
from bot.gate.handlers import COMMANDS, register
from bot.gate.repo import GateRepository
from bot.gate.service import GateService
from bot.services import Services


def expect_kick(services: Services, user_id: int) -> None:
    """A moderator is about to kick ``user_id``: the gate records a kick, frees the seat, and
    the person needs a new code to come back."""
    with contextlib.suppress(LookupError):  # a bot wired without the gate
        services.feature("gate", GateService).expect_kick(user_id)


async def member_ids(db: Database) -> list[int]:
    """Current members (joined with a seat and still in the group), by user id."""
    return await GateRepository(db).member_ids()


async def is_member(db: Database, user_id: int) -> bool:
    return await GateRepository(db).is_member(user_id)


__all__ = ["COMMANDS", "expect_kick", "is_member", "member_ids", "register"]
