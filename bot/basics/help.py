"""/help and a plain /start: what the bot is and which commands a person may use."""

from __future__ import annotations

import contextlib

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core import handler_groups
from bot.core.club import ClubApplication, CoreContext
from bot.core.commands import CommandSpec
from bot.core.i18n import N_, SUPPORTED_LANGUAGES, Html, Translator, translator

COMMANDS = (CommandSpec("help", "/help", N_("what this bot does and the commands you can use")),)


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
        # One menu per language we speak (language_code: "users for whose language there are
        # dedicated commands", setMyCommands), and the club's as the default for everyone else.
        menus = [(language, translator(language)) for language in SUPPORTED_LANGUAGES]
        # The default menu speaks the first club's language (today the only club's).
        first = next(iter(app.clubs))
        menus.append(("", first.services.tr))
        offered = [
            spec
            for spec in app.commands
            if spec.name not in app.offered_now or await app.offered_now[spec.name]()
        ]
        # Cosmetic: the commands still work without a menu.
        with contextlib.suppress(TelegramError):
            for language_code, tr in menus:
                await app.bot.set_my_commands(
                    command_menu(offered, tr),
                    scope=BotCommandScopeAllPrivateChats(),
                    language_code=language_code or None,
                )

    # One menu for the whole bot, whatever number of clubs it serves.
    app.hooks.on_startup(publish_menu)
    app.refresh_menu = publish_menu


def command_menu(commands: list[CommandSpec], tr: Translator) -> list[BotCommand]:
    """The member commands for Telegram's menu (descriptions are 1-256 characters)."""
    return [
        BotCommand(spec.name, tr._(spec.description)[:256])
        for spec in commands
        if spec.audience == "member"
    ]


def help_text(
    community_name: str, commands: list[CommandSpec], is_moderator: bool, tr: Translator
) -> Html:
    def line(spec: CommandSpec) -> str:
        return tr._(
            "{usage} — {description}",
            usage=tr._(spec.usage),
            description=tr._(spec.description),
        )

    lines = [
        tr._(
            "<b>{club}</b> is a private, invite-only club. I let members in with their "
            "invite code, run polls and previews, and pass your feedback on to the team.",
            club=community_name,
        ),
        "",
        tr._("<b>Commands</b>"),
    ]
    lines += [line(spec) for spec in commands if spec.audience == "member"]
    if is_moderator:
        lines += ["", tr._("<b>Moderator commands</b>")]
        lines += [line(spec) for spec in commands if spec.audience == "moderator"]
    return Html("\n".join(lines))


async def show_help(update: Update, context: CoreContext) -> None:
    await _answer_with_help(update, context, greet=False)


async def greet(update: Update, context: CoreContext) -> None:
    await _answer_with_help(update, context, greet=True)


async def _answer_with_help(update: Update, context: CoreContext, *, greet: bool) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    # /help in the group answers in the club's language; privately in the person's own.
    tr = services.tr_for(user) if message.chat.type == ChatType.PRIVATE else services.tr
    text = help_text(
        services.settings.community.name,
        list(context.commands),
        services.permissions.is_moderator(user.id),
        tr,
    )
    greeting = tr._("Hello! 👋") + "\n" if greet else ""
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
    tr = context.services.tr_for(user)
    if message.text.startswith("/"):
        command = message.text.split()[0][:40]
        await message.reply_text(
            tr._("I don't know {command}. /help lists what I can do.", command=command)
        )
        return
    # Moderators and the brand team write previews here before replying /preview to them:
    # their drafts get no answer.
    if context.services.permissions.is_brand_team(user.id):
        return
    await message.reply_text(
        tr._(
            "I'm the club's bot, so I can't chat, but I pass on what members say in the "
            "group. /help lists what I can do; to join, send <code>/join</code> and your "
            "invite code."
        )
    )
