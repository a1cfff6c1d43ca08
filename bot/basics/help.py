"""/help and a plain /start: what the bot is and which commands a person may use."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core import handler_groups
from bot.core.access import may_use
from bot.core.club import Club, ClubApplication, CoreContext
from bot.core.commands import CommandSpec
from bot.core.i18n import N_, SUPPORTED_LANGUAGES, Html, Translator, translator
from bot.core.permissions import Audience

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
        # One menu for every club's members: a command is in it while some club offers it.
        offered = [
            spec
            for spec in app.commands
            if spec.audience is Audience.MEMBER
            and any([await offered_in(app, spec, club) for club in app.clubs])
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
    """The commands for Telegram's menu (descriptions are 1-256 characters)."""
    return [BotCommand(spec.name, tr._(spec.description)[:256]) for spec in commands]


async def offered_in(app: ClubApplication, spec: CommandSpec, club: Club[Any]) -> bool:
    """Whether ``club`` offers ``spec``'s command now (a feature switched off does not)."""
    offered = app.offered_now.get(spec.name)
    return offered is None or await offered(club)


async def usable_commands(
    app: ClubApplication, club: Club[Any], message: Message
) -> tuple[list[CommandSpec], list[CommandSpec]]:
    """(member commands, staff commands) the sender of ``message`` can use, in /help's order.

    Staff commands go by the check their handlers make (``bot.core.access.may_use``), over
    what the bot already knows of each person's rights (no Bot API call). Member commands
    are those of ``club``, the club this /help is for: in private with several clubs, the
    one the router chose, which is also where a member's /invite goes. A staff command in
    private goes to a club where the sender is staff (``bot.context.routing``), so it is
    listed if any club would let them run it.
    """
    private = message.chat.type == ChatType.PRIVATE
    staff_clubs = list(app.clubs) if private else [club]
    members: list[CommandSpec] = []
    staff: list[CommandSpec] = []
    for spec in app.commands:
        if not spec.audience.is_staff:
            if await offered_in(app, spec, club):
                members.append(spec)
            continue
        for candidate in staff_clubs:
            if may_use(spec, candidate.services, message) and await offered_in(
                app, spec, candidate
            ):
                staff.append(spec)
                break
    return members, staff


def help_text(
    community_name: str,
    members: list[CommandSpec],
    staff: list[CommandSpec],
    tr: Translator,
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
    lines += [line(spec) for spec in members]
    if staff:
        lines += ["", tr._("<b>Moderator commands</b>")]
        lines += [line(spec) for spec in staff]
    return Html("\n".join(lines))


async def show_help(update: Update, context: CoreContext) -> None:
    await _answer_with_help(update, context, greet=False)


async def greet(update: Update, context: CoreContext) -> None:
    await _answer_with_help(update, context, greet=True)


async def _answer_with_help(update: Update, context: CoreContext, *, greet: bool) -> None:
    message = update.effective_message
    user = update.effective_user
    app = context.application
    if message is None or user is None or not isinstance(app, ClubApplication):
        return
    services = context.services
    # /help in the group answers in the club's language; privately in the person's own.
    tr = services.tr_for(user) if message.chat.type == ChatType.PRIVATE else services.tr
    members, staff = await usable_commands(app, context.club, message)
    text = help_text(services.settings.community.name, members, staff, tr)
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
