"""What people write and tap in a Telegram app: messages, photos, edits, buttons, votes,
reactions (a mixin of the Sandbox, see people_base.py).

Apps do not offer what a person may not do, so a refused action is a SandboxError, not a
Bot API error.
"""

from __future__ import annotations

from bot.sandbox import limits
from bot.sandbox.errors import SandboxError
from bot.sandbox.formatting import command_entities
from bot.sandbox.forum_people import TopicRef
from bot.sandbox.methods import _photo_sizes
from bot.sandbox.models import SentMessage, SimChat, SimUser
from bot.sandbox.people_base import ChatLike, PeopleBase
from bot.sandbox.serialize import chat_json, poll_json, user_json
from bot.sandbox.threads import place


class PeopleMessages(PeopleBase):
    """People's messages and taps; the Sandbox numbers callback queries in ``_callback_seq``."""

    _callback_seq: int

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


__all__ = ["PeopleMessages"]
