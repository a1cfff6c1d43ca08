"""Work a club's features must do once the bot is connected, and before storage closes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Hook = Callable[[], Awaitable[object]]


class Hooks:
    """One club's start-up and shut-down work, in the order its features were built."""

    def __init__(self) -> None:
        self.startup: list[Hook] = []
        self.shutdown: list[Hook] = []

    def on_startup(self, hook: Hook) -> None:
        """Once the bot is connected (e.g. reconcile the seat ledger)."""
        self.startup.append(hook)

    def on_shutdown(self, hook: Hook) -> None:
        """Before storage closes (e.g. write counts kept in memory)."""
        self.shutdown.append(hook)
