"""The simulated Telegram: state (users, chats, messages, links, polls, updates) and rules.

Both sides act on this one object: Bot API methods (methods.py) on behalf of the bot, and
the driver (driver.py) on behalf of people. Keeping the rules here (who may DM whom, which
rights an action needs, how a membership change turns into updates) means both sides see
the same consequences, the way they would in Telegram.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.sandbox import errors as E
from bot.sandbox import limits
from bot.sandbox.errors import ApiError, bad_request, forbidden
from bot.sandbox.models import (
    InviteLink,
    Member,
    Poll,
    SentMessage,
    SimChat,
    SimUser,
)
from bot.sandbox.serialize import (
    DEFAULT_GROUP_PERMISSIONS,
    chat_json,
    member_json,
    message_json,
    user_json,
)

ACTIVE_STATUSES = ("creator", "administrator", "member")


class World:
    """All sandbox state. Synchronous; must be used from the event-loop thread only."""

    def __init__(self, clock: Clock, bot_user: SimUser) -> None:
        self.clock = clock
        self.bot = bot_user
        self.users: dict[int, SimUser] = {bot_user.id: bot_user}
        self.chats: dict[int, SimChat] = {}
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        # user id -> end of the window in which the bot may DM a join requester
        self.dm_windows: dict[int, datetime] = {}
        self.polls: dict[str, Poll] = {}
        self.callback_queries: dict[str, tuple[datetime, SimUser, SentMessage | None]] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.can_read_all_group_messages = False
        # update queue: unconfirmed updates in id order
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = limits.FIRST_UPDATE_ID
        self.allowed_updates: frozenset[str] = limits.ALL_UPDATE_TYPES - limits.OPT_IN_UPDATE_TYPES
        self.webhook: dict[str, Any] | None = None
        self.files: dict[str, tuple[str, bytes]] = {}
        self._user_ids = itertools.count(limits.FIRST_AUTO_USER_ID)
        self._ids = itertools.count(1)
        self.on_change: Callable[[], None] = lambda: None

    # --- ids ---------------------------------------------------------------------------
    def new_user_id(self) -> int:
        while True:
            uid = next(self._user_ids)
            if uid not in self.users:
                return uid

    def new_file_id(self, kind: str) -> tuple[str, str]:
        n = next(self._ids)
        return f"SBX{kind.upper()}{n:08d}{secrets.token_hex(8)}", f"SBXU{n:08d}"

    def new_token(self, nbytes: int = 12) -> str:
        return secrets.token_urlsafe(nbytes)

    # --- updates -----------------------------------------------------------------------
    def enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update for the bot unless its type is filtered out by allowed_updates.

        Telegram applies allowed_updates when the update is created ("doesn't affect
        updates created before the call"), so filtered updates are never queued.
        """
        if kind not in self.allowed_updates:
            return None
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.on_change()
        return update

    def confirm(self, offset: int) -> None:
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

    # --- lookups -----------------------------------------------------------------------
    def private_chat(self, user: SimUser) -> SimChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = SimChat(
                id=user.id,
                type="private",
                username=user.username,
                first_name=user.first_name,
                last_name=user.last_name,
            )
            self.chats[user.id] = chat
        return chat

    def resolve_chat(self, chat_id: Any) -> SimChat:
        """chat_id as sent by the bot (int, numeric string or @username) -> chat or 400."""
        if chat_id is None or chat_id == "":
            raise E.missing("chat_id")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == chat_id[1:].lower():
                    return chat
            raise bad_request(E.CHAT_NOT_FOUND)
        try:
            cid = int(chat_id)
        except (TypeError, ValueError):
            raise bad_request(E.CHAT_NOT_FOUND) from None
        found = self.chats.get(cid)
        if found is None:
            user = self.users.get(cid)
            if user is None or user.is_bot:
                raise bad_request(E.CHAT_NOT_FOUND)
            found = self.private_chat(user)
        chat = found
        if chat.migrated_to is not None:
            raise bad_request(E.GROUP_UPGRADED, {"migrate_to_chat_id": chat.migrated_to})
        return chat

    def user(self, user_id: Any) -> SimUser:
        try:
            uid = int(user_id)
        except (TypeError, ValueError):
            raise E.missing("user_id") from None
        if uid <= 0:
            raise E.missing("user_id")
        user = self.users.get(uid)
        if user is None:
            raise bad_request(E.USER_NOT_FOUND)
        return user

    def member(self, chat: SimChat, user: SimUser) -> Member:
        return chat.members.get(user.id) or Member(user=user, status="left")

    def is_in_chat(self, chat: SimChat, user: SimUser) -> bool:
        m = chat.members.get(user.id)
        return m is not None and (
            m.status in ACTIVE_STATUSES or (m.status == "restricted" and m.is_member)
        )

    def message(self, chat: SimChat, message_id: Any) -> SentMessage | None:
        try:
            mid = int(message_id)
        except (TypeError, ValueError):
            return None
        msg = chat.messages.get(mid)
        return None if msg is None or msg.deleted else msg

    # --- rules -------------------------------------------------------------------------
    def expire_restrictions(self, chat: SimChat) -> None:
        """Lift bans/restrictions whose until_date has passed on the sandbox clock."""
        now = self.clock.now()
        for member in chat.members.values():
            if member.until is not None and member.until <= now:
                if member.status == "kicked":
                    member.status, member.until = "left", None
                elif member.status == "restricted":
                    member.status = "member" if member.is_member else "left"
                    member.until, member.permissions = None, {}

    def bot_rights(self, chat: SimChat) -> Member:
        return self.member(chat, self.bot)

    def require_admin_right(self, chat: SimChat, right: str, error: str) -> None:
        """The bot must be creator, or an admin with ``right``; else 400 with ``error``."""
        if chat.type == "private":
            return
        me = self.bot_rights(chat)
        if me.status == "creator":
            return
        if me.status != "administrator" or not me.rights.get(right, False):
            raise bad_request(error)

    def check_can_send(self, chat: SimChat) -> None:
        """May the bot post in this chat right now? Raises the 403 Telegram would send."""
        if chat.type == "private":
            uid = chat.id
            if uid in self.blocked:
                raise forbidden(E.BOT_BLOCKED)
            if uid in self.started:
                return
            window = self.dm_windows.get(uid)
            if window is not None and self.clock.now() <= window:
                return
            raise forbidden(E.CANT_INITIATE)
        me = self.bot_rights(chat)
        if me.status == "kicked":
            raise forbidden(
                E.BOT_KICKED_GROUP
                if chat.type == "supergroup"
                else "bot was kicked from the group chat"
            )
        if not self.is_in_chat(chat, self.bot):
            raise forbidden(
                E.BOT_NOT_MEMBER
                if chat.type == "supergroup"
                else "bot is not a member of the group chat"
            )

    # --- messages ----------------------------------------------------------------------
    def store_message(self, chat: SimChat, sender: SimUser | None, **fields: Any) -> SentMessage:
        msg = SentMessage(
            message_id=chat.take_message_id(),
            chat_id=chat.id,
            from_id=sender.id if sender else None,
            date=self.clock.now(),
            by_bot=sender is not None and sender.id == self.bot.id,
            **fields,
        )
        chat.messages[msg.message_id] = msg
        self.on_change()
        return msg

    def message_json(self, msg: SentMessage, with_reply: bool = True) -> dict[str, Any]:
        chat = self.chats[msg.chat_id]
        sender = self.users.get(msg.from_id) if msg.from_id is not None else None
        sender_chat = self.chats.get(msg.sender_chat_id) if msg.sender_chat_id else None
        reply = None
        reply_id = msg.reply_to
        if reply_id is None and msg.thread_id is not None and msg.thread_id != msg.message_id:
            # In a topic, a message that answers nothing still carries reply_to_message: the
            # topic's forum_topic_created message (topics are reply threads of that message;
            # aiogram#1511, takopi#152 show it in real updates).
            reply_id = msg.thread_id
        if with_reply and reply_id is not None:
            target = chat.messages.get(reply_id)
            if target is not None and not target.deleted:
                reply = self.message_json(target, with_reply=False)
        poll = self.polls.get(msg.poll_id) if msg.poll_id else None
        return message_json(msg, chat, sender, sender_chat, reply, poll)

    # --- membership --------------------------------------------------------------------
    def set_member(
        self,
        chat: SimChat,
        user: SimUser,
        new: Member,
        actor: SimUser | None = None,
        invite_link: InviteLink | None = None,
        via_join_request: bool = False,
        emit: bool = True,
    ) -> dict[str, Any] | None:
        """Replace a membership and emit chat_member (or my_chat_member for the bot)."""
        old = self.member(chat, user)
        chat.members[user.id] = new
        self.on_change()
        if not emit:
            return None
        payload: dict[str, Any] = {
            "chat": chat_json(chat),
            "from": user_json(actor or user),
            "date": int(self.clock.now().timestamp()),
            "old_chat_member": member_json(old),
            "new_chat_member": member_json(new),
        }
        if invite_link is not None:
            payload["invite_link"] = self.invite_link_json(invite_link)
        if via_join_request:
            payload["via_join_request"] = True
        kind = "my_chat_member" if user.id == self.bot.id else "chat_member"
        self.enqueue(kind, payload)
        return payload

    def invite_link_json(self, link: InviteLink) -> dict[str, Any]:
        from bot.sandbox.serialize import invite_link_json

        chat = self.chats[link.chat_id]
        pending = sum(1 for r in chat.join_requests.values() if r.invite_link == link.link)
        return invite_link_json(link, self.users[link.creator_id], pending)

    def link_problem(self, chat: SimChat, link: InviteLink) -> str | None:
        """Why a link cannot be used right now, or None. Reasons are SandboxError reasons."""
        if link.is_revoked:
            return "revoked"
        if link.expire_date is not None and self.clock.now() >= link.expire_date:
            return "expired"
        if link.member_limit is not None:
            # member_limit counts users who joined via the link and are still members
            # ("maximum number of users that can be members ... simultaneously").
            current = sum(
                1
                for uid in link.joined
                if uid in chat.members and self.is_in_chat(chat, chat.members[uid].user)
            )
            if current >= link.member_limit:
                return "limit_reached"
        return None

    def find_link(self, link_str: str) -> tuple[SimChat, InviteLink] | None:
        for chat in self.chats.values():
            link = chat.invite_links.get(link_str)
            if link is not None:
                return chat, link
        return None

    def new_invite_link(self, chat: SimChat, creator: SimUser, **fields: Any) -> InviteLink:
        # Real links look like https://t.me/+<22 chars>; the "+" form is the modern one.
        link = InviteLink(
            link=f"https://t.me/+{self.new_token(16)[:22]}",
            creator_id=creator.id,
            chat_id=chat.id,
            **fields,
        )
        chat.invite_links[link.link] = link
        return link

    # --- time-driven changes -----------------------------------------------------------
    def close_due_polls(self) -> None:
        now = self.clock.now()
        for poll in self.polls.values():
            if not poll.is_closed and poll.close_date is not None and now >= poll.close_date:
                poll.is_closed = True
                from bot.sandbox.serialize import poll_json

                self.enqueue("poll", poll_json(poll))

    def tick(self) -> None:
        """Apply everything that the sandbox clock made due (called on each request)."""
        self.close_due_polls()
        for chat in self.chats.values():
            if chat.type != "private":
                self.expire_restrictions(chat)

    def until_from_param(self, value: Any) -> datetime | None:
        """until_date semantics: <30 s or >366 days from now (or 0) means forever."""
        if value in (None, "", 0, "0"):
            return None
        try:
            moment = int(value)
        except (TypeError, ValueError):
            raise bad_request("invalid until_date specified") from None  # assumption
        now = self.clock.now()
        delta = moment - now.timestamp()
        if delta < limits.FOREVER_MIN_SECONDS or delta > limits.FOREVER_MAX_SECONDS:
            return None
        return now + timedelta(seconds=delta)


def default_group_permissions() -> dict[str, bool]:
    return dict(DEFAULT_GROUP_PERMISSIONS)


__all__ = ["ApiError", "World", "default_group_permissions"]
