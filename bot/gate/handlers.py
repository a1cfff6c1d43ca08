"""Thin Telegram handlers for the gate: parse, call GateService, reply."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import ClubContext, Features
from bot.core import club_buttons, handler_groups
from bot.core.access import sender_may
from bot.core.club import ClubApplication, Clubs
from bot.core.commands import CommandSpec
from bot.core.i18n import N_, Translator
from bot.core.ids import parse_id
from bot.core.messaging import answer_query, is_not_modified
from bot.core.permissions import Audience
from bot.core.timeparse import TimeParseError, parse_duration
from bot.gate import moderator_texts, texts
from bot.gate.codes import MAX_USES, GateError
from bot.gate.outcomes import Answer, Outcome

log = logging.getLogger(__name__)

COMMANDS = (
    CommandSpec("join", N_("/join CODE"), N_("join the club with your invite code")),
    CommandSpec(
        "newcodes",
        N_("/newcodes COUNT [USES] [LABEL] [EXPIRES]"),
        N_("make invite codes, e.g. /newcodes 20 1 flyer 14d (private chat)"),
        Audience.MODERATOR,
    ),
    CommandSpec(
        "codes", "/codes", N_("invite codes: label, uses left, expiry"), Audience.MODERATOR
    ),
    CommandSpec(
        "revoke",
        N_("/revoke ID|LABEL"),
        N_("end an invite code or a whole campaign"),
        Audience.MODERATOR,
    ),
    CommandSpec(
        "members",
        "/members",
        N_("seats used, waitlist, joins per campaign (7 days)"),
        Audience.MODERATOR,
    ),
)

# Callback data of the consent notice's Accept button (Telegram allows 1-64 bytes), with the
# club of the code (bot.core.club_buttons): ``v1:gate:accept:<attempt id>@<club key>``.
CALLBACK_PREFIX = "v1:gate:accept:"
# A deep-link payload that can be an invite code: 12 symbols, dashes allowed. Other features'
# payloads (e.g. preview_12) do not match, so their /start handlers still see them.
_START_CODE = re.compile(r"^/start(?:@\w+)?\s+(?:[0-9A-Za-z]-?){11}[0-9A-Za-z]\s*$")


class _AwaitingCode(filters.MessageFilter):
    """Private messages of people whose join request waits for their code."""

    def __init__(self, clubs: Clubs[Features]) -> None:
        super().__init__(name="gate.awaiting_code")
        self._clubs = clubs

    def filter(self, message: Message) -> bool:
        if message.from_user is None:
            return False
        gate = self._clubs.of_chat(message.chat.id).features.gate
        return message.from_user.id in gate.awaiting_code


def add_handlers(app: ClubApplication) -> None:
    private = filters.ChatType.PRIVATE
    # Code-carrying messages are handled in the MEMBERSHIP group and stop there, so no later
    # handler (message stores, sentiment) ever sees a clear code.
    membership = handler_groups.MEMBERSHIP
    app.add_handler(
        MessageHandler(private & filters.Regex(_START_CODE), start_with_code), group=membership
    )
    app.add_handler(CommandHandler("join", join, filters=private), group=membership)
    app.add_handler(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & _AwaitingCode(app.clubs), typed_code
        ),
        group=membership,
    )
    app.add_handler(
        ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER), group=membership
    )
    app.add_handler(ChatJoinRequestHandler(join_requested), group=membership)

    commands = handler_groups.COMMANDS
    app.add_handler(CallbackQueryHandler(accepted, pattern=f"^{CALLBACK_PREFIX}"), group=commands)
    app.add_handler(CommandHandler("newcodes", new_codes), group=commands)
    app.add_handler(CommandHandler("codes", list_codes), group=commands)
    app.add_handler(CommandHandler("revoke", revoke), group=commands)
    app.add_handler(CommandHandler("members", members), group=commands)


def attempt_callback(attempt_id: int, club_key: str) -> str:
    # Attempt ids are per club file: the key says whose attempt 5 it is.
    return club_buttons.keyed(f"{CALLBACK_PREFIX}{attempt_id}", club_key)


def _markup(outcome: Outcome, tr: Translator, club_key: str) -> InlineKeyboardMarkup | None:
    if outcome.attempt_id is not None:
        return texts.accept_keyboard(attempt_callback(outcome.attempt_id, club_key), tr)
    return texts.join_keyboard(outcome.link, tr)


async def _answer(update: Update, context: ClubContext, outcome: Outcome) -> None:
    message = update.effective_message
    # A silent outcome speaks for itself (an approval, then the welcome after the join).
    if message is not None and outcome.kind is not Answer.SILENT:
        tr = context.services.tr_for(update.effective_user)
        text = texts.answer(outcome, context.features.gate.voice(tr))
        await message.reply_text(text, reply_markup=_markup(outcome, tr, context.club.key))


# --- members ------------------------------------------------------------------------------


async def start_with_code(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None or message.from_user is None or not message.text:
        return
    payload = message.text.split(maxsplit=1)[1]
    await _answer(
        update, context, await context.features.gate.begin(message.from_user.id, payload)
    )
    _forget_typed_code(context)
    raise ApplicationHandlerStop


def _forget_typed_code(context: ClubContext) -> None:
    # The raw update (kept in the inbox until processed) holds the code as typed; once it is
    # processed, a checkpoint takes it out of the WAL's old frames as well.
    context.services.db.request_checkpoint()


async def join(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    outcome = await context.features.gate.begin(message.from_user.id, " ".join(context.args or []))
    await _answer(update, context, outcome)
    if context.args:
        _forget_typed_code(context)
    raise ApplicationHandlerStop


async def typed_code(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None or message.from_user is None:
        return
    await _answer(
        update, context, await context.features.gate.begin(message.from_user.id, message.text)
    )
    _forget_typed_code(context)
    raise ApplicationHandlerStop


async def accepted(update: Update, context: ClubContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    # The club in the data chose this club (bot.context.routing); the id is checked here.
    own = club_buttons.for_club(query.data, context.club.key)
    attempt_id = parse_id(own.removeprefix(CALLBACK_PREFIX)) if own is not None else None
    tr = context.services.tr_for(query.from_user)
    if attempt_id is None:
        # limit: 200 (answerCallbackQuery)
        await answer_query(query, tr._("This button no longer works."))
        return
    gate = context.features.gate
    outcome = await gate.accept(query.from_user.id, attempt_id)
    await answer_query(query)
    markup = _markup(outcome, tr, context.club.key)
    text = texts.answer(outcome, gate.voice(tr))
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if is_not_modified(exc):
            return  # a double tap: the notice already says this (and carries its button)
        # The notice is gone or too old to edit: answer with a new message.
        log.info("Could not edit the consent notice: %s", exc.message)
        await context.services.messenger.dm(query.from_user.id, text, reply_markup=markup)


async def member_changed(update: Update, context: ClubContext) -> None:
    if update.chat_member is not None:
        await context.features.gate.on_member_update(update.chat_member)


async def join_requested(update: Update, context: ClubContext) -> None:
    if update.chat_join_request is not None:
        await context.features.gate.on_join_request(update.chat_join_request)


# --- moderators ---------------------------------------------------------------------------


async def _moderator_in_private(update: Update, context: ClubContext) -> bool:
    """Moderators only, and only in a private chat (codes must never show in the group)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return False
    services = context.services
    tr = services.tr_in(message)
    if not sender_may(Audience.MODERATOR, services, message):  # as the COMMANDS above say
        await message.reply_text(tr._(moderator_texts.MODERATORS_ONLY))
        return False
    if chat.type != ChatType.PRIVATE:
        await message.reply_text(tr._(moderator_texts.PRIVATE_ONLY))
        return False
    return True


