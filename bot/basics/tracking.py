"""Remember who the bot has met, and keep the moderator list current.

Runs first for every update and never stops one. Writes only when something changed, and
then through the write-behind buffer, so a chatty group costs no extra transactions.
"""

from __future__ import annotations

from typing import Any

from telegram import ChatMember, Update, User
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.core import handler_groups
from bot.core.erasure import MemoryCaches
from bot.core.services import Services, services_of

# Last known (first_name, last_name, username, language_code) per user id in this process.
_SEEN_KEY = "tracking:seen"
_STARTED_KEY = "tracking:started"

Identity = tuple[str, str | None, str | None, str | None]


class _WhenChanged(TypeHandler[Update, Any, None]):
    """Calls ``track`` only for an update that may change something it keeps.

    Almost every update is a message from someone already seen under the same name: this
    check (a dict lookup) lets PTB skip the handler call, the coroutine and the context work
    for those (~5 µs of every chat message). ``seen`` and ``started`` are the very objects in
    ``bot_data``, so the privacy feature's erasure of a person is seen here too.
    """

    __slots__ = ("_seen", "_started")

    def __init__(self, seen: dict[int, Identity], started: set[int]) -> None:
        super().__init__(Update, track)
        self._seen = seen
        self._started = started

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        if update.my_chat_member is not None or update.chat_member is not None:
            return True
        user = update.effective_user
        if user is None:
            return False
        if self._seen.get(user.id) != (
            user.first_name,
            user.last_name,
            user.username,
            user.language_code,
        ):
            return True
        chat = update.effective_chat
        return (
            chat is not None
            and chat.type == ChatType.PRIVATE
            and user.id not in self._started
            and update.effective_message is not None
        )


def register(app: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    seen: dict[int, Identity] = {}
    started: set[int] = set()
    app.bot_data[_SEEN_KEY] = seen
    app.bot_data[_STARTED_KEY] = started
    services.erasure.register("tracking", MemoryCaches(seen, started))
    app.add_handler(_WhenChanged(seen, started), group=handler_groups.TRACKING)


async def track(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context)
    seen: dict[int, Identity] = context.bot_data[_SEEN_KEY]
    for user in _users_in(update):
        identity = (user.first_name, user.last_name, user.username, user.language_code)
        if seen.get(user.id) != identity:
            seen[user.id] = identity
            services.people.defer_upsert(
                user.id, *identity, is_bot=user.is_bot, now=services.now_ts()
            )

    # Anyone who writes to the bot privately has started it: from now on it may answer them.
    message = update.effective_message
    chat = update.effective_chat
    started: set[int] = context.bot_data[_STARTED_KEY]
    if (
        message is not None
        and chat is not None
        and chat.type == ChatType.PRIVATE
        and message.from_user is not None
        and message.from_user.id not in started
    ):
        started.add(message.from_user.id)
        await services.people.mark_started(message.from_user.id, services.now_ts())

    my_member = update.my_chat_member
    if my_member is not None and my_member.chat.type == ChatType.PRIVATE:
        # A private my_chat_member update is the user blocking (kicked) or unblocking the bot.
        user_id = my_member.chat.id
        if my_member.new_chat_member.status == ChatMember.BANNED:
            started.discard(user_id)
            await services.people.mark_blocked(user_id, services.now_ts())
        else:
            started.add(user_id)
            await services.people.mark_started(user_id, services.now_ts())

    member_update = update.chat_member
    if member_update is not None and member_update.chat.id == services.chats.community_id:
        new = member_update.new_chat_member
        services.permissions.note_status(new.user.id, new.status)


def _users_in(update: Update) -> list[User]:
    users: list[User] = []
    if update.effective_user is not None:
        users.append(update.effective_user)
    if update.chat_member is not None:
        users.append(update.chat_member.new_chat_member.user)
    return users
