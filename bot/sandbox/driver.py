"""The Sandbox: start/stop the fake Bot API and act as the people in the world.

Tests and the demo use this object only. Driver methods are synchronous and change the
world exactly like the matching user action in a Telegram app would, queueing the
update(s) the bot would receive; the bot then fetches them over real HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.core.clock import Clock, SystemClock
from bot.sandbox import limits
from bot.sandbox.errors import SandboxError
from bot.sandbox.faults import FaultPlan
from bot.sandbox.formatting import command_entities
from bot.sandbox.forum import enable_topics
from bot.sandbox.forum_people import ForumPeople, TopicRef
from bot.sandbox.methods import _photo_sizes
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
from bot.sandbox.rates import RateViolation
from bot.sandbox.serialize import (
    ADMIN_RIGHTS,
    chat_json,
    poll_json,
    user_json,
)
from bot.sandbox.server import ApiServer, Predicate
from bot.sandbox.threads import place
from bot.sandbox.world import World, default_group_permissions

ChatLike = SimChat | SimUser

# Event-loop turns wait_idle lets pass before it trusts a bot's "idle" (see there).
_IDLE_CONFIRM_TURNS = 5


class Sandbox(ForumPeople):
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

    # --- reading -----------------------------------------------------------------------------
    def _chat(self, chat_or_user: ChatLike | int) -> SimChat:
        if isinstance(chat_or_user, SimUser):
            return self.world.private_chat(chat_or_user)
        if isinstance(chat_or_user, int):
            chat = self.world.chats.get(chat_or_user)
            if chat is None:
                raise SandboxError("no_such_chat", f"no chat {chat_or_user}")
            return chat
        return chat_or_user

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

    # --- acting as people --------------------------------------------------------------------
    def _now_ts(self) -> int:
        return int(self.clock.now().timestamp())

    def _deliver_message(self, chat: SimChat, msg: SentMessage, kind: str = "message") -> None:
        """Queue a person's message, honouring privacy mode in groups."""
        if chat.type != "private" and not self._bot_sees(chat, msg):
            return
        if chat.type != "private" and not self.world.is_in_chat(chat, self.bot_user):
            return
        self.world.enqueue(kind, self.world.message_json(msg))

    def _bot_sees(self, chat: SimChat, msg: SentMessage) -> bool:
        """Privacy mode: without can_read_all_group_messages a non-admin bot only gets
        commands, replies to its own messages and service messages (Bot API FAQ)."""
        if self.world.can_read_all_group_messages or msg.service:
            return True
        if self.world.bot_rights(chat).status in ("administrator", "creator"):
            return True
        content = msg.content or ""
        if content.startswith("/"):
            return True
        if msg.reply_to is not None:
            target = chat.messages.get(msg.reply_to)
            return target is not None and target.by_bot
        return False

    def _check_can_post(self, user: SimUser, chat: SimChat) -> None:
        if chat.type == "private":
            return
        self.world.expire_restrictions(chat)
        member = self.world.member(chat, user)
        if not self.world.is_in_chat(chat, user):
            raise SandboxError("not_member", f"{user.first_name} is not in {chat.title}")
        if member.status == "restricted" and not member.permissions.get("can_send_messages"):
            raise SandboxError("restricted", f"{user.first_name} may not send messages")

    def _reply_id(self, chat: SimChat, reply_to: int | SentMessage | None) -> int | None:
        if reply_to is None:
            return None
        mid = reply_to.message_id if isinstance(reply_to, SentMessage) else reply_to
        if self.world.message(chat, mid) is None:
            raise SandboxError("no_such_message", f"message {mid} not in chat {chat.id}")
        return mid

    def start_bot(self, user: SimUser, payload: str | None = None) -> SentMessage:
        """The user taps START (or a t.me/bot?start=PAYLOAD link)."""
        self.world.started.add(user.id)
        self.world.blocked.discard(user.id)
        text = "/start" if payload is None else f"/start {payload}"
        return self.send_text(user, user, text)

    def _placed(
        self, user: SimUser, chat: SimChat, topic: TopicRef | None, reply_to: int | None
    ) -> dict[str, int | None]:
        """thread_id / reply_thread fields for a person's message (see threads.py)."""
        thread = topic.thread_id if topic is not None and not isinstance(topic, int) else topic
        where = place(self.world, chat, user, thread, reply_to, for_person=True)
        return {"thread_id": where.thread_id, "reply_thread": where.reply_thread}

    def send_text(
        self,
        user: SimUser,
        chat: ChatLike,
        text: str,
        reply_to: int | SentMessage | None = None,
        topic: TopicRef | None = None,
    ) -> SentMessage:
        """``topic``: the forum topic written in (None: General, or a reply's topic)."""
        target = self._chat(chat)
        self._check_can_post(user, target)
        if target.type == "private":
            # Writing to the bot (e.g. answering its join-request message) opens the chat:
            # from then on the bot may write to this person like to anyone who started it.
            self.world.started.add(user.id)
        reply_id = self._reply_id(target, reply_to)
        placed = self._placed(user, target, topic, reply_id)
        msg = self.world.store_message(
            target,
            user,
            text=text,
            entities=command_entities(text),
            reply_to=reply_id,
            **placed,
        )
        self._deliver_message(target, msg)
        return msg

    def send_photo(
        self,
        user: SimUser,
        chat: ChatLike,
        caption: str | None = None,
        reply_to: int | SentMessage | None = None,
        media_group_id: str | None = None,
        topic: TopicRef | None = None,
    ) -> SentMessage:
        target = self._chat(chat)
        self._check_can_post(user, target)
        reply_id = self._reply_id(target, reply_to)
        placed = self._placed(user, target, topic, reply_id)
        file_id, unique = self.world.new_file_id("photo")
        data = b"\x89PNG sandbox photo " + file_id.encode()
        self.world.files[file_id] = ("photo.jpg", data)
        msg = self.world.store_message(
            target,
            user,
            photo=_photo_sizes(file_id, unique),
            photo_bytes=data,
            caption=caption,
            caption_entities=command_entities(caption) if caption else [],
            reply_to=reply_id,
            media_group_id=media_group_id,
            **placed,
        )
        self._deliver_message(target, msg)
        return msg

    def send_album(
        self, user: SimUser, chat: ChatLike, n: int = 2, caption: str | None = None
    ) -> list[SentMessage]:
        """n photos sharing a media_group_id; the caption sits on the first, as in apps."""
        if not limits.MIN_MEDIA_GROUP <= n <= limits.MAX_MEDIA_GROUP:
            raise SandboxError("bad_album", "albums have 2-10 items")
        group_id = str(10**17 + len(self.world.files))
        return [
            self.send_photo(
                user, chat, caption=caption if i == 0 else None, media_group_id=group_id
            )
            for i in range(n)
        ]

    def send_as_chat(
        self, sender_chat: SimChat, chat: SimChat, text: str, automatic_forward: bool = False
    ) -> SentMessage:
        """An anonymous admin post (sender_chat == chat) or, with automatic_forward, a
        channel post automatically forwarded into its linked discussion group."""
        # Telegram sets from to @GroupAnonymousBot (id 1087968824) for anonymous admins and
        # to the service account "Telegram" (id 777000) for automatic forwards.
        service_id = 777000 if automatic_forward else 1087968824
        service_user = self.world.users.get(service_id)
        if service_user is None:
            service_user = SimUser(
                id=service_id,
                is_bot=not automatic_forward,
                first_name="Telegram" if automatic_forward else "Group",
                username=None if automatic_forward else "GroupAnonymousBot",
            )
            self.world.users[service_id] = service_user
        msg = self.world.store_message(
            chat,
            service_user,
            text=text,
            entities=command_entities(text),
            sender_chat_id=sender_chat.id,
            is_automatic_forward=automatic_forward,
        )
        if automatic_forward:
            msg.forward_origin = {
                "type": "channel",
                "chat": chat_json(sender_chat),
                "message_id": msg.message_id,
                "date": self._now_ts(),
            }
        self._deliver_message(chat, msg)
        return msg

    def create_channel(
        self, title: str, chat_id: int | None = None, linked_group: SimChat | None = None
    ) -> SimChat:
        chat = self._create_chat(title, chat_id, "channel", None)
        if linked_group is not None:
            chat.linked_chat_id = linked_group.id
            linked_group.linked_chat_id = chat.id
        return chat

    def edit_text(self, msg: SentMessage, text: str) -> SentMessage:
        chat = self.world.chats[msg.chat_id]
        if msg.text is not None:
            msg.edits.append(msg.text)
            msg.text, msg.entities = text, command_entities(text)
        else:
            msg.edits.append(msg.caption or "")
            msg.caption = text
        msg.edit_date = self.clock.now()
        self._deliver_message(chat, msg, kind="edited_message")
        return msg

    # --- joining and leaving -----------------------------------------------------------------
    def _resolve_link(self, link_str: str) -> tuple[SimChat, InviteLink]:
        found = self.world.find_link(link_str)
        if found is None:
            raise SandboxError("unknown_link", f"no such invite link {link_str}")
        return found

    def request_join(self, user: SimUser, invite_link: str) -> JoinRequest:
        chat, link = self._resolve_link(invite_link)
        problem = self.world.link_problem(chat, link)
        if problem is not None:
            raise SandboxError(problem, f"cannot use {invite_link}: {problem}")
        if not link.creates_join_request:
            raise SandboxError("no_approval_needed", "this link adds members directly")
        return self._file_join_request(user, chat, link)

    def _file_join_request(
        self, user: SimUser, chat: SimChat, link: InviteLink | None
    ) -> JoinRequest:
        if self.world.is_in_chat(chat, user):
            raise SandboxError("already_member", f"{user.first_name} is already in the chat")
        if self.world.member(chat, user).status == "kicked":
            raise SandboxError("banned", f"{user.first_name} is banned from the chat")
        now = self.clock.now()
        request = JoinRequest(
            user=user, chat_id=chat.id, date=now, invite_link=link.link if link else None
        )
        chat.join_requests[user.id] = request
        self.world.dm_windows[user.id] = now + timedelta(
            seconds=limits.JOIN_REQUEST_DM_WINDOW_SECONDS
        )
        payload: dict[str, Any] = {
            "chat": chat_json(chat),
            "from": user_json(user),
            "user_chat_id": user.id,
            "date": int(now.timestamp()),
        }
        if link is not None:
            payload["invite_link"] = self.world.invite_link_json(link)
        self.world.enqueue("chat_join_request", payload)
        return request

    def join_via_link(self, user: SimUser, invite_link: str) -> JoinRequest | Member:
        """Open an invite link. Join requests are filed for approval links; otherwise the
        user joins (chat_member update carrying the link) or SandboxError says why not."""
        chat, link = self._resolve_link(invite_link)
        problem = self.world.link_problem(chat, link)
        if problem is not None:
            raise SandboxError(problem, f"cannot join via {invite_link}: {problem}")
        if link.creates_join_request:
            return self._file_join_request(user, chat, link)
        if self.world.is_in_chat(chat, user):
            raise SandboxError("already_member", f"{user.first_name} is already in the chat")
        if self.world.member(chat, user).status == "kicked":
            raise SandboxError("banned", f"{user.first_name} is banned from the chat")
        link.joined.append(user.id)
        member = Member(user=user, status="member")
        self.world.set_member(chat, user, member, invite_link=link)
        self._service_message(chat, user, {"new_chat_members": [user_json(user)]})
        return member

    def _service_message(self, chat: SimChat, user: SimUser, service: dict[str, Any]) -> None:
        msg = self.world.store_message(chat, user, service=service)
        self._deliver_message(chat, msg)

    def leave(self, user: SimUser, chat: SimChat) -> None:
        if not self.world.is_in_chat(chat, user):
            raise SandboxError("not_member", f"{user.first_name} is not in the chat")
        self.world.set_member(chat, user, Member(user=user, status="left"))
        self._service_message(chat, user, {"left_chat_member": user_json(user)})

    def add_by(self, adder: SimUser, user: SimUser, chat: SimChat) -> Member:
        """``adder`` adds ``user`` directly (chat_member with from = adder)."""
        if not self.world.is_in_chat(chat, adder):
            raise SandboxError("not_member", f"{adder.first_name} is not in the chat")
        if self.world.is_in_chat(chat, user):
            raise SandboxError("already_member", f"{user.first_name} is already in the chat")
        member = Member(user=user, status="member")
        self.world.set_member(chat, user, member, actor=adder)
        self._service_message(chat, adder, {"new_chat_members": [user_json(user)]})
        return member

    # --- buttons, polls, reactions -----------------------------------------------------------
    def press_button(self, user: SimUser, msg: SentMessage, callback_data: str) -> str:
        if msg.deleted:
            raise SandboxError("message_deleted", "the message was deleted")
        rows = (msg.reply_markup or {}).get("inline_keyboard") or []
        if not any(b.get("callback_data") == callback_data for row in rows for b in row):
            raise SandboxError("no_such_button", f"no button with data {callback_data!r}")
        self._callback_seq += 1
        qid = f"{user.id}{self._callback_seq:06d}"
        self.world.callback_queries[qid] = (self.clock.now(), user, msg)
        chat = self.world.chats[msg.chat_id]
        payload = {
            "id": qid,
            "from": user_json(user),
            "message": self.world.message_json(msg),
            "chat_instance": str(abs(chat.id) * 7 + 13),
            "data": callback_data,
        }
        self.world.enqueue("callback_query", payload)
        return qid

    def vote(self, user: SimUser, poll_msg: SentMessage, option_ids: list[int]) -> None:
        if not poll_msg.poll_id:
            raise SandboxError("not_a_poll", "message has no poll")
        poll = self.world.polls[poll_msg.poll_id]
        self.world.tick()
        if poll.is_closed:
            raise SandboxError("poll_closed", "the poll is closed")
        if (
            any(not 0 <= o < len(poll.options) for o in option_ids)
            or (len(option_ids) > 1 and not poll.allows_multiple_answers)
            or len(set(option_ids)) != len(option_ids)
        ):
            raise SandboxError("bad_options", f"invalid options {option_ids}")
        if option_ids:
            poll.votes[user.id] = list(option_ids)
        else:
            poll.votes.pop(user.id, None)
        if not poll.is_anonymous:
            self.world.enqueue(
                "poll_answer",
                {
                    "poll_id": poll.id,
                    "user": user_json(user),
                    "option_ids": list(option_ids),
                    "option_persistent_ids": [str(o) for o in option_ids],
                },
            )
        # Bots receive poll updates only for polls they sent (Bot API docs on Update.poll).
        if poll_msg.by_bot:
            self.world.enqueue("poll", poll_json(poll))

    def react(self, user: SimUser, msg: SentMessage, emojis: list[str]) -> None:
        chat = self.world.chats[msg.chat_id]
        old = msg.reactions.get(user.id, [])
        if emojis:
            msg.reactions[user.id] = list(emojis)
        else:
            msg.reactions.pop(user.id, None)
        now = self._now_ts()
        self.world.enqueue(
            "message_reaction",
            {
                "chat": chat_json(chat),
                "message_id": msg.message_id,
                "user": user_json(user),
                "date": now,
                "old_reaction": [{"type": "emoji", "emoji": e} for e in old],
                "new_reaction": [{"type": "emoji", "emoji": e} for e in emojis],
            },
        )
        if chat.type != "private":
            counts: dict[str, int] = {}
            for chosen in msg.reactions.values():
                for e in chosen:
                    counts[e] = counts.get(e, 0) + 1
            self.world.enqueue(
                "message_reaction_count",
                {
                    "chat": chat_json(chat),
                    "message_id": msg.message_id,
                    "date": now,
                    "reactions": [
                        {"type": {"type": "emoji", "emoji": e}, "total_count": c}
                        for e, c in sorted(counts.items())
                    ],
                },
            )

    # --- blocking and migration --------------------------------------------------------------
    def block_bot(self, user: SimUser) -> None:
        self.world.blocked.add(user.id)
        chat = self.world.private_chat(user)
        self._private_status(user, chat, "kicked")

    def unblock_bot(self, user: SimUser) -> None:
        self.world.blocked.discard(user.id)
        chat = self.world.private_chat(user)
        self._private_status(user, chat, "member")

    def _private_status(self, user: SimUser, chat: SimChat, status: str) -> None:
        old = "member" if status == "kicked" else "kicked"
        payload = {
            "chat": chat_json(chat),
            "from": user_json(user),
            "date": self._now_ts(),
            "old_chat_member": {
                "status": old,
                "user": user_json(self.bot_user),
                **({"until_date": 0} if old == "kicked" else {}),
            },
            "new_chat_member": {
                "status": status,
                "user": user_json(self.bot_user),
                **({"until_date": 0} if status == "kicked" else {}),
            },
        }
        self.world.enqueue("my_chat_member", payload)

    def migrate_group_to_supergroup(self, old_chat: SimChat, new_chat_id: int) -> SimChat:
        """Upgrade a basic group: members move to a new supergroup id, the old id answers
        400 with migrate_to_chat_id, and both chats get the migration service messages."""
        if new_chat_id in self.world.chats:
            raise SandboxError("duplicate_id", f"chat id {new_chat_id} already exists")
        new = SimChat(
            id=new_chat_id,
            type="supergroup",
            title=old_chat.title,
            permissions=dict(old_chat.permissions),
        )
        new.members = dict(old_chat.members)
        self.world.chats[new_chat_id] = new
        actor = next(
            (m.user for m in old_chat.members.values() if m.status == "creator"), self.bot_user
        )
        old_msg = self.world.store_message(
            old_chat, actor, service={"migrate_to_chat_id": new_chat_id}
        )
        self._deliver_message(old_chat, old_msg)
        new_msg = self.world.store_message(
            new, actor, service={"migrate_from_chat_id": old_chat.id}
        )
        new_msg.sender_chat_id = old_chat.id
        self._deliver_message(new, new_msg)
        old_chat.migrated_to = new_chat_id
        return new

    def advance(self, seconds: float) -> None:
        """Convenience for FakeClock users: move time and apply what became due."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise SandboxError("real_clock", "the sandbox clock cannot be moved")
        advance(seconds)
        self.world.tick()
        self.server.notify()
