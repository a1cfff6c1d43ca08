"""Remember who the bot has met, and keep the moderator list current.

Runs first for every update and never stops one. Writes only when something changed, and
then through the write-behind buffer, so a chatty group costs no extra transactions.
"""

from __future__ import annotations

from telegram import ChatMember, Update, User
from telegram.constants import ChatType

from bot.core.erasure import MemoryCaches
from bot.core.services import Services

# (first_name, last_name, username, language_code)
Identity = tuple[str, str | None, str | None, str | None]


class Tracking:
    """Who this club's bot has met under which name, and who has started it, in this process.

    An erased person is dropped from both (an erasure participant), so nothing else reaches
    into these caches. What still arrives about them just after (a second tap on the Yes
    their phone sent before the answer showed, a late edit, blocking the bot) is not written
    back: only something new they do makes them known again (``_late``)."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self.seen: dict[int, Identity] = {}
        self.started: set[int] = set()
        services.erasure.register("tracking", MemoryCaches(self.seen, self.started))

    def may_change(self, update: Update) -> bool:
        """Could ``track`` change anything? A dict lookup for nearly every chat message.

        Notes a new person or a changed name at once (no await needed: the row is written
        behind), so a member's first message in the group, the bulk of a launch day, needs
        no call of ``track``."""
        if update.my_chat_member is not None or update.chat_member is not None:
            return True
        user = update.effective_user
        if user is None or self._late(update, user.id):
            return False
        self._note(user)
        chat = update.effective_chat
        return (
            chat is not None
            and chat.type == ChatType.PRIVATE
            and user.id not in self.started
            and update.effective_message is not None
        )

    def _late(self, update: Update, user_id: int) -> bool:
        """About someone just erased, and not something new they did (see bot.core.erasure).

        Privacy's guard stops most such updates before tracking; a button press goes on to
        be answered, and a member update made by someone else names them too."""
        return self._services.erasure.is_late(update, user_id, self._services.now_ts)

    def _note(self, user: User) -> None:
        known = self.seen.get(user.id)
        # language_code is optional and some updates leave it out: that is not a change of
        # language, so the known one is kept (the upsert's COALESCE keeps the stored one).
        language = user.language_code or (known[3] if known is not None else None)
        identity = (user.first_name, user.last_name, user.username, language)
        if known != identity:
            self.seen[user.id] = identity
            services = self._services
            services.people.defer_upsert(
                user.id, *identity, is_bot=user.is_bot, now=services.now_ts()
            )

    async def track(self, update: Update) -> None:
        services = self._services
        for user in _users_in(update):
            if not self._late(update, user.id):
                self._note(user)

        # Anyone who writes to the bot privately has started it: from now on it may answer.
        message = update.effective_message
        chat = update.effective_chat
        started = self.started
        if (
            message is not None
            and chat is not None
            and chat.type == ChatType.PRIVATE
            and message.from_user is not None
            and message.from_user.id not in started
            and not self._late(update, message.from_user.id)
        ):
            started.add(message.from_user.id)
            await services.people.mark_started(message.from_user.id, services.now_ts())

        my_member = update.my_chat_member
        if (
            my_member is not None
            and my_member.chat.type == ChatType.PRIVATE
            and not self._late(update, my_member.chat.id)
        ):
            # A private my_chat_member update is the user blocking (kicked) or unblocking us.
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
            services.permissions.note_member(new)


def _users_in(update: Update) -> list[User]:
    users: list[User] = []
    if update.effective_user is not None:
        users.append(update.effective_user)
    if update.chat_member is not None:
        users.append(update.chat_member.new_chat_member.user)
    return users
