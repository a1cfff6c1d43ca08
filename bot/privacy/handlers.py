"""/mydata, /forgetme (with a confirmation button) and the daily retention job."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
)

from bot.context import ClubContext, Features
from bot.core import club_buttons, handler_groups
from bot.core.club import ClubApplication, Clubs
from bot.core.commands import CommandSpec
from bot.core.i18n import N_
from bot.core.messaging import answer_query, is_not_modified
from bot.privacy import texts

log = logging.getLogger(__name__)

# The answers to the /forgetme question, each with the club that asked
# (bot.core.club_buttons): ``v1:forget:yes@<club key>``.
CONFIRM = "v1:forget:yes"
CANCEL = "v1:forget:no"

COMMANDS = (
    CommandSpec("mydata", "/mydata", N_("get a file with everything the club stores about you")),
    CommandSpec(
        "forgetme", "/forgetme", N_("leave the club and erase everything stored about you")
    ),
)

# Per-person state kept by other features (in SQLite or in memory) is erased through the
# participants they register in services.erasure (bot.core.erasure), not listed here.


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(CommandHandler("mydata", mydata), group=handler_groups.COMMANDS)
    app.add_handler(CommandHandler("forgetme", forgetme), group=handler_groups.COMMANDS)
    app.add_handler(
        CallbackQueryHandler(forget_button, pattern=r"^v1:forget:(yes|no)(@[a-z0-9_-]+)?$"),
        group=handler_groups.COMMANDS,
    )
    app.add_handler(_LateAfterForget(app.clubs), group=handler_groups.FORGET_ECHO)


async def mydata(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    tr = context.services.tr_for(user)
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(texts.mydata_in_private(tr))
        return
    document = await context.features.privacy.export_document(user.id, tr)
    await message.reply_document(
        InputFile(document, filename="my-club-data.json"), caption=texts.mydata_caption(tr)
    )


async def forgetme(update: Update, context: ClubContext) -> None:
    message = update.effective_message
    if message is None:
        return
    services = context.services
    tr = services.tr_for(update.effective_user)
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(texts.forgetme_in_private(tr))
        return
    confirm, cancel = texts.forget_buttons(tr)
    key = context.club.key
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(confirm, callback_data=club_buttons.keyed(CONFIRM, key)),
                InlineKeyboardButton(cancel, callback_data=club_buttons.keyed(CANCEL, key)),
            ]
        ]
    )
    question = await message.reply_text(
        texts.forget_question(tr, services.settings.community.name), reply_markup=keyboard
    )
    # A press is handled after this handler returns (one person's updates run in order), so
    # the question is on record before any answer to it can arrive.
    await context.features.privacy.asked_to_forget(message.chat.id, question.message_id)


async def forget_button(update: Update, context: ClubContext) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    services = context.services
    tr = services.tr_for(query.from_user)
    # The button sits in the member's private chat: only they can press it.
    if query.message.chat.type != ChatType.PRIVATE or query.message.chat.id != query.from_user.id:
        await answer_query(query, texts.not_your_button(tr))
        return
    user_id = query.from_user.id
    question_id = query.message.message_id
    privacy = context.features.privacy
    # The club in the data chose this club (bot.context.routing); the question is checked here.
    said_no = club_buttons.unkeyed(query.data or "") == CANCEL
    # The first answer wins. Telegram delivers a second tap made before our edit of the
    # question reached the phone: it must neither undo a Yes in words ("Nothing was
    # erased") nor erase again (a receipt listing only what the first press left behind).
    if said_no:
        answered = await privacy.cancel_forget(user_id, question_id)
    else:
        answered = await privacy.question_open(user_id, question_id)
    if not answered:
        await answer_query(query, texts.already_answered(tr))
        return
    await answer_query(query)
    if said_no:
        await _edit(query.message.chat.id, question_id, context, texts.nothing_erased(tr))
        return
    # The erasure closes the question with every other row about the person.
    erasure, problem = await privacy.forget(context.bot, user_id)
    text = texts.erasure_text(erasure, problem, services.settings.community.name, tr)
    await _edit(query.message.chat.id, question_id, context, text)


async def _edit(chat_id: int, message_id: int, context: ClubContext, text: str) -> None:
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except BadRequest as exc:
        # "message is not modified": it already says this. Gone or too old to edit: send it.
        if is_not_modified(exc):
            return
        await context.services.messenger.dm(chat_id, text)


class _LateAfterForget(BaseHandler[Update, Any, None]):
    """Stops what arrives about someone who has just been forgotten, before anything
    (tracking, the seat ledger, scoring) could store them again: the member updates of our
    own removal of them, and their own late updates (an edit or a reaction made before, a
    vote, blocking the bot). A new message of theirs is not late (bot.core.erasure).

    Their button presses go on, to be answered by the button's handler (a second Yes is told
    "already answered"); tracking skips those itself. Runs for every update: a dict lookup
    in ``check_update``, so PTB builds no context unless the update is stopped."""

    __slots__ = ("_clubs",)

    def __init__(self, clubs: Clubs[Features]) -> None:
        super().__init__(_stop_late)
        self._clubs = clubs

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        chat = update.effective_chat
        club = self._clubs.of_chat(chat.id if chat is not None else None)
        privacy, services = club.features.privacy, club.services
        if not services.erasure.anyone_lately(services.now_ts):
            return False  # nearly every update: nobody was forgotten in the last minutes
        member = update.chat_member
        if member is not None:
            new = member.new_chat_member
            if privacy.is_echo_of_forget(new.user.id, member.old_chat_member.status, new.status):
                return True
        user = update.effective_user
        return (
            user is not None
            and update.callback_query is None
            and services.erasure.is_late(update, user.id, services.now_ts)
        )


async def _stop_late(update: Update, context: ClubContext) -> None:
    # Its raw payload names the erased person: out of the WAL once it is processed.
    context.services.db.request_checkpoint()
    raise ApplicationHandlerStop
