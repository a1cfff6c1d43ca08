"""/help and a plain /start: what the bot is and which commands a person may use."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes

from bot import handler_groups
from bot.app_hooks import add_startup_hook, commands_of
from bot.commands import CommandSpec
from bot.messaging import escape
from bot.services import Services, services_of

COMMANDS = (CommandSpec("help", "/help", "what this bot does and the commands you can use"),)


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    app.add_handler(CommandHandler("help", show_help), group=handler_groups.COMMANDS)

    async def publish_menu() -> None:
        # The menu in private chats lists member commands; moderators see theirs in /help.
        menu = [
            BotCommand(spec.name, spec.description[:256])
            for spec in commands_of(app)
            if spec.audience == "member"
        ]
        # Cosmetic: the commands still work without a menu.
        with contextlib.suppress(TelegramError):
            await app.bot.set_my_commands(menu, scope=BotCommandScopeAllPrivateChats())

    add_startup_hook(app, publish_menu)


def help_text(community_name: str, commands: list[CommandSpec], is_moderator: bool) -> str:
    lines = [
        f"<b>{escape(community_name)}</b> is a private, invite-only club. "
        "I let members in with their invite code, run polls and previews, "
        "and pass your feedback on to the team.",
        "",
        "<b>Commands</b>",
    ]
    lines += [
        f"{escape(spec.usage)} — {escape(spec.description)}"
        for spec in commands
        if spec.audience == "member"
    ]
    if is_moderator:
        lines += ["", "<b>Moderator commands</b>"]
        lines += [
            f"{escape(spec.usage)} — {escape(spec.description)}"
            for spec in commands
            if spec.audience == "moderator"
        ]
    return "\n".join(lines)


async def show_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = services_of(context)
    text = help_text(
        services.settings.community.name,
        commands_of(context.application),
        services.permissions.is_moderator(user.id),
    )
    await message.reply_text(text)
