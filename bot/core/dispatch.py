"""PTB's dispatch, offering each update only to the handlers that can take it at all.

PTB offers every update to every handler of every group in turn (``check_update``) until one
per group takes it. Most of our ~30 handlers cannot take a plain group message whatever its
text: button presses, member changes, polls, reactions, join requests, and the private-chat
conversations (``filters.ChatType.PRIVATE & ...``). Asking each of them anyway was a third
of PTB's dispatch cost for a chat message.

Which handlers can take an update depends on its *shape*: which field of the Update is set
(``message``, ``callback_query``, ...) and, for messages, the chat's type. ``may_take``
works out from a handler's type and filters which shapes it can accept at all, always erring
towards "it can" (a handler or filter it does not know can take anything); the handlers that
can take a shape are listed once per shape and Application, and an update is offered to those,
in PTB's order. The loop in ``process_update`` is PTB 22's ``Application.process_update``
(same context building, ``block`` handling, ``ApplicationHandlerStop`` and error handling);
only the list it walks is shorter. An Update with no field or several fields set (never sent
by Telegram), and anything not an Update, goes through PTB's own loop.

Handlers added or removed through ``add_handler``/``remove_handler`` reset the lists;
``Application.handlers`` must not be changed behind their back.
``tests/test_dispatch.py`` checks, for a corpus of varied updates, that the handlers called
are those PTB's own dispatch calls, and that every handler skipped for the bot's own
handler set turns that update down.
"""

from __future__ import annotations

import logging
import operator
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_TRUE
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    ExtBot,
    MessageHandler,
    MessageReactionHandler,
    PollAnswerHandler,
    PollHandler,
    filters,
)

log = logging.getLogger(__name__)

# Every kind of update PTB knows, in its order; an update has exactly one of them set.
KINDS: tuple[str, ...] = tuple(str(kind) for kind in Update.ALL_TYPES)
_fields = operator.attrgetter(*KINDS)
_NONES = (None,) * len(KINDS)

# The fields PTB's message filters look at (``filters.BaseFilter.check_update``).
MESSAGE_KINDS = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_message",
        "edited_business_message",
        "guest_message",
    }
)

Shape = tuple[str, str | None]  # the kind, and for a message the type of its chat


def shape_of(update: object) -> Shape | None:
    """The update's shape, or None when it has none (PTB's own loop handles it)."""
    if not isinstance(update, Update):
        return None
    values = _fields(update)
    # Identity tests in C: counting None with ``count`` would call Telegram objects' __eq__.
    unset = tuple(map(operator.is_, values, _NONES))
    if unset.count(False) != 1:
        return None
    index = unset.index(False)
    kind = KINDS[index]
    return (kind, values[index].chat.type if kind in MESSAGE_KINDS else None)


@dataclass(frozen=True, slots=True)
class Possible:
    """What a handler or filter can accept: kinds and chat types (None: any)."""

    kinds: frozenset[str] | None = None
    chats: frozenset[str] | None = None

    def __and__(self, other: Possible) -> Possible:
        return Possible(_meet(self.kinds, other.kinds), _meet(self.chats, other.chats))

    def __or__(self, other: Possible) -> Possible:
        return Possible(_join(self.kinds, other.kinds), _join(self.chats, other.chats))

    def admits(self, shape: Shape) -> bool:
        kind, chat = shape
        if self.kinds is not None and kind not in self.kinds:
            return False
        # A chat type is only ever required by a message filter, which also requires a
        # message kind, whose shape carries its chat's type.
        return self.chats is None or chat in self.chats


