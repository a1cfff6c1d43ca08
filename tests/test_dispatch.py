"""Offering an update only to the handlers that can take it changes nothing PTB would do."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    MessageReactionHandler,
    PollAnswerHandler,
    PollHandler,
    TypeHandler,
    filters,
)

from bot.core.dispatch import IndexedDispatch, shape_of
from tests.test_update_parsing import BOT, Canned, varied_updates

Log = list[tuple[int, str]]


def recording_handlers(log: Log) -> list[tuple[int, BaseHandler[Any, Any, Any]]]:
    """Handlers of every type and filter shape the index reasons about, some stopping."""

    def note(name: str, stop: bool = False) -> Any:
        async def callback(update: Update, context: Any) -> None:
            log.append((update.update_id, name))
            if stop:
                raise ApplicationHandlerStop

        return callback

    private = filters.ChatType.PRIVATE
    return [
        (-10, MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, note("edit", True))),
        (-5, TypeHandler(Update, note("every update"))),
        (-5, MessageHandler(filters.ALL, note("shadowed by the TypeHandler"))),
        (0, ChatMemberHandler(note("member"), ChatMemberHandler.ANY_CHAT_MEMBER)),
        (0, CallbackQueryHandler(note("button"), pattern="^v1:")),
        (0, PollHandler(note("poll"))),
        (0, PollAnswerHandler(note("vote"))),
        (0, MessageReactionHandler(note("reaction"))),
        (0, ChatJoinRequestHandler(note("join request"))),
        (0, CommandHandler("start", note("start"), filters=private)),
        (0, MessageHandler(private & filters.TEXT & ~filters.COMMAND, note("private text"))),
        (0, MessageHandler(filters.ChatType.GROUPS & filters.PHOTO, note("group photo"))),
        (0, MessageHandler(filters.ChatType.CHANNEL, note("channel"))),
        (0, MessageHandler(filters.StatusUpdate.MIGRATE, note("migrated", True))),
        (1, MessageHandler(~filters.COMMAND, note("not a command"))),  # matches buttons too
        (1, MessageHandler(filters.UpdateType.MESSAGES | filters.POLL, note("either"))),
        (2, MessageHandler(filters.ChatType.SUPERGROUP & filters.Regex("rye"), note("rye"))),
        (2, MessageHandler(filters.UpdateType.CHANNEL_POSTS, note("posts"))),
        (3, MessageHandler(filters.ChatType.GROUP, note("basic group"))),
        (
            4,
            MessageHandler(
                filters.UpdateType.EDITED_MESSAGE | filters.ChatType.CHANNEL, note("or")
            ),
        ),
    ]


async def dispatch_log(application_class: type[Application[Any, Any, Any, Any, Any, Any]]) -> Log:
    log: Log = []
    app = (
        ApplicationBuilder()
        .application_class(application_class)
        .token("123456:test-token")
        .request(Canned([BOT]))  # getMe, once, from initialize
        .updater(None)
        .build()
    )
    for group, handler in recording_handlers(log):
        app.add_handler(handler, group)
    await app.initialize()
    try:
        for raw in varied_updates():
            await app.process_update(Update.de_json(raw, app.bot))
        await app.process_update("not an update")
        await app.process_update(Update(99))  # nothing set: PTB's own loop
    finally:
        await app.shutdown()
    return log


async def test_the_handlers_called_are_those_ptb_calls() -> None:
    ours = await dispatch_log(IndexedDispatch)
    ptb = await dispatch_log(Application)
    assert ours == ptb
    assert {name for _, name in ptb} >= {
        "edit",
        "member",
        "button",
        "vote",
        "migrated",
        "rye",
        "or",
    }


async def test_without_persistence_no_chat_or_user_is_kept_for_it() -> None:
    # PTB's own Application keeps every update's chat and user id for a persistence it
    # does not have, in sets that only grow; ours keeps nothing.
    app = (
        ApplicationBuilder()
        .application_class(IndexedDispatch)
        .token("123456:test-token")
        .request(Canned([BOT]))
        .updater(None)
        .build()
    )
    app.add_handler(TypeHandler(Update, lambda u, c: asyncio.sleep(0)))
    await app.initialize()
    try:
        for raw in varied_updates():
            await app.process_update(Update.de_json(raw, app.bot))
    finally:
        await app.shutdown()
    assert not app._chat_ids_to_be_updated_in_persistence
    assert not app._user_ids_to_be_updated_in_persistence


async def test_the_shorter_lists_follow_handlers_added_and_removed() -> None:
    app = (
        ApplicationBuilder()
        .application_class(IndexedDispatch)
        .token("123456:test-token")
        .updater(None)
        .build()
    )
    assert isinstance(app, IndexedDispatch)
    shape = ("message", "supergroup")
    button = CallbackQueryHandler(lambda u, c: None)
    text = MessageHandler(filters.TEXT, lambda u, c: None)
    app.add_handler(button)
    assert app.groups_for(shape) == ()
    app.add_handler(text, group=1)
    assert app.groups_for(shape) == ((text,),)
    assert app.groups_for(("callback_query", None)) == ((button,),)
    app.remove_handler(text, group=1)
    assert app.groups_for(shape) == ()


def test_an_update_with_no_kind_or_two_kinds_has_no_shape() -> None:
    updates = [Update.de_json(raw, None) for raw in varied_updates()]
    assert shape_of(updates[0]) == ("message", "supergroup")
    assert shape_of(updates[3]) == ("callback_query", None)
    assert shape_of(Update(1)) is None
    two = Update(2, message=updates[0].message, callback_query=updates[3].callback_query)
    assert shape_of(two) is None
    assert shape_of("text") is None


async def test_every_handler_of_the_bot_skipped_for_an_update_turns_it_down() -> None:
    # The bot's own handler set: whatever the index leaves out for an update's shape would
    # have said no to it (skipped handlers are PTB's own types, whose check has no effects).
    from bot.app import CommunityApplication
    from bot.demo.simulation import simulated_club

    async with simulated_club(start=False) as club:
        app = club.app
        assert isinstance(app, CommunityApplication)
        skipped_somewhere = 0
        for raw in varied_updates():
            update = Update.de_json(raw, app.bot)
            shape = shape_of(update)
            assert shape is not None
            offered = {id(h) for handlers in app.groups_for(shape) for h in handlers}
            for handlers in app.handlers.values():
                for handler in handlers:
                    if id(handler) not in offered:
                        skipped_somewhere += 1
                        assert handler.check_update(update) in (None, False), (raw, handler)
        assert skipped_somewhere > 100
