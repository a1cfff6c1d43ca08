"""How people join and leave chats, block the bot, and how a group becomes a supergroup
(a mixin of the Sandbox, see people_base.py).

A join the world does not allow (a used-up link, a ban, already a member) is a
SandboxError naming why, as an app would refuse it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.sandbox import limits
from bot.sandbox.errors import SandboxError
from bot.sandbox.models import InviteLink, JoinRequest, Member, SimChat, SimUser
from bot.sandbox.people_base import PeopleBase
from bot.sandbox.serialize import chat_json, user_json


class PeopleMembership(PeopleBase):
    """People's joins, leaves and blocks."""

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


__all__ = ["PeopleMembership"]
