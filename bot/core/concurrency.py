"""Different people's updates at the same time; one person's (and one thing's) in order.

On launch day hundreds of people reach the bot within minutes. Handling updates strictly
one at a time makes each wait for every Bot API round trip and SQLite commit of everyone
before them. PTB's extension point for this is ``BaseUpdateProcessor``: the Application
hands each update to ``process_update`` as its own task, and the processor decides when it
runs. ``KeyedUpdateProcessor`` runs updates concurrently (at most ``max_concurrent_updates``
at once) except that updates sharing a key run in arrival order, one after the other:

* the person: their join request, their code, their Accept tap, their messages;
* the member an update is about: a chat_member change, a moderator's command naming them
  (by a reply, a numeric id or a text mention as its first argument);
* the message a button sits under: taps on one preview's rating keyboard edit that message;
* polls, and anything without a person, by their poll or chat.

Ordering by key covers one process's updates only; work that reaches a member by another way
(a scheduler job, a ban shared by another club) is serialized where it acts, with a
``KeyedLocks`` (moderation holds one per member).

The guarantees that do not depend on order still come from SQLite: one writer connection,
read-modify-write work in ``BEGIN IMMEDIATE`` (the seat cap), unique keys for "once".

Ordering is a chain per key: once an update has a slot, it waits for the latest earlier
update of each of its keys to finish. Every update it waits for took its slot earlier and
still holds it (or is done), so the oldest unfinished update can always run: no deadlock,
whatever the keys. A waiting update holds its slot, which only lowers concurrency.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Message, MessageEntity, Update
from telegram.ext import BaseUpdateProcessor

from bot.core.topics import replied_to

Key = tuple[Hashable, ...]

_ANYTHING: Key = ("global",)


def update_keys(update: object) -> tuple[Key, ...]:
    """The keys whose order this update must keep (at least one)."""
    if not isinstance(update, Update):
        return (_ANYTHING,)
    keys: list[Key] = []
    user = update.effective_user
    if user is not None:
        keys.append(("user", user.id))
    member_update = update.chat_member or update.my_chat_member
    if member_update is not None:
        keys.append(("user", member_update.new_chat_member.user.id))
    message = update.effective_message
    replied = replied_to(message) if message is not None else None
    if replied is not None:
        # A moderator's reply-command acts on the member replied to (not, in a topic, on
        # whoever created the topic: every topic message "replies" to its first message).
        target = replied.from_user
        if target is not None:
            keys.append(("user", target.id))
    if message is not None:
        named = _named_by_command(message)
        if named is not None:
            keys.append(("user", named))
    query = update.callback_query
    if query is not None and query.message is not None:
        keys.append(("message", query.message.chat.id, query.message.message_id))
    if update.poll is not None:
        keys.append(("poll", update.poll.id))
    if not keys:
        chat = update.effective_chat
        keys.append(("chat", chat.id) if chat is not None else _ANYTHING)
    return tuple(dict.fromkeys(keys))


# A Telegram user id has at most 16 digits (ids fit in 52 bits); a longer number is no id
# (and int() of a few thousand digits would raise).
_MAX_ID_DIGITS = 16


def _named_by_command(message: Message) -> int | None:
    """The person a command names first (``/ban 123 spam``, or a text mention), if any.

    Generic on purpose (no command list): keying a command by a number that names nobody only
    orders it with that number's updates. Runs for every message, so a plain message (no
    leading slash) costs one comparison."""
    text = message.text
    if not text or text[0] != "/":
        return None
    for entity in message.entities[1:2]:
        # A mention of a person without a username carries the user (their id).
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            return entity.user.id
    words = text.split(maxsplit=2)
    if len(words) < 2:
        return None
    first = words[1]
    if first.isascii() and first.isdecimal() and len(first) <= _MAX_ID_DIGITS:
        return int(first)
    return None


class KeyedLocks:
    """One lock per key, made when first needed and dropped when nobody holds or awaits it.

    For check-then-act work on one thing across awaits (a member's status read, then a ban):
    whoever else acts on the same key waits and then sees the result."""

    def __init__(self) -> None:
        # key -> (lock, how many hold or await it)
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        """How many keys are held or awaited now (idle keys cost nothing)."""
        return len(self._locks)


class KeyedUpdateProcessor(BaseUpdateProcessor):
    """Concurrent updates, ordered per key (see the module docstring)."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._tails: dict[Key, asyncio.Event] = {}
        self._registered = 0
        self.max_seen = 0  # most updates ever running at once (for tests and benchmarks)
        self._running = 0
        # Keys an update has beyond what it says itself: a "Which club?" answer runs the
        # command the question asked about, and is ordered with the member that command
        # names (bot.context.routing.ClubRouter.replay_keys).
        self.more_keys: Callable[[object], tuple[Key, ...]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        keys = update_keys(update)
        if self.more_keys is not None:
            keys = tuple(dict.fromkeys((*keys, *self.more_keys(update))))
        # Synchronous up to the first await, so the chain follows the order in which updates
        # took a slot, which is the queue's order: PTB starts one task per update in queue
        # order and asyncio's semaphore serves waiters first come, first served.
        done = asyncio.Event()
        before = [self._tails[key] for key in keys if key in self._tails]
        for key in keys:
            self._tails[key] = done
        self._registered += 1
        started = False
        try:
            for event in before:
                await event.wait()
            started = True
            self._running += 1
            self.max_seen = max(self.max_seen, self._running)
            try:
                await coroutine
            finally:
                self._running -= 1
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: it never ran
            self._registered -= 1
            done.set()
            for key in keys:
                if self._tails.get(key) is done:
                    del self._tails[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
