"""Referrals: members invite friends (/invite) and the club sees who multiplies it (issue #16).

Public for other features:
  * ``register`` / ``COMMANDS`` - wiring for bot.app;
  * ``referrals_section`` - the digest's weekly referral figures.
See docs/gate.md ("Members invite friends").
"""

from __future__ import annotations

from bot.referrals.digest import referrals_section
from bot.referrals.handlers import COMMANDS, register

__all__ = ["COMMANDS", "referrals_section", "register"]