def parse_newcodes(args: list[str]) -> tuple[int, int, str, timedelta | None]:
    """COUNT [USES] [LABEL] [EXPIRES]; raises GateError with what is wrong."""
    if not args:
        raise GateError(N_("say how many codes to make"))
    if not args[0].isdecimal():
        raise GateError(N_("COUNT must be a number, not '{text}'"), text=args[0][:20])
    count = int(args[0])
    uses: int | None = None
    label: str | None = None
    expires: timedelta | None = None
    for token in args[1:]:
        if token.isdecimal() and uses is None and label is None:
            uses = int(token)
            if uses == 0:  # said explicitly: refused, never silently made 1
                raise GateError(N_("USES must be 1-{max}"), max=MAX_USES)
        elif re.fullmatch(r"\d+[a-zA-Z]+", token) and expires is None:
            try:
                expires = parse_duration(token)
            except TimeParseError as exc:
                raise GateError(N_("{problem}"), problem=exc) from None
        elif label is None:
            label = token
        else:
            raise GateError(N_("unexpected '{text}'"), text=token[:20])
    return count, 1 if uses is None else uses, label or "invite", expires


async def new_codes(update: Update, context: ClubContext) -> None:
    if not await _moderator_in_private(update, context):
        return
    message = update.effective_message
    assert message is not None
    tr = context.services.tr_in(message)
    try:
        count, uses, label, expires = parse_newcodes(list(context.args or []))
        made = await context.features.gate.create_codes(
            count, uses, label, expires, message.from_user.id if message.from_user else None
        )
    except GateError as exc:
        await message.reply_text(moderator_texts.bad_newcodes(exc.sentence(tr), tr))
        return
    text = moderator_texts.codes_made(made, uses, label, expires, context.bot.username, tr)
    await context.services.messenger.dm(message.chat_id, text)


async def list_codes(update: Update, context: ClubContext) -> None:
    if not await _moderator_in_private(update, context):
        return
    message = update.effective_message
    assert message is not None
    gate = context.features.gate
    tr = context.services.tr_in(message)
    codes = await gate.repo.list_codes()
    if not codes:
        await message.reply_text(tr._(moderator_texts.NO_CODES_YET))
        return
    text = moderator_texts.codes_list(codes, gate.now(), tr)
    await context.services.messenger.dm(message.chat_id, text)


async def revoke(update: Update, context: ClubContext) -> None:
    if not await _moderator_in_private(update, context):
        return
    message = update.effective_message
    assert message is not None
    target = " ".join(context.args or [])
    tr = context.services.tr_in(message)
    try:
        ended = await context.features.gate.revoke(target)
    except GateError as exc:
        await message.reply_text(moderator_texts.bad_revoke(exc.sentence(tr), tr))
        return
    await message.reply_text(moderator_texts.revoked(ended, target, tr))


async def members(update: Update, context: ClubContext) -> None:
    if not await _moderator_in_private(update, context):
        return
    message = update.effective_message
    assert message is not None
    tr = context.services.tr_in(message)
    await message.reply_text(moderator_texts.members(await context.features.gate.summary(), tr))
