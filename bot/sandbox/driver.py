"""The Sandbox: start/stop the fake Bot API and act as the people in the world.

Tests and the demo use this object only. Driver methods are synchronous and change the
world exactly like the matching user action in a Telegram app would, queueing the
update(s) the bot would receive; the bot then fetches them over real HTTP.

This module builds the world, reads it back and waits on the bot; what people do lives in
the mixins it is assembled from: people_messages.py, people_membership.py, forum_people.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from bot.core.clock import Clock, SystemClock
from bot.sandbox.errors import SandboxError
from bot.sandbox.faults import FaultPlan
from bot.sandbox.forum import enable_topics
from bot.sandbox.forum_people import ForumPeople
from bot.sandbox.models import (
    InviteLink,
    JoinRequest,
    Member,
    Poll,
    RecordedRequest,
    SentMessage,
    SimChat,
    SimUser,
)
from bot.sandbox.people_base import ChatLike
from bot.sandbox.people_membership import PeopleMembership
from bot.sandbox.people_messages import PeopleMessages
from bot.sandbox.rates import RateViolation
from bot.sandbox.serialize import ADMIN_RIGHTS, poll_json
from bot.sandbox.server import ApiServer, Predicate
from bot.sandbox.world import World, default_group_permissions

# Event-loop turns wait_idle lets pass before it trusts a bot's "idle" (see there).
_IDLE_CONFIRM_TURNS = 5


class Sandbox(PeopleMessages, PeopleMembership, ForumPeople):
    """An in-process Telegram for one bot token. See the package docstring for usage."""

    def __init__(
        self,
        token: str = "123456:TEST",
        clock: Clock | None = None,
        bot_username: str = "club_bot",
        bot_first_name: str = "Club Bot",
    ) -> None:
        self.token = token
        self.clock: Clock = clock or SystemClock()
        self.bot_user = SimUser(
            id=int(token.split(":")[0]),
            first_name=bot_first_name,
            username=bot_username,
            is_bot=True,
        )
        self.world = World(self.clock, self.bot_user)
        self.faults = FaultPlan()
        self.server = ApiServer(self.world, token, self.faults)
        self._callback_seq = 0

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        await self.server.stop()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/file/bot"

    # --- recorded state ----------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        return self.server.requests

    @property
    def rate_violations(self) -> list[RateViolation]:
        return self.server.rate_violations

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        return self.world.callback_answers

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by the bot."""
        return list(self.world.updates)

    def rate_limits(self, enabled: bool = True) -> None:
        """Flag sends faster than Telegram's guidance into rate_violations (never fails)."""
        self.server.rates.enabled = enabled

    # --- world building ----------------------------------------------------------------------
    def create_user(
        self,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
        last_name: str | None = None,
        is_bot: bool = False,
    ) -> SimUser:
        uid = user_id if user_id is not None else self.world.new_user_id()
        if uid in self.world.users:
            raise SandboxError("duplicate_id", f"user id {uid} already exists")
        user = SimUser(
            id=uid,
            first_name=first_name,
            username=username,
            last_name=last_name,
            language_code=language_code,
            is_bot=is_bot,
        )
        self.world.users[uid] = user
        return user

    def _create_chat(
        self, title: str, chat_id: int | None, kind: str, username: str | None
    ) -> SimChat:
        if chat_id is None:
            chat_id = -1_001_000_000_000 - len(self.world.chats)
        if chat_id in self.world.chats:
            raise SandboxError("duplicate_id", f"chat id {chat_id} already exists")
        chat = SimChat(
            id=chat_id,
            type=kind,
            title=title,
            username=username,
            permissions=default_group_permissions(),
        )
        self.world.chats[chat_id] = chat
        # The bot is a plain member from the start; make_bot_admin promotes it.
        chat.members[self.bot_user.id] = Member(user=self.bot_user, status="member")
        return chat

    def create_supergroup(
        self,
        title: str,
        chat_id: int | None = None,
        username: str | None = None,
        forum: bool = False,
    ) -> SimChat:
        """A supergroup; ``forum=True`` enables topics (Chat.is_forum)."""
        chat = self._create_chat(title, chat_id, "supergroup", username)
        if forum:
            enable_topics(chat)
        return chat

    def create_forum(
        self, title: str, chat_id: int | None = None, username: str | None = None
    ) -> SimChat:
        return self.create_supergroup(title, chat_id, username, forum=True)

    def create_group(
        self,
        title: str,
        chat_id: int | None = None,
        kind: str = "supergroup",
        username: str | None = None,
    ) -> SimChat:
        """Another chat (e.g. the brand team's). ``kind="group"`` makes a basic group."""
        return self._create_chat(title, chat_id, kind, username)

    def add_member(
        self, chat: SimChat, user: SimUser, status: str = "member", **rights: bool
    ) -> Member:
        """Silent setup: put ``user`` in ``chat`` with ``status`` and no update."""
        unknown = set(rights) - set(ADMIN_RIGHTS) - {"custom_title"}
        if unknown:
            raise SandboxError("bad_rights", f"unknown admin rights {sorted(unknown)}")
        member = Member(user=user, status=status)
        if status == "administrator":
            member.rights = {r: bool(rights.get(r, False)) for r in ADMIN_RIGHTS}
        if status == "restricted":
            member.permissions = {"can_send_messages": False}
        self.world.set_member(chat, user, member, emit=False)
        return member

    def make_bot_admin(self, chat: SimChat, **rights: bool) -> None:
        """Promote the bot (emits my_chat_member). Rights not given default to False,
        except can_manage_chat which Telegram always grants to admins."""
        unknown = set(rights) - set(ADMIN_RIGHTS)
        if unknown:
            raise SandboxError("bad_rights", f"unknown admin rights {sorted(unknown)}")
        full = {r: bool(rights.get(r, False)) for r in ADMIN_RIGHTS}
        full["can_manage_chat"] = True
        owner = next((m.user for m in chat.members.values() if m.status == "creator"), None)
        self.world.set_member(
            chat,
            self.bot_user,
            Member(user=self.bot_user, status="administrator", rights=full),
            actor=owner,
        )

    def remove_bot(self, chat: SimChat, by: SimUser | None = None) -> None:
        """Kick the bot from a group (my_chat_member with status kicked)."""
        self.world.set_member(
            chat, self.bot_user, Member(user=self.bot_user, status="kicked"), actor=by
        )

    def set_bot_can_read_all_messages(self, value: bool) -> None:
        self.world.can_read_all_group_messages = value

    def create_channel(
        self, title: str, chat_id: int | None = None, linked_group: SimChat | None = None
    ) -> SimChat:
        chat = self._create_chat(title, chat_id, "channel", None)
        if linked_group is not None:
            chat.linked_chat_id = linked_group.id
            linked_group.linked_chat_id = chat.id
        return chat

    # --- reading -----------------------------------------------------------------------------
    def messages_in(self, chat_or_user: ChatLike | int) -> list[SentMessage]:
        chat = self._chat(chat_or_user)
        msgs = [m for m in chat.messages.values()]
        for m in msgs:
            if m.poll_id:
                m.poll = poll_json(self.world.polls[m.poll_id])
        return msgs

    def bot_messages(
        self, chat_or_user: ChatLike | int, include_deleted: bool = True
    ) -> list[SentMessage]:
        return [
            m
            for m in self.messages_in(chat_or_user)
            if m.by_bot and not m.service and (include_deleted or not m.deleted)
        ]

    def members(self, chat: SimChat) -> dict[int, str]:
        self.world.expire_restrictions(chat)
        return {uid: m.status for uid, m in chat.members.items()}

    def member_status(self, chat: SimChat, user: SimUser) -> str:
        self.world.expire_restrictions(chat)
        return self.world.member(chat, user).status

    def invite_links(self, chat: SimChat) -> list[InviteLink]:
        return list(chat.invite_links.values())

    def pending_join_requests(self, chat: SimChat) -> list[JoinRequest]:
        return list(chat.join_requests.values())

    def poll(self, poll_id: str) -> Poll:
        return self.world.polls[poll_id]

    def has_started(self, user: SimUser) -> bool:
        return user.id in self.world.started

    # --- waiting -----------------------------------------------------------------------------
    async def wait_for(
        self,
        predicate: Predicate,
        timeout: float = 5.0,  # noqa: ASYNC109 - the public API takes a plain timeout
        message: str | None = None,
    ) -> None:
        """Wait until ``predicate()`` is true, re-checking after every request/change."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = ", ".join(f"{r.method}({r.status})" for r in self.requests[-8:])
                raise TimeoutError(
                    (message or f"condition {getattr(predicate, '__name__', predicate)!s} not met")
                    + f" within {timeout}s; last requests: [{recent}]; "
                    f"pending updates: {len(self.world.updates)}"
                )
            await self.server.wait_change(min(remaining, 0.1))

    def watch_bot(self, is_idle: Callable[[], bool]) -> Callable[[], None]:
        """Let the bot say when it has nothing in progress; returns the function it must call
        after each change of that answer, to wake whoever waits.

        Without this, ``wait_idle`` can only wait for ~50 ms without requests; with it,
        ``wait_idle`` returns as soon as every update is confirmed, no request is open and
        ``is_idle()`` holds.
        """
        self.server.bot_idle = is_idle
        return self.server.notify_idle

    async def wait_idle(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until the bot confirmed every update and is done: by its own word when it gives
        one (``watch_bot``), otherwise once no request came for ~50 ms."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.server.is_idle(loop.time()):
                if self.server.bot_idle is None:
                    return
                # A timer's callback is handed to a fresh task a loop turn before it can
                # count itself; a few turns later an idle bot is still idle.
                for _ in range(_IDLE_CONFIRM_TURNS):
                    await asyncio.sleep(0)
                if self.server.is_idle(loop.time()):
                    return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"sandbox not idle after {timeout}s: {len(self.world.updates)} unconfirmed "
                    f"updates, {self.server._in_flight} requests in flight"
                )
            # Changes wake us at once; the short bound only catches what nobody announces
            # (a timer coming due).
            await self.server.wait_idle_change(
                min(remaining, 0.01 if self.server.bot_idle else 0.02)
            )

    # --- time -------------------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        """Convenience for FakeClock users: move time and apply what became due."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise SandboxError("real_clock", "the sandbox clock cannot be moved")
        advance(seconds)
        self.world.tick()
        self.server.notify()
