"""A Telegram bot that runs a brand's private, invite-only community group."""

__version__ = "0.1.0"
