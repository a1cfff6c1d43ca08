"""What a feature may hook into when it registers (kept apart from bot.app to avoid cycles)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application

from bot.core.commands import CommandSpec

StartupHook = Callable[[], Awaitable[object]]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def add_startup_hook(app: AnyApplication, hook: StartupHook) -> None:
    """Work a feature must do once the bot is connected (e.g. reconcile the seat ledger)."""
    app.bot_data.setdefault("startup_hooks", []).append(hook)


def startup_hooks(app: AnyApplication) -> list[StartupHook]:
    return list(app.bot_data.get("startup_hooks", []))


def add_shutdown_hook(app: AnyApplication, hook: StartupHook) -> None:
    """Work a feature must do before storage closes (e.g. write counts kept in memory)."""
    app.bot_data.setdefault("shutdown_hooks", []).append(hook)


def shutdown_hooks(app: AnyApplication) -> list[StartupHook]:
    return list(app.bot_data.get("shutdown_hooks", []))


def commands_of(app: AnyApplication) -> list[CommandSpec]:
    return list(app.bot_data.get("commands", []))
