"""The tracking handler: the first look at every update, for the club it belongs to."""

from __future__ import annotations

from telegram import Update
from telegram.ext import TypeHandler

from bot.context import ClubContext, Features
from bot.core import handler_groups
from bot.core.club import ClubApplication, Clubs


class _WhenChanged(TypeHandler[Update, ClubContext, None]):
    """Calls ``track`` only for an update that may change something tracking keeps.

    Almost every update is a message from someone already seen under the same name: this
    check (a dict lookup) lets PTB skip the handler call, the coroutine and the context work
    for those (~5 µs of every chat message).
    """

    __slots__ = ("_clubs",)

    def __init__(self, clubs: Clubs[Features]) -> None:
        super().__init__(Update, track)
        self._clubs = clubs

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update):
            return False
        chat = update.effective_chat
        club = self._clubs.of_chat(chat.id if chat is not None else None)
        return club.features.tracking.may_change(update)


def add_handlers(app: ClubApplication) -> None:
    app.add_handler(_WhenChanged(app.clubs), group=handler_groups.TRACKING)


async def track(update: Update, context: ClubContext) -> None:
    await context.features.tracking.track(update)
