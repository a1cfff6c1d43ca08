"""The core services every feature of one club shares, built once per club."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.config import Settings
from bot.core.app_hooks import Hooks
from bot.core.clock import Clock
from bot.core.erasure import ErasureRegistry
from bot.core.i18n import Translator, pick_language, translator
from bot.core.messaging import send_html
from bot.core.permissions import Permissions
from bot.core.scheduler import Scheduler
from bot.core.topics import GeneralTopic, PostsTopic, topic_refusal
from bot.db import Database
from bot.db.facts_repo import FactsRepository
from bot.db.inbox_repo import InboxRepository
from bot.db.people_repo import PeopleRepository

if TYPE_CHECKING:
    from telegram import Message, User

log = logging.getLogger(__name__)

T = TypeVar("T")

_COMMUNITY_CHAT_FACT = "community_chat_id"
_BRAND_CHAT_FACT = "brand_chat_id"


class Chats:
    """The ids of the community and brand chats, as Telegram knows them now.

    They start from config, but a group upgraded to a supergroup gets a new id
    (ChatMigrated): the new id is stored as a fact so it survives restarts.
    """

    def __init__(self, settings: Settings, facts: FactsRepository) -> None:
        self.community_id = settings.telegram.community_chat_id
        self.brand_id = settings.telegram.brand_chat_id
        self._facts = facts

    async def load(self) -> None:
        community = await self._facts.get(_COMMUNITY_CHAT_FACT)
        brand = await self._facts.get(_BRAND_CHAT_FACT)
        if community:
            self.community_id = int(community)
        if brand:
            self.brand_id = int(brand)

    async def migrate(self, old_id: int, new_id: int, now: int) -> None:
        # Both ids in one transaction, memory only after the commit: a crash in between
        # leaves the old ids everywhere, and the next send simply migrates again.
        changed: dict[str, str] = {}
        if old_id == self.community_id:
            changed[_COMMUNITY_CHAT_FACT] = str(new_id)
        if old_id == self.brand_id:
            changed[_BRAND_CHAT_FACT] = str(new_id)
        if not changed:
            return  # already followed (two sends hit ChatMigrated at once)
        await self._facts.put_many(changed, now)
        if _COMMUNITY_CHAT_FACT in changed:
            self.community_id = new_id
        if _BRAND_CHAT_FACT in changed:
            self.brand_id = new_id
        log.warning("Chat %s was upgraded to supergroup %s; now using the new id", old_id, new_id)


class Messenger:
    """Sends on behalf of features, handling the errors every feature would otherwise repeat."""

    def __init__(self, bot: Bot, people: PeopleRepository, chats: Chats, clock: Clock) -> None:
        self.bot = bot
        self._people = people
        self._chats = chats
        self._clock = clock
        self._spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]] = asyncio.create_task
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._before_drain: list[Callable[[], None]] = []
        self._posts_topic: PostsTopic = GeneralTopic()

    def use_spawner(self, spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]]) -> None:
        """Run background sends as tasks of the Application (errors reach its handler)."""
        self._spawn = spawn

    @property
    def in_flight(self) -> int:
        """Background sends not finished yet."""
        return len(self._in_flight)

    def before_drain(self, release: Callable[[], None]) -> None:
        """``release`` hands held-back messages to the sender when the bot stops."""
        self._before_drain.append(release)

    async def drain(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109 - a plain bound
        """Let background sends finish (at shutdown), up to ``timeout`` seconds."""
        for release in self._before_drain:
            release()
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=timeout)

    def dm_soon(self, user_id: int, text: str, **kwargs: Any) -> None:
        """Send a private message without making the current update wait for it.

        For messages nothing else waits on (welcomes, confirmations). Sends are spaced at
        Telegram's ~30 a second, and updates are handled one at a time, so during a join wave
        a handler awaiting its DM would hold up every update behind it (approvals included).
        A crash before the send loses that message, never the effect it reports.
        """
        self.spawn(self.dm(user_id, text, **kwargs))

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Background send work, counted in ``in_flight`` until it finishes."""
        task = self._spawn(coro)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return task

    async def dm(self, user_id: int, text: str, **kwargs: Any) -> list[Message] | None:
        """Private message; None (and the person marked) if they blocked or never started us."""
        try:
            return await send_html(self.bot, user_id, text, **kwargs)
        except Forbidden as exc:
            log.info("Cannot write to user %s: %s", user_id, exc.message)
            await self._people.mark_blocked(user_id, int(self._clock.now().timestamp()))
            return None

    async def to_chat(self, chat_id: int, text: str, **kwargs: Any) -> list[Message]:
        """Message to a group; follows a group's upgrade to a supergroup once."""
        try:
            return await send_html(self.bot, chat_id, text, **kwargs)
        except ChatMigrated as exc:
            await self._chats.migrate(chat_id, exc.new_chat_id, int(self._clock.now().timestamp()))
            return await send_html(self.bot, exc.new_chat_id, text, **kwargs)

    async def in_community(self, send: Callable[[int], Awaitable[T]]) -> T:
        """Run ``send(community_chat_id)``; follows a group's upgrade to a supergroup once.

        For calls other than plain text (polls, copies, albums) that still must land in the
        community chat whatever its id has become.
        """
        try:
            return await send(self._chats.community_id)
        except ChatMigrated as exc:
            now = int(self._clock.now().timestamp())
            await self._chats.migrate(self._chats.community_id, exc.new_chat_id, now)
            return await send(exc.new_chat_id)

    def use_posts_topic(self, topic: PostsTopic) -> None:
        """Where previews and polls go in a forum group (the forum feature sets it)."""
        self._posts_topic = topic

    async def in_posts_topic(self, send: Callable[[int, int | None], Awaitable[T]]) -> T:
        """Run ``send(community_chat_id, thread_id)`` in the topic for the club's posts.

        ``thread_id`` is None for the General topic. A topic deleted or closed since it was
        chosen is reported, and the post is tried once more where the topic's owner says
        (General, or a topic made anew): a preview is not lost because someone tidied up.
        """
        thread = await self._posts_topic.thread_id()
        try:
            return await self.in_community(lambda chat_id: send(chat_id, thread))
        except BadRequest as exc:
            reason = topic_refusal(exc.message)
            if thread is None or reason is None:
                raise
            await self._posts_topic.refused(thread, reason)
        retry = await self._posts_topic.thread_id()
        return await self.in_community(lambda chat_id: send(chat_id, retry))

    async def to_community(self, text: str, **kwargs: Any) -> list[Message]:
        return await self.to_chat(self._chats.community_id, text, **kwargs)

    async def to_brand(self, text: str, **kwargs: Any) -> list[Message]:
        return await self.to_chat(self._chats.brand_id, text, **kwargs)


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    db: Database
    scheduler: Scheduler
    permissions: Permissions
    people: PeopleRepository
    facts: FactsRepository
    inbox: InboxRepository
    chats: Chats
    messenger: Messenger
    # Every feature keeping per-person data registers here (see bot.core.erasure).
    erasure: ErasureRegistry
    # Start-up and shut-down work of this club's features.
    hooks: Hooks = field(default_factory=Hooks)

    def now_ts(self) -> int:
        return int(self.clock.now().timestamp())

    @property
    def tr(self) -> Translator:
        """The club's language: the group, the moderators and the brand team read this."""
        return translator(self.settings.community.language)

    def tr_for(self, user: User | None) -> Translator:
        """A private reply to ``user``: their Telegram app's language if we have it."""
        code = user.language_code if user is not None else None
        return translator(pick_language(code, self.settings.community.language))

    def tr_in(self, message: Message) -> Translator:
        """A reply to ``message``: a member's own language in a private chat; the club's in
        the group and for the moderators and the brand team, who run the club in it."""
        user = message.from_user
        if (
            message.chat.type != "private"
            or user is None
            or self.permissions.is_brand_team(user.id)
        ):
            return self.tr
        return self.tr_for(user)

    async def tr_for_person(self, user_id: int) -> Translator:
        """A private message nobody's update is asking for (a welcome, a teaser): the
        language Telegram last reported for the person, kept in ``people``."""
        person = await self.people.get(user_id)
        code = person.language_code if person is not None else None
        return translator(pick_language(code, self.settings.community.language))
