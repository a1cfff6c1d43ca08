"""Plain records for the simulated world: people, chats, messages, links, polls.

They are mutable dataclasses on purpose: the world (world.py) changes them in place and
tests read them directly (``sb.messages_in(group)[-1].reply_markup``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(eq=False)
class SimUser:
    """A Telegram account (a person, or the bot itself when is_bot=True)."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    @property
    def chat_id(self) -> int:
        """A private chat's id equals the user's id."""
        return self.id


@dataclass(eq=False)
class Member:
    """One user's membership record in one chat (the ChatMember object, roughly)."""

    user: SimUser
    status: str  # creator | administrator | member | restricted | left | kicked
    rights: dict[str, bool] = field(default_factory=dict)
    permissions: dict[str, bool] = field(default_factory=dict)
    is_member: bool = True  # for restricted
    until: datetime | None = None  # for restricted / kicked; None = forever
    custom_title: str | None = None


@dataclass(eq=False)
class SentMessage:
    """A message in a chat, whoever sent it. Fields mirror what tests want to assert on."""

    message_id: int
    chat_id: int
    from_id: int | None
    date: datetime
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    protect_content: bool = False
    disable_notification: bool = False
    link_preview_options: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    photo_bytes: bytes | None = None
    document: tuple[str, bytes] | None = None  # (file name, content)
    document_meta: dict[str, Any] | None = None
    video: dict[str, Any] | None = None
    poll_id: str | None = None
    media_group_id: str | None = None
    reply_to: int | None = None
    # The forum topic the message is in (the id of the topic's forum_topic_created message);
    # None in the General topic and in chats without topics.
    thread_id: int | None = None
    # Outside topics, a reply in a supergroup belongs to the reply thread of the message it
    # answers; the Bot API reports that root as message_thread_id without is_topic_message.
    reply_thread: int | None = None
    sender_chat_id: int | None = None
    is_automatic_forward: bool = False
    forward_origin: dict[str, Any] | None = None
    service: dict[str, Any] | None = None  # e.g. {"new_chat_members": [...]} or pinned
    pinned: bool = False
    deleted: bool = False
    edit_date: datetime | None = None
    edits: list[str] = field(default_factory=list)  # previous text/caption values, oldest first
    reactions: dict[int, list[str]] = field(default_factory=dict)  # user id -> emojis
    by_bot: bool = False
    poll: dict[str, Any] | None = None  # filled by the world with the current poll JSON

    @property
    def content(self) -> str | None:
        """Text or caption: whichever the message carries."""
        return self.text if self.text is not None else self.caption


@dataclass(eq=False)
class InviteLink:
    link: str
    creator_id: int
    chat_id: int
    name: str | None = None
    expire_date: datetime | None = None
    member_limit: int | None = None
    creates_join_request: bool = False
    is_primary: bool = False
    is_revoked: bool = False
    joined: list[int] = field(default_factory=list)  # users who joined via this link


@dataclass(eq=False)
class JoinRequest:
    user: SimUser
    chat_id: int
    date: datetime
    invite_link: str | None
    bio: str | None = None


@dataclass(eq=False)
class Poll:
    id: str
    chat_id: int
    message_id: int
    question: str
    options: list[str]
    is_anonymous: bool = True
    type: str = "regular"
    allows_multiple_answers: bool = False
    is_closed: bool = False
    open_period: int | None = None
    close_date: datetime | None = None
    correct_option_id: int | None = None
    explanation: str | None = None
    votes: dict[int, list[int]] = field(default_factory=dict)  # user id -> option ids

    def counts(self) -> list[int]:
        counts = [0] * len(self.options)
        for chosen in self.votes.values():
            for opt in chosen:
                counts[opt] += 1
        return counts


@dataclass(eq=False)
class ForumTopic:
    """One topic of a forum supergroup; its id is the id of the message that created it."""

    thread_id: int
    name: str
    icon_color: int
    creator_id: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False


@dataclass(eq=False)
class SimChat:
    """A group, supergroup or private chat, with its members, messages and links."""

    id: int
    type: str  # private | group | supergroup | channel
    title: str | None = None
    username: str | None = None
    first_name: str | None = None  # private chats
    last_name: str | None = None
    members: dict[int, Member] = field(default_factory=dict)
    messages: dict[int, SentMessage] = field(default_factory=dict)
    next_message_id: int = 1
    invite_links: dict[str, InviteLink] = field(default_factory=dict)
    primary_link: str | None = None
    join_requests: dict[int, JoinRequest] = field(default_factory=dict)
    permissions: dict[str, bool] = field(default_factory=dict)
    migrated_to: int | None = None
    linked_chat_id: int | None = None
    description: str | None = None
    # Forum supergroups ("topics enabled"): the topics by thread id and the General topic's
    # state. Deleted topics leave ``topics``.
    is_forum: bool = False
    topics: dict[int, ForumTopic] = field(default_factory=dict)
    general_name: str = "General"
    general_closed: bool = False
    general_hidden: bool = False

    def take_message_id(self) -> int:
        mid = self.next_message_id
        self.next_message_id += 1
        return mid


@dataclass
class RecordedRequest:
    """One Bot API call as the server saw it (decoded params; files as byte lengths)."""

    method: str
    params: dict[str, Any]
    at: datetime
    status: int = 200
