"""/help and a plain /start: what the bot is and which commands a person may use."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core import handler_groups
from bot.core.app_hooks import add_startup_hook, commands_of
from bot.core.commands import CommandSpec
from bot.core.messaging import escape
from bot.core.services import Services, services_of

COMMANDS = (CommandSpec("help", "/help", "what this bot does and the commands you can use"),)


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    app.add_handler(CommandHandler("help", show_help), group=handler_groups.COMMANDS)
    # A plain /start (or a deep link whose payload no feature claimed: invite codes are taken
    # earlier, in MEMBERSHIP) is someone opening the bot: tell them what it is.
    app.add_handler(
        CommandHandler("start", greet, filters=filters.ChatType.PRIVATE),
        group=handler_groups.COMMANDS,
    )

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
    await _answer_with_help(update, context, greeting="")


async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer_with_help(update, context, greeting="Hello! 👋\n")


async def _answer_with_help(
    update: Update, context: ContextTypes.DEFAULT_TYPE, greeting: str
) -> None:
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
    await message.reply_text(greeting + text)


def register_fallback(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Private messages no feature took: registered last in COMMANDS, after every feature.

    PTB gives an update to the first matching handler of a group, so this one only sees what
    every command and conversation before it passed over.
    """
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT, answer_unknown
        ),
        group=handler_groups.COMMANDS,
    )


async def answer_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.text is None:
        return
    if message.text.startswith("/"):
        command = message.text.split()[0][:40]
        await message.reply_text(f"I don't know {escape(command)}. /help lists what I can do.")
        return
    # Moderators and the brand team write previews here before replying /preview to them:
    # their drafts get no answer.
    if services_of(context).permissions.is_brand_team(user.id):
        return
    await message.reply_text(
        "I'm the club's bot, so I can't chat, but I pass on what members say in the group. "
        "/help lists what I can do; to join, send <code>/join</code> and your invite code."
    )
