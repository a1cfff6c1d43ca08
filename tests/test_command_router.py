"""Folded CommandHandlers pick the handler PTB would have picked, for every kind of message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Chat, Message, MessageEntity, Update, User
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.command_router import CommandRouter, fold

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
GROUP = Chat(-1001, Chat.SUPERGROUP, title="Bakery VIP Club")
PRIVATE = Chat(7, Chat.PRIVATE)
ADA = User(7, "Ada", is_bot=False)


async def _noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


def _bot() -> Bot:
    bot = Bot("1:x")
    # What getMe would have told the bot about itself (no network here).
    bot._bot_user = User(1, "Club Bot", is_bot=True, username="club_bot")
    return bot


def _message(text: str, chat: Chat = GROUP, *, caption: bool = False) -> Message:
    entities = []
    if text.startswith("/"):
        length = len(text.split()[0])
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, length)]
    if caption:
        return Message(1, NOW, chat, from_user=ADA, caption=text, caption_entities=entities)
    return Message(1, NOW, chat, from_user=ADA, text=text, entities=entities)


def _updates(bot: Bot) -> list[Update]:
    updates = [
        Update(1, message=_message("the rye loaf is lovely")),
        Update(2, message=_message("/digest")),
        Update(3, message=_message("/digest@club_bot now")),
        Update(4, message=_message("/digest@other_bot")),
        Update(5, message=_message("/start", PRIVATE)),
        Update(6, message=_message("/start", GROUP)),  # private-only: falls to the next
        Update(7, message=_message("/unknown")),
        Update(8, message=_message("/digest", caption=True)),
        Update(9, edited_message=_message("/digest")),  # PTB takes edits (our guard stops them)
        Update(10, message=_message("/help me")),
    ]
    for update in updates:
        update.set_bot(bot)
        assert update.effective_message is not None
        update.effective_message.set_bot(bot)
    return updates


def _handlers() -> list[CommandHandler[Any, Any]]:
    return [
        CommandHandler("start", _noop, filters=filters.ChatType.PRIVATE),
        CommandHandler("digest", _noop),
        CommandHandler(["start", "help"], _noop),  # takes a /start the first one turned away
        CommandHandler("help", _noop, has_args=False),
    ]


def _first_taker(handlers: list[Any], update: Update) -> object | None:
    """PTB's rule within a group: the first handler whose check is neither None nor False."""
    for handler in handlers:
        check = handler.check_update(update)
        if not (check is None or check is False):
            return handler
    return None


def test_a_folded_run_picks_the_handler_ptb_would_pick() -> None:
    bot = _bot()
    handlers = _handlers()
    group: list[BaseHandler[Any, Any, Any]] = []
    for handler in handlers:
        added = fold(group, handler)
        if added is not None:
            group.append(added)
    assert len(group) == 1 and isinstance(group[0], CommandRouter)
    router = group[0]
    for update in _updates(bot):
        check = router.check_update(update)
        picked = check[0] if check is not None else None
        assert picked is _first_taker(handlers, update), update.update_id
    # The cases above do exercise every outcome.
    picks = [_first_taker(handlers, update) for update in _updates(bot)]
    assert picks.count(None) == 4 and handlers[0] in picks and handlers[2] in picks


def test_a_handler_of_another_kind_ends_the_run_and_keeps_its_place() -> None:
    chatter = MessageHandler(filters.TEXT, _noop)
    group: list[BaseHandler[Any, Any, Any]] = []
    first, second, third = (CommandHandler(name, _noop) for name in ("a", "b", "c"))
    for handler in (first, second, chatter, third):
        added = fold(group, handler)
        if added is not None:
            group.append(added)
    kinds = [type(h).__name__ for h in group]
    assert kinds == ["CommandRouter", "MessageHandler", "CommandRouter"]
    assert isinstance(group[0], CommandRouter) and group[0].handlers == [first, second]
    non_blocking = CommandHandler("d", _noop, block=False)
    assert isinstance(group[2], CommandRouter) and not group[2].takes(non_blocking)
    assert isinstance(fold(group, non_blocking), CommandRouter)  # a run of its own
