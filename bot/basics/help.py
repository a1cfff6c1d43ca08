"""/help and a plain /start: what the bot is and which commands a person may use."""

from __future__ import annotations

import contextlib

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core import handler_groups
from bot.core.club import ClubApplication, CoreContext
from bot.core.commands import CommandSpec
from bot.core.messaging import escape

COMMANDS = (CommandSpec("help", "/help", "what this bot does and the commands you can use"),)


def add_handlers(app: ClubApplication) -> None:
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
            for spec in app.commands
            if spec.audience == "member"
        ]
        # Cosmetic: the commands still work without a menu.
        with contextlib.suppress(TelegramError):
            await app.bot.set_my_commands(menu, scope=BotCommandScopeAllPrivateChats())

    # One menu for the whole bot, whatever number of clubs it serves.
    app.hooks.on_startup(publish_menu)


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


async def show_help(update: Update, context: CoreContext) -> None:
    await _answer_with_help(update, context, greeting="")


async def greet(update: Update, context: CoreContext) -> None:
    await _answer_with_help(update, context, greeting="Hello! 👋\n")


async def _answer_with_help(update: Update, context: CoreContext, greeting: str) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    text = help_text(
        services.settings.community.name,
        list(context.commands),
        services.permissions.is_moderator(user.id),
    )
    await message.reply_text(greeting + text)


def add_fallback(app: ClubApplication) -> None:
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


async def answer_unknown(update: Update, context: CoreContext) -> None:
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
    if context.services.permissions.is_brand_team(user.id):
        return
    await message.reply_text(
        "I'm the club's bot, so I can't chat, but I pass on what members say in the group. "
        "/help lists what I can do; to join, send <code>/join</code> and your invite code."
    )
