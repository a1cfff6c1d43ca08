"""Bot commands of one handler group, checked as one handler.

PTB offers an update to every handler of a group in turn until one takes it. Our command
group holds some thirty ``CommandHandler``s, so each of the thousands of plain chat messages
a busy group sends was turned away thirty times (~10 µs of every message, the largest share of
PTB's dispatch for them). A :class:`CommandRouter` holds a run of consecutive
``CommandHandler``s of one group: a message whose text does not start with a bot command is
turned away by one test (the very test each ``CommandHandler.check_update`` starts with), and a
command is offered to the folded handlers in the order they were added, so the first that takes
it handles it, exactly as if they were separate.

``CommunityApplication.add_handler`` folds them as features register, so features still add
plain ``CommandHandler``s.
"""

from __future__ import annotations

from typing import Any

from telegram import MessageEntity, Update
from telegram.ext import Application, BaseHandler, CommandHandler, ContextTypes

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class CommandRouter(BaseHandler[Update, Any, Any]):
    """Consecutive ``CommandHandler``s of one group with the same ``block``, checked as one."""

    __slots__ = ("handlers",)

    def __init__(self, first: CommandHandler[Any, Any]) -> None:
        super().__init__(_never_called, block=first.block)
        self.handlers: list[CommandHandler[Any, Any]] = [first]

    def takes(self, handler: BaseHandler[Any, Any, Any]) -> bool:
        """Whether ``handler`` may join this run (a plain CommandHandler, same ``block``)."""
        return type(handler) is CommandHandler and handler.block == self.block

    def check_update(self, update: object) -> tuple[CommandHandler[Any, Any], object] | None:
        if not isinstance(update, Update):
            return None
        message = update.effective_message
        if message is None:
            return None
        # What CommandHandler.check_update requires before it looks at the command itself.
        entities = message.entities
        if (
            not entities
            or entities[0].type != MessageEntity.BOT_COMMAND
            or entities[0].offset != 0
            or not message.text
        ):
            return None
        for handler in self.handlers:
            check = handler.check_update(update)
            # PTB's own test: None and False both mean "not mine, ask the next handler".
            if not (check is None or check is False):
                return handler, check
        return None

    async def handle_update(
        self,
        update: Update,
        application: AnyApplication,
        check_result: object,
        context: Any,
    ) -> object:
        # check_result is what check_update above returned for this update.
        assert isinstance(check_result, tuple)
        handler: CommandHandler[Any, Any] = check_result[0]
        return await handler.handle_update(update, application, check_result[1], context)


def fold(group_handlers: list[BaseHandler[Any, Any, Any]], handler: Any) -> Any:
    """What to add to a group for ``handler``: None if it joined the group's last router."""
    if type(handler) is not CommandHandler:
        return handler
    last = group_handlers[-1] if group_handlers else None
    if isinstance(last, CommandRouter) and last.takes(handler):
        last.handlers.append(handler)
        return None
    return CommandRouter(handler)


async def _never_called(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise AssertionError("CommandRouter hands each update to the CommandHandler that took it")
