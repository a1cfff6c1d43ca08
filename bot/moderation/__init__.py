"""Moderation: /warn /mute /unmute /kick /ban /unban /modlog /rules, flood control and
look-alike name reports. See docs/moderation.md."""

from bot.moderation.digest import moderation_section
from bot.moderation.handlers import COMMANDS, flood_tracker, register
from bot.moderation.service import ModerationService

__all__ = ["COMMANDS", "ModerationService", "flood_tracker", "moderation_section", "register"]
