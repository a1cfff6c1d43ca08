"""Which club an update is for, when one bot serves several clubs (issue 12).

A group update belongs to the club whose community or brand chat it came from
(``Clubs.of_chat``, which follows a ChatMigrated upgrade through each club's ``Chats``).
A private update names no club, so the Application asks ``ClubRouter.route`` before its
handlers run, in this order:

1. a code (``/start CODE``, ``/join CODE``, or the code typed after a join request): the
   club whose file holds that code's hash, so a code never admits to another club;
2. a "Which club?" button (``v1:club:<key>``): that club, only if the presser belongs to it
   (nothing from button data is trusted), running the command that asked;
3. the person's clubs (a seat, or moderator / brand team there): exactly one is it; with
   several, a command that needs a club (/mydata, /forgetme, /rules, moderator commands)
   is answered with one button per club instead of running, anything else goes to the club
   they last dealt with. Other buttons in private go to that last club too (an Accept
   under a code's consent notice belongs to the club of the code, not a member's old club).

Nothing here runs with one club: ``len(clubs) == 1`` keeps today's path untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import aiosqlite
from telegram import CallbackQuery, Message, MessageEntity, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.context import Features
from bot.context import choice as texts
from bot.core.club import Club, Clubs
from bot.core.commands import CommandSpec
from bot.core.i18n import Translator, escape
from bot.core.messaging import answer_query
from bot.gate import holds_code, is_member
from bot.polls import owns_poll

log = logging.getLogger(__name__)

# Commands that act on one club's data and so must know which club, even in private.
CLUB_COMMANDS = frozenset({"mydata", "forgetme", "rules"})
# Memory of who dealt with which club last, and of questions waiting for a press: bounded,
# oldest forgotten first (a restart forgets all of it; the person is simply asked again).
REMEMBERED = 10_000


class ClubRouter:
    def __init__(self, clubs: Clubs[Features], commands: Iterable[CommandSpec]) -> None:
        self._clubs = clubs
        self._needs_club = CLUB_COMMANDS | {
            spec.name for spec in commands if spec.audience == "moderator"
        }
        self._last: dict[int, Club[Features]] = {}
        self._pending: dict[int, str] = {}
        self._polls: dict[str, Club[Features]] = {}

    async def route(self, update: Update) -> tuple[Club[Features], Update | None]:
        """(the club, the update to handle for it).

        The update is None when the router answered it itself (it asked "Which club?"), or a
        command to replay for the club just chosen."""
        poll_id = _poll_id(update)
        if poll_id is not None:
            return await self._club_of_poll(poll_id), update
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type != ChatType.PRIVATE or user is None:
            message = update.effective_message
            if message is not None and message.migrate_from_chat_id is not None:
                # The first message of an upgraded group: its club knows the old id.
                return self._clubs.of_chat(message.migrate_from_chat_id), update
            return self._clubs.of_chat(chat.id if chat is not None else None), update
        query = update.callback_query
        if query is not None:
            if query.data is not None and query.data.startswith(texts.PREFIX):
                return await self._chosen(update, query)
            return await self._club_for_button(user.id), update
        message = update.effective_message
        text = message.text if message is not None else None
        if text:
            by_code = await self._club_of_code(user.id, text)
            if by_code is not None:
                self._remember(self._last, user.id, by_code)
                return by_code, update
        theirs = await self.clubs_of(user.id)
        command = _command(text)
        if message is not None and command in self._needs_club and len(theirs) > 1:
            await self._ask(message, user, theirs, offer_all=command == "forgetme")
            return theirs[0], None
        if len(theirs) == 1:
            return theirs[0], update
        last = self._last.get(user.id)
        if last is not None and (not theirs or last in theirs):
            return last, update
        return (theirs[0] if theirs else self._clubs.first), update

    async def clubs_of(self, user_id: int) -> list[Club[Features]]:
        """The clubs this person belongs to: a seat, or moderator / brand team there."""
        found = []
        for club in self._clubs:
            permissions = club.services.permissions
            if permissions.is_brand_team(user_id) or await is_member(club.services.db, user_id):
                found.append(club)
        return found

    # The router keeps a person's id in memory; /forgetme in any club drops it.
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        return {}

    async def forget_person(self, user_id: int) -> None:
        self._last.pop(user_id, None)
        self._pending.pop(user_id, None)

    async def _club_of_poll(self, poll_id: str) -> Club[Features]:
        known = self._polls.get(poll_id)
        if known is not None:
            return known
        for club in self._clubs:
            if await owns_poll(club.services.db, poll_id):
                self._remember(self._polls, poll_id, club)
                return club
        return self._clubs.first  # not ours (a poll forwarded to us): nothing will match

    async def _club_of_code(self, user_id: int, text: str) -> Club[Features] | None:
        for club in self._clubs:
            # A code typed after a join request belongs to the club whose group was asked.
            if user_id in club.features.gate.awaiting_code:
                return club
        typed = _code_in(text)
        if typed is None:
            return None
        for club in self._clubs:
            if await holds_code(club.features.gate, typed):
                return club
        return None

    async def _club_for_button(self, user_id: int) -> Club[Features]:
        last = self._last.get(user_id)
        if last is not None:
            return last
        theirs = await self.clubs_of(user_id)
        return theirs[0] if theirs else self._clubs.first

    async def _ask(
        self, message: Message, user: User, theirs: list[Club[Features]], *, offer_all: bool
    ) -> None:
        self._remember(self._pending, user.id, message.text or "")
        tr = theirs[0].services.tr_for(user)
        clubs = [(club.key, club.settings.community.name) for club in theirs]
        await message.reply_text(
            texts.question(tr), reply_markup=texts.keyboard(clubs, tr, offer_all=offer_all)
        )

    async def _chosen(
        self, update: Update, query: CallbackQuery
    ) -> tuple[Club[Features], Update | None]:
        user = query.from_user
        data = (query.data or "").removeprefix(texts.PREFIX)
        theirs = await self.clubs_of(user.id)
        fallback = theirs[0] if theirs else self._clubs.first
        tr = fallback.services.tr_for(user)
        if data.startswith(texts.ALL):
            await self._leave_all(query, data, theirs, tr)
            return fallback, None
        club = next((club for club in theirs if club.key == data), None)
        if club is None:
            await answer_query(query, texts.not_yours(tr), show_alert=True)
            return fallback, None
        self._remember(self._last, user.id, club)
        pending = self._pending.pop(user.id, None)
        await answer_query(query)
        if pending is None or not isinstance(query.message, Message):
            await _edit(query, texts.gone(tr))
            return club, None
        await _edit(query, f"<b>{escape(club.settings.community.name)}</b>")
        return club, _replay(update, query.message, user, pending)

    async def _leave_all(
        self, query: CallbackQuery, data: str, theirs: list[Club[Features]], tr: Translator
    ) -> None:
        names = [club.settings.community.name for club in theirs]
        if data == texts.ALL:
            await answer_query(query)
            text, buttons = texts.confirm_all(tr, names)
            await _edit(query, text, buttons)
            return
        if self._pending.pop(query.from_user.id, None) is None:
            # Answered already (a second tap before the edit arrived), or asked before a
            # restart: the first answer stands, and its message is not overwritten.
            await answer_query(query, texts.gone(tr), show_alert=True)
            return
        await answer_query(query)
        if data != texts.ALL_YES[len(texts.PREFIX) :]:
            await _edit(query, texts.nothing_erased(tr))
            return
        still_in = []
        for club in theirs:
            _erasure, problem = await club.features.privacy.forget(
                query.get_bot(), query.from_user.id
            )
            if problem is not None:
                still_in.append(club.settings.community.name)
        await _edit(query, texts.left_all(tr, names, still_in))

    @staticmethod
    def _remember(
        memory: dict[Any, Club[Features]] | dict[Any, str], key: Any, value: Any
    ) -> None:
        memory.pop(key, None)
        memory[key] = value
        if len(memory) > REMEMBERED:
            del memory[next(iter(memory))]


def _poll_id(update: Update) -> str | None:
    if update.poll_answer is not None:
        return update.poll_answer.poll_id
    if update.poll is not None:
        return update.poll.id
    return None


def _command(text: str | None) -> str | None:
    if not text or not text.startswith("/"):
        return None
    words = text[1:].split(maxsplit=1)  # "/" and nothing, or only (Unicode) spaces: none
    return words[0].partition("@")[0].lower() if words else None


def _code_in(text: str) -> str | None:
    """The code a private message may carry: the deep link's payload, /join's argument,
    or the whole text (typed after a join request)."""
    head, _, rest = text.strip().partition(" ")
    command = _command(head)
    if command in ("start", "join"):
        return rest.strip() or None
    return None if command is not None else text.strip()


def _replay(update: Update, question: Message, user: User, text: str) -> Update:
    """The command that asked, as if sent again now: handled for the chosen club."""
    command = text.split(maxsplit=1)[0]
    message = Message(
        message_id=question.message_id,
        date=question.date,
        chat=question.chat,
        from_user=user,
        text=text,
        entities=(MessageEntity(MessageEntity.BOT_COMMAND, 0, len(command)),),
    )
    message.set_bot(question.get_bot())
    # The same update id: the inbox marks the press processed once the command ran.
    replay = Update(update.update_id, message=message)
    replay.set_bot(question.get_bot())
    return replay


async def _edit(query: CallbackQuery, text: str, markup: Any = None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # A double press ("message is not modified"): the first press said it already.
        log.info("Could not edit the club question: %s", exc.message)
