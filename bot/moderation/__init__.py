"""Moderation: /warn /mute /unmute /kick /ban /unban /modlog /rules, flood control and
look-alike name reports. See docs/moderation.md.

Public face: ``ModerationService``, ``build_moderation(services, gate)`` and
``moderation_section`` (the digest's section). Handlers: ``bot.moderation.handlers``.
"""

from bot.core.services import Services
from bot.gate import GateService
from bot.moderation.digest import moderation_section
from bot.moderation.service import ModerationService


def build_moderation(services: Services, gate: GateService) -> ModerationService:
    """The club's moderation (a kick tells the gate, so the seat goes back at once)."""
    return ModerationService(services, gate)


__all__ = ["ModerationService", "build_moderation", "moderation_section"]
