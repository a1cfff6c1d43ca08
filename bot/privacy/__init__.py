"""Data protection: /mydata, /forgetme and retention. See docs/moderation.md."""

from bot.privacy.handlers import COMMANDS, register
from bot.privacy.service import PrivacyService

__all__ = ["COMMANDS", "PrivacyService", "register"]
