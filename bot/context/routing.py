"""Which club an update is for, when one bot serves several clubs (issue 12).

A group update belongs to the club whose community or brand chat it came from
(``Clubs.of_chat``, which follows a ChatMigrated upgrade through each club's ``Chats``).
A private update names no club, so the Application asks ``ClubRouter.route`` before its
handlers run, in this order:

1. a code (``/start CODE``, ``/join CODE``, or the code typed after a join request): the
   club whose file holds that code's hash, so a code never admits to another club (text
   typed while a join request waits: that request's club);
2. a "Which club?" button (``v1:club:<key>``): that club, only if the presser belongs to it
   (nothing from button data is trusted), running the command that question asked about;
3. a button that acts on one club's data (``...@<key>``, ``bot.core.club_buttons``: the
   consent notice's Accept, /forgetme's Yes and No, a preview's Cancel): that club, only if
   it has something to do with the presser (a seat or role there, a consent notice or a
   /forgetme question of theirs); the club's handler then checks the ids in the data;
4. the person's clubs (a seat, or moderator / brand team there): exactly one is it; with
   several, a command that needs a club (/mydata, /forgetme, /rules, moderator commands:
   of the clubs where the person is staff) is answered with one button per club instead
   of running, anything else goes to the club
   they last dealt with, as do buttons made before they named their club.

Nothing here runs with one club: ``len(clubs) == 1`` keeps today's path untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiosqlite
from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.context import Features
from bot.context import choice as texts
from bot.core import club_buttons
from bot.core.club import Club, Clubs
from bot.core.commands import CommandSpec
from bot.core.concurrency import Key, update_keys
from bot.core.i18n import Translator, escape
from bot.core.messaging import answer_query
from bot.gate import had_notice, holds_code, is_member
from bot.polls import owns_poll

log = logging.getLogger(__name__)

# Commands that act on one club's data and so must know which club, even in private.
CLUB_COMMANDS = frozenset({"mydata", "forgetme", "rules"})
# Memory of who dealt with which club last, and of questions waiting for a press or
# answered: bounded, oldest forgotten first (a restart forgets all of it; the person is
# simply asked again).
REMEMBERED = 10_000

K = TypeVar("K")
V = TypeVar("V")

# A "Which club?" question: (chat id, message id) of the question in the private chat.
Question = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Asked:
    """The command a "Which club?" question is about, as it came (its reply_to_message, its
    caption and entities too): a tap runs exactly that for the club tapped."""

    user_id: int
    update: Update


class ClubRouter:
    def __init__(self, clubs: Clubs[Features], commands: Iterable[CommandSpec]) -> None:
        self._clubs = clubs
        self._for_team = frozenset(spec.name for spec in commands if spec.audience.is_staff)
        self._needs_club = CLUB_COMMANDS | self._for_team
        self._last: dict[int, Club[Features]] = {}
        self._pending: dict[Question, Asked] = {}
        # Questions answered by a tap: a second tap (made before the first's edit reached the
        # phone) is told so, and the first answer's message stays as it is.
        self._answered: dict[Question, bool] = {}
        self._polls: dict[str, Club[Features]] = {}
        self._by_key = {club.key: club for club in clubs}

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
            data = query.data or ""
            if data.startswith(texts.PREFIX):
                return await self._chosen(update, query)
            named = self._by_key.get(club_buttons.club_of(data) or "")
            if named is not None:
                return await self._named_by_button(update, query, named)
            # A button made before buttons named their club, or by a club no longer served.
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
        if message is not None and command in self._needs_club:
            # A moderator's command only where they are staff: a moderator of one club with
            # a seat in another is not asked (the other club would only refuse).
            staff = [
                club
                for club in theirs
                if command in self._for_team and club.services.permissions.is_brand_team(user.id)
            ]
            choices = staff or theirs
            if len(choices) > 1:
                await self._ask(update, message, user, choices, offer_all=command == "forgetme")
                return choices[0], None
            if len(choices) == 1:
                self._remember(self._last, user.id, choices[0])
                return choices[0], update
        if len(theirs) == 1:
            return theirs[0], update
        last = self._last.get(user.id)
        if last is not None and (not theirs or last in theirs):
            return last, update
        return (theirs[0] if theirs else self._clubs.first), update

    def replay_keys(self, update: object) -> tuple[Key, ...]:
        """The keys of the command a press on a "Which club?" question would run.

        The press itself is keyed by its presser and message only; the command it runs may
        name a member (``/ban 123``), and must be ordered with that member's other updates
        as it was when it came (``bot.core.concurrency.update_keys``)."""
        if not isinstance(update, Update) or update.callback_query is None:
            return ()
        query = update.callback_query
        if not (query.data or "").startswith(texts.PREFIX):
            return ()
        asked = self._open(query)
        return update_keys(asked.update) if asked is not None else ()

    async def clubs_of(self, user_id: int) -> list[Club[Features]]:
        """The clubs this person belongs to: a seat, or moderator / brand team there."""
        return [club for club in self._clubs if await _belongs(club, user_id)]

    # The router keeps a person's id in memory; /forgetme in any club drops it.
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        return {}

    async def forget_person(self, user_id: int) -> None:
        self._last.pop(user_id, None)
        # Their questions sit in their private chat, whose id is theirs.
        for memory in (self._pending, self._answered):
            for question in [question for question in memory if question[0] == user_id]:
                del memory[question]

    async def _named_by_button(
        self, update: Update, query: CallbackQuery, club: Club[Features]
    ) -> tuple[Club[Features], Update | None]:
        """A button that names its club: that club's, if the club deals with the presser.

        The key in the data is not trusted: it only chooses which club's handler looks at
        the press, and is refused when that club has nothing to do with the person (a
        consent notice, a /forgetme question, a seat or role); the handler then checks the
        ids in the data against its own file."""
        user_id = query.from_user.id
        if await _belongs(club, user_id) or await _deals_with(club, user_id):
            self._remember(self._last, user_id, club)
            return club, update
        tr = club.services.tr_for(query.from_user)
        await answer_query(query, texts.stale_button(tr))
        return club, None

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
        # A join request waiting for this person's code: text typed now is that code.
        waiting = next(
            (club for club in self._clubs if user_id in club.features.gate.awaiting_code), None
        )
        command = _command(text)
        if command is None and waiting is not None:
            return waiting
        typed = _code_in(text)
        if typed is None:
            return None
        for club in self._clubs:
            if await holds_code(club.features.gate, typed):
                return club
        # /start or /join with a code no club holds: a wrong guess, counted where the
        # person is waiting (a command other than those is no code for the gate).
        return waiting if command in ("start", "join") else None

    async def _club_for_button(self, user_id: int) -> Club[Features]:
        last = self._last.get(user_id)
        if last is not None:
            return last
        theirs = await self.clubs_of(user_id)
        return theirs[0] if theirs else self._clubs.first

    async def _ask(
        self,
        update: Update,
        message: Message,
        user: User,
        theirs: list[Club[Features]],
        *,
        offer_all: bool,
    ) -> None:
        tr = theirs[0].services.tr_for(user)
        clubs = [(club.key, club.settings.community.name) for club in theirs]
        question = await message.reply_text(
            texts.question(tr), reply_markup=texts.keyboard(clubs, tr, offer_all=offer_all)
        )
        # One person's updates run in order: no tap on it is handled before this is noted.
        self._remember(self._pending, _question_of(question), Asked(user.id, update))

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
        asked = self._take(query)
        if asked is None:
            await self._not_pending(query, tr)
            return club, None
        await answer_query(query)
        await _edit(query, f"<b>{escape(club.settings.community.name)}</b>")
        # The command as it came, now for the club tapped. The inbox marks the press
        # processed once it ran (the command itself was marked when the question was asked).
        return club, asked.update

    def _open(self, query: CallbackQuery) -> Asked | None:
        """The command the pressed question asked about, if it still waits for this press."""
        if query.message is None:
            return None
        asked = self._pending.get(_question_of(query.message))
        return asked if asked is not None and asked.user_id == query.from_user.id else None

    def _take(self, query: CallbackQuery) -> Asked | None:
        """The command the pressed question asked about, once: the question is answered."""
        asked = self._open(query)
        if asked is not None and query.message is not None:
            question = _question_of(query.message)
            del self._pending[question]
            self._remember(self._answered, question, True)
        return asked

    async def _not_pending(self, query: CallbackQuery, tr: Translator) -> None:
        if query.message is not None and _question_of(query.message) in self._answered:
            # A second tap: the first one's answer stands, its message is left as it is.
            await answer_query(query, texts.already_answered(tr))
            return
        # Asked before a restart (pending questions are kept in memory only).
        await answer_query(query)
        if query.message is not None and query.message.chat.id == query.from_user.id:
            await _edit(query, texts.gone(tr))

    async def _leave_all(
        self, query: CallbackQuery, data: str, theirs: list[Club[Features]], tr: Translator
    ) -> None:
        names = [club.settings.community.name for club in theirs]
        if data == texts.ALL:
            if self._open(query) is None:
                await self._not_pending(query, tr)
                return
            await answer_query(query)
            text, buttons = texts.confirm_all(tr, names)
            await _edit(query, text, buttons)
            return
        if self._take(query) is None:
            # Answered already (a second tap before the edit arrived), or asked before a
            # restart: the first answer stands, and its message is not overwritten. After
            # "Yes, leave all" they belong to no club, and nothing about them is kept to tell
            # a second tap: with no club left, their answer is evidently given.
            given = query.message is not None and _question_of(query.message) in self._answered
            text = texts.already_answered(tr) if given or not theirs else texts.gone(tr)
            await answer_query(query, text, show_alert=True)
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
    def _remember(memory: dict[K, V], key: K, value: V) -> None:
        memory.pop(key, None)
        memory[key] = value
        if len(memory) > REMEMBERED:
            del memory[next(iter(memory))]


async def _belongs(club: Club[Features], user_id: int) -> bool:
    """A seat in the club, or moderator / brand team there."""
    if club.services.permissions.is_brand_team(user_id):
        return True
    return await is_member(club.services.db, user_id)


async def _deals_with(club: Club[Features], user_id: int) -> bool:
    """Not (or no longer) in the club, but shown its consent notice or its /forgetme question
    (the Accept and Yes / No buttons a newcomer or a leaver presses)."""
    if await had_notice(club.services.db, user_id):
        return True
    return await club.features.privacy.in_forget_exchange(user_id)


def _question_of(message: Any) -> Question:
    return (message.chat.id, message.message_id)


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


async def _edit(query: CallbackQuery, text: str, markup: Any = None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # A double press ("message is not modified"): the first press said it already.
        log.info("Could not edit the club question: %s", exc.message)
