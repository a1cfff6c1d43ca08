"""Referrals: members invite friends (/invite) and the club sees who multiplies it (issue #16).

Public face for other features:
  * ``ReferralService`` and ``build_referrals(services, gate)``;
  * ``referrals_section`` - the digest's weekly referral figures;
  * ``EXPORT_QUERY`` - a person's referral rows, for /mydata.
Handlers: ``bot.referrals.handlers``. See docs/gate.md ("Members invite friends").
"""

from __future__ import annotations

from bot.core.services import Services
from bot.gate import GateService
from bot.referrals.digest import referrals_section
from bot.referrals.repo import EXPORT_QUERY
from bot.referrals.service import ReferralService


def build_referrals(services: Services, gate: GateService) -> ReferralService:
    """Referral invites are gate codes: the gate makes and hashes them."""
    return ReferralService(services, gate)


__all__ = ["EXPORT_QUERY", "ReferralService", "build_referrals", "referrals_section"]
