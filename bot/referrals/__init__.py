"""Referrals: members invite friends (/invite) and the club sees who multiplies it (issue #16).

Public for other features:
  * ``register`` / ``COMMANDS`` - wiring for bot.app;
  * ``referrals_section`` - the digest's weekly referral figures;
  * ``multipliers(db)`` - per referrer: brought, stayed, took part.
See docs/gate.md ("Members invite friends").
"""

from __future__ import annotations

from bot.db import Database
from bot.referrals.digest import referrals_section
from bot.referrals.handlers import COMMANDS, register
from bot.referrals.repo import Multiplier, ReferralRepository


async def multipliers(db: Database) -> list[Multiplier]:
    return await ReferralRepository(db).multipliers()


__all__ = ["COMMANDS", "Multiplier", "multipliers", "referrals_section", "register"]