def _meet(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return b if a is None else a if b is None else a & b


def _join(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return None if a is None or b is None else a | b


ANYTHING = Possible()

# Handler types whose check_update looks at one field of the Update only (exact types: a
# subclass may check differently).
_HANDLER_KINDS: dict[type, frozenset[str]] = {
    CallbackQueryHandler: frozenset({"callback_query"}),
    ChatMemberHandler: frozenset({"chat_member", "my_chat_member"}),
    ChatJoinRequestHandler: frozenset({"chat_join_request"}),
    PollHandler: frozenset({"poll"}),
    PollAnswerHandler: frozenset({"poll_answer"}),
    MessageReactionHandler: frozenset({"message_reaction", "message_reaction_count"}),
}

# PTB's own filter objects whose test is one field or one chat type (by identity).
_KNOWN_FILTERS: dict[int, Possible] = {
    id(filters.UpdateType.MESSAGE): Possible(frozenset({"message"})),
    id(filters.UpdateType.EDITED_MESSAGE): Possible(frozenset({"edited_message"})),
    id(filters.UpdateType.MESSAGES): Possible(frozenset({"message", "edited_message"})),
    id(filters.UpdateType.CHANNEL_POST): Possible(frozenset({"channel_post"})),
    id(filters.UpdateType.EDITED_CHANNEL_POST): Possible(frozenset({"edited_channel_post"})),
    id(filters.UpdateType.CHANNEL_POSTS): Possible(
        frozenset({"channel_post", "edited_channel_post"})
    ),
    id(filters.ChatType.PRIVATE): Possible(MESSAGE_KINDS, frozenset({"private"})),
    id(filters.ChatType.GROUP): Possible(MESSAGE_KINDS, frozenset({"group"})),
    id(filters.ChatType.SUPERGROUP): Possible(MESSAGE_KINDS, frozenset({"supergroup"})),
    id(filters.ChatType.GROUPS): Possible(MESSAGE_KINDS, frozenset({"group", "supergroup"})),
    id(filters.ChatType.CHANNEL): Possible(MESSAGE_KINDS, frozenset({"channel"})),
}


def may_take(handler: BaseHandler[Any, Any, Any]) -> Possible:
    """The shapes ``handler`` can take at all (ANYTHING when unsure)."""
    kinds = _HANDLER_KINDS.get(type(handler))
    if kinds is not None:
        return Possible(kinds)
    if type(handler) is MessageHandler:
        # MessageHandler.check_update is its filters' check_update.
        return filter_may_pass(handler.filters)
    return ANYTHING


def filter_may_pass(f: object) -> Possible:
    known = _KNOWN_FILTERS.get(id(f))
    if known is not None:
        return known
    if type(f) is filters._MergedFilter:  # what PTB makes of `a & b` and `a | b`
        left = filter_may_pass(f.base_filter)
        if f.and_filter is not None:
            return left & filter_may_pass(f.and_filter)
        if f.or_filter is not None:
            return left | filter_may_pass(f.or_filter)
        return ANYTHING
    if (
        isinstance(f, filters.MessageFilter)
        and type(f).check_update is filters.MessageFilter.check_update
    ):
        return Possible(MESSAGE_KINDS)  # PTB's check: one of the message fields is set
    return ANYTHING  # inverted (~f matches what f does not), XOR, update filters, ...


Groups = tuple[tuple[BaseHandler[Any, Any, Any], ...], ...]


class IndexedDispatch(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application, offering each update only to the handlers that can take it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._groups_by_shape: dict[Shape, Groups] = {}

    def add_handler(self, handler: BaseHandler[Any, Any, Any], group: int = 0) -> None:
        super().add_handler(handler, group)
        self._groups_by_shape.clear()

    def remove_handler(self, handler: BaseHandler[Any, Any, Any], group: int = 0) -> None:
        super().remove_handler(handler, group)
        self._groups_by_shape.clear()

    def _mark_for_persistence_update(self, *, update: object = None, job: Any = None) -> None:
        # PTB notes every update's chat and user for its persistence, twice per update, even
        # without one, in sets nothing then reads or empties (they grow with every person the
        # bot ever meets). This bot keeps its state in SQLite and has no PTB persistence.
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)

    def groups_for(self, shape: Shape) -> Groups:
        """Each group's handlers that can take this shape, groups in PTB's order."""
        groups = self._groups_by_shape.get(shape)
        if groups is None:
            groups = tuple(
                kept
                for handlers in self.handlers.values()
                if (kept := tuple(h for h in handlers if may_take(h).admits(shape)))
            )
            self._groups_by_shape[shape] = groups
        return groups

    async def process_update(self, update: object) -> None:
        shape = shape_of(update)
        if shape is None:
            await super().process_update(update)
            return
        # From here on PTB 22's Application.process_update, over the shorter lists.
        self._check_initialized()
        context = None
        any_blocking = False
        for handlers in self.groups_for(shape):
            try:
                for handler in handlers:
                    check = handler.check_update(update)
                    if check is None or check is False:
                        continue
                    if not context:
                        try:
                            context = self.context_types.context.from_update(update, self)
                        except Exception as exc:
                            log.critical(
                                "Error while building CallbackContext for update %s. "
                                "Update will not be processed.",
                                update,
                                exc_info=exc,
                            )
                            return
                        await context.refresh_data()
                    coroutine = handler.handle_update(update, self, check, context)
                    if not handler.block or (
                        handler.block is DEFAULT_TRUE
                        and isinstance(self.bot, ExtBot)
                        and self.bot.defaults
                        and not self.bot.defaults.block
                    ):
                        self.create_task(
                            coroutine,
                            update=update,
                            name=(
                                f"Application:{self.bot.id}:process_update_non_blocking:{handler}"
                            ),
                        )
                    else:
                        any_blocking = True
                        await coroutine
                    break  # at most one handler per group
            except ApplicationHandlerStop:
                log.debug("Stopping further handlers due to ApplicationHandlerStop")
                break
            except Exception as exc:
                if await self.process_error(update=update, error=exc):
                    log.debug("Error handler stopped further handlers.")
                    break
        if any_blocking:
            self._mark_for_persistence_update(update=update)
