"""The club's topics: which one previews and polls go to, and what the bot knows of each.

``community.previews_topic`` names the topic. The Bot API cannot list a forum's topics, so
the bot looks in this order: the thread it remembered (a runtime fact, so a restart does not
create a second topic), a topic of that name it saw being made or renamed, and finally a new
topic it creates (createForumTopic, which needs the Manage Topics right). When none of that
works, posts go to General and the log says why, once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

from telegram import Message
from telegram.error import TelegramError

from bot.core.services import Services
from bot.core.topics import TOPIC_CLOSED, TOPIC_GONE
from bot.forum.repo import TopicsRepository

log = logging.getLogger(__name__)

POSTS_TOPIC_FACT = "previews_topic"


@dataclass(frozen=True, slots=True)
class RememberedTopic:
    chat_id: int
    name: str
    thread_id: int


class ForumService:
    """Implements bot.core.topics.PostsTopic for the Messenger, and notes topic changes."""

    def __init__(self, services: Services, repo: TopicsRepository) -> None:
        self._services = services
        self.repo = repo
        self._name = services.settings.community.previews_topic
        self._lock = asyncio.Lock()
        self._resolved = False
        self._thread: int | None = None
        self._is_forum: bool | None = None

    # --- PostsTopic -------------------------------------------------------------------------
    async def thread_id(self) -> int | None:
        if self._name is None:
            return None
        async with self._lock:
            if not self._resolved:
                self._thread = await self._resolve(self._name)
                self._resolved = True
            return self._thread

    async def refused(self, thread_id: int, reason: str) -> None:
        chat_id = self._services.chats.community_id
        async with self._lock:
            if reason == TOPIC_GONE:
                log.warning(
                    "The previews topic %r (thread %s) is gone; finding or creating it anew",
                    self._name,
                    thread_id,
                )
                await self.repo.forget(chat_id, thread_id)
                await self._forget_fact()
                self._resolved = False
            elif reason == TOPIC_CLOSED:
                log.warning(
                    "The previews topic %r is closed and the bot may not write there (no Manage "
                    "Topics right): posting in General until it is reopened",
                    self._name,
                )
                await self.repo.set_closed(chat_id, thread_id, True, self._services.now_ts())
                self._thread = None

    # --- start-up ---------------------------------------------------------------------------
    async def prepare(self) -> None:
        """Find or create the topic at start, so the log says at once where posts go."""
        if self._name is None:
            return
        try:
            thread = await self.thread_id()
        except TelegramError as exc:
            # Telegram unreachable at start: the first post tries again.
            log.warning("Could not look up the previews topic yet: %s", exc)
            self._resolved = False
            return
        if thread is not None:
            log.info("Previews and polls go to the topic %r (thread %s)", self._name, thread)

    # --- topic service messages -------------------------------------------------------------
    async def note(self, message: Message) -> None:
        """A topic was created, renamed, closed or reopened in the community group."""
        chat_id = message.chat.id
        thread_id = message.message_thread_id
        if chat_id != self._services.chats.community_id or thread_id is None:
            return  # other chats; General's own changes name no topic
        self._is_forum = True
        now = self._services.now_ts()
        created, edited = message.forum_topic_created, message.forum_topic_edited
        if created is not None:
            await self.repo.upsert(chat_id, thread_id, created.name, created.icon_color, now)
            await self._adopt_if_named(chat_id, thread_id, created.name)
        elif edited is not None and edited.name:
            await self.repo.rename(chat_id, thread_id, edited.name, now)
            await self._adopt_if_named(chat_id, thread_id, edited.name)
        elif message.forum_topic_closed is not None:
            await self.repo.set_closed(chat_id, thread_id, True, now)
        elif message.forum_topic_reopened is not None:
            await self.repo.set_closed(chat_id, thread_id, False, now)
            async with self._lock:
                remembered = await self._remembered(chat_id)
                if remembered is not None and remembered.thread_id == thread_id:
                    self._thread = thread_id  # back from General into its topic

    async def _adopt_if_named(self, chat_id: int, thread_id: int, name: str) -> None:
        """Someone made (or renamed) a topic with the configured name while posts went to
        General for want of it: use it from now on."""
        if name != self._name:
            return
        async with self._lock:
            if self._resolved and self._thread is None:
                await self._remember(chat_id, name, thread_id)
                self._thread = thread_id
                log.info("Previews and polls go to the topic %r from now on", name)

    # --- resolution -------------------------------------------------------------------------
    async def _resolve(self, name: str) -> int | None:
        services = self._services
        chat_id = services.chats.community_id
        if not await self._chat_is_forum(chat_id):
            log.info(
                "community.previews_topic is %r, but the group has no topics: previews and "
                "polls go to the group",
                name,
            )
            return None
        remembered = await self._remembered(chat_id)
        if remembered is not None and remembered.name == name:
            known = await self.repo.get(chat_id, remembered.thread_id)
            return None if known is not None and known.closed else remembered.thread_id
        seen = await self.repo.by_name(chat_id, name)
        if seen is not None:
            await self._remember(chat_id, name, seen.thread_id)
            return seen.thread_id
        try:
            topic = await services.messenger.bot.create_forum_topic(chat_id, name)
        except TelegramError as exc:
            log.warning(
                "Previews and polls go to General: the topic %r does not exist and the bot "
                "could not create it (%s). Give the bot the Manage Topics right or create the "
                "topic.",
                name,
                exc.message,
            )
            return None
        now = services.now_ts()
        await self.repo.upsert(chat_id, topic.message_thread_id, topic.name, topic.icon_color, now)
        await self._remember(chat_id, name, topic.message_thread_id)
        log.info("Created the topic %r for previews and polls", name)
        return topic.message_thread_id

    async def _chat_is_forum(self, chat_id: int) -> bool:
        if self._is_forum is None:
            chat = await self._services.messenger.bot.get_chat(chat_id)
            self._is_forum = bool(chat.is_forum)
        return self._is_forum

    async def _remembered(self, chat_id: int) -> RememberedTopic | None:
        raw = await self._services.facts.get(POSTS_TOPIC_FACT)
        fields = json.loads(raw) if raw is not None else None
        if not fields:
            return None  # never chosen, or forgotten when the topic was deleted
        stored = RememberedTopic(**fields)
        # A fact from another chat (the group was replaced) names no topic here.
        return stored if stored.chat_id == chat_id else None

    async def _remember(self, chat_id: int, name: str, thread_id: int) -> None:
        value = json.dumps({"chat_id": chat_id, "name": name, "thread_id": thread_id})
        await self._services.facts.put(POSTS_TOPIC_FACT, value, self._services.now_ts())

    async def _forget_fact(self) -> None:
        await self._services.facts.put(POSTS_TOPIC_FACT, "null", self._services.now_ts())
