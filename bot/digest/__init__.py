"""The brand team's daily digest: build (data), render (HTML/text/JSON/CSV), chart (PNG),
the exactly-once daily send, /digest and ``python -m bot digest``. See docs/digest.md."""

from bot.digest.handlers import COMMANDS, register

__all__ = ["COMMANDS", "register"]
