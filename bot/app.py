"""build_application(): the bot, its club and its handlers, started and stopped.

What a club is made of and in which order its features are built is ``bot.wiring``; the
order handlers run in for each update is ``bot.core.handler_groups``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import ssl
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

import httpx
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, BaseHandler, ContextTypes, Defaults

from bot import wiring
from bot.config import Settings
from bot.context import ClubContext
from bot.context.routing import ClubRouter
from bot.core import command_router, guards, timer
from bot.core import webhook as webhook_bodies
from bot.core.activity import Activity
from bot.core.aiohttp_request import AiohttpRequest
from bot.core.bookkeeping import InboxBookkeeping
from bot.core.clock import Clock, SystemClock
from bot.core.club import Club, CoreContext, routed_club
from bot.core.concurrency import KeyedUpdateProcessor
from bot.core.dispatch import IndexedDispatch
from bot.core.heap import freeze_heap_after_start
from bot.core.inbox import DurableBot, InboxQueue
from bot.core.lanes import sending_for
from bot.core.ratelimit import TelegramRateLimiter
from bot.core.services import Services
from bot.core.updates_request import UpdatesRequest
from bot.db import Database, current_update_id
from bot.db.diskfull import DISK_FULL, is_disk_full
from bot.db.inbox_repo import InboxRepository

log = logging.getLogger(__name__)

T = TypeVar("T")

# Telegram sends chat_member, message_reaction and message_reaction_count only when asked.
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.CHAT_MEMBER,
    Update.MY_CHAT_MEMBER,
    Update.CHAT_JOIN_REQUEST,
    Update.POLL,
    Update.POLL_ANSWER,
    Update.MESSAGE_REACTION,
    Update.MESSAGE_REACTION_COUNT,
]


class CommunityBot(guards.AnswerTrackingBot, DurableBot):
    """The bot: durable getUpdates (inbox) and a note of every button press answered."""


class CommunityApplication(InboxBookkeeping, IndexedDispatch):
    """PTB's Application, plus the inbox bookkeeping around each update (its writes:
    ``bot.core.bookkeeping``) and, with several clubs, each update's club."""

    # Set by build_application: the settings it was built from (every club's view comes
    # from them), and the router when it serves several clubs (None: one club).
    settings: Settings
    router: ClubRouter | None = None

    @functools.cached_property
    def activity(self) -> Activity:
        """Updates, Bot API calls and background tasks not finished yet."""
        # Cached: asked several times for every update, and the queue never changes.
        assert isinstance(self.update_queue, InboxQueue)
        return self.update_queue.activity

    def create_task(
        self,
        coroutine: Generator[asyncio.Future[object], None, T] | Awaitable[T],
        update: object | None = None,
        *,
        name: str | None = None,
    ) -> asyncio.Task[T]:
        task = super().create_task(coroutine, update, name=name)
        self.activity.task_started()
        task.add_done_callback(self.activity.task_done)
        return task

    def add_handler(self, handler: BaseHandler[Any, Any, Any], group: int = 0) -> None:
        # Consecutive CommandHandlers of a group are checked as one (bot.core.command_router).
        folded = command_router.fold(self.handlers.get(group, []), handler)
        if folded is not None:
            super().add_handler(folded, group)

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        services = _inbox_services(self)
        token = current_update_id.set(update.update_id)
        club = self.clubs.first
        try:
            if self.router is None:
                await super().process_update(update)  # one club: nothing to decide
            else:
                club = await self._process_routed(update) or club
        finally:
            current_update_id.reset(token)
            if update.callback_query is not None and isinstance(self.bot, CommunityBot):
                query = update.callback_query
                # The presser's app language, else their club's (the first if none was told).
                tr = club.services.tr_for(query.from_user)
                await self.bot.answer_if_unanswered(query.id, tr)
            try:
                await self._bookkeeping(update, services)
            except Exception as exc:
                if not is_disk_full(exc):
                    raise
                # The update stays unprocessed in the inbox (replayed after a restart; its
                # handlers are idempotent); the pending writes stay in memory for the next try.
                DISK_FULL.report("marking updates processed", services.db.deferred_count)

    async def _process_routed(self, update: Update) -> Club[Any] | None:
        """Handle ``update`` for its club; that club (None if it could not be told)."""
        routed = routed_club.set(None)
        try:
            with contextlib.ExitStack() as lane:
                handled = await self._route(update, lane)
                if handled is not None:
                    await super().process_update(handled)
                return routed_club.get()
        finally:
            routed_club.reset(routed)

    async def _route(self, update: Update, lane: contextlib.ExitStack) -> Update | None:
        """Several clubs: decide the update's club before its handlers (bot.context.routing)
        and send its answers in that club's lane of the shared rate limit."""
        assert self.router is not None
        try:
            club, handled = await self.router.route(update)
        except Exception:
            # Handled for a guessed club, a private update could answer for the wrong one.
            log.exception("Could not tell the club of update %s; it is dropped", update.update_id)
            return None
        routed_club.set(club)
        lane.enter_context(sending_for(club.key))
        return handled


async def build_application(
    settings: Settings, *, clock: Clock | None = None, db: Database | None = None
) -> CommunityApplication:
    """Open storage, build the bot and register every feature. Call ``start_application`` next."""
    clock = clock or SystemClock()
    db = db or await Database.open(settings.club_views()[0].storage.database)
    queue = InboxQueue()
    bot = CommunityBot(
        token=settings.telegram.token.get_secret_value(),
        base_url=settings.telegram.api_base_url,
        base_file_url=_file_base_url(settings.telegram.api_base_url),
        # aiohttp, not httpx: a fifth of the CPU a call (bot.core.aiohttp_request).
        request=AiohttpRequest(
            connection_pool_size=32, read_timeout=15, write_timeout=30, ssl_context=_tls_context()
        ),
        # Keeps each update's JSON text as sent, for the inbox (bot.core.updates_request).
        get_updates_request=UpdatesRequest(
            connection_pool_size=2,
            read_timeout=settings.runtime.polling_timeout + 10,
            ssl_context=_tls_context(),
        ),
        # Keeps sends within Telegram's limits (sliding windows: never over), pauses every
        # request for a 429's retry_after, retries 5xx/timeouts/dropped connections.
        rate_limiter=TelegramRateLimiter(),
        defaults=Defaults(parse_mode=ParseMode.HTML),
    )
    app = (
        ApplicationBuilder()
        .application_class(CommunityApplication)
        # Handlers get context.club and context.features, typed (bot.context).
        .context_types(ContextTypes(context=ClubContext))
        .bot(bot)
        .update_queue(queue)
        .concurrent_updates(_update_processor(settings.runtime.concurrent_updates))
        .build()
    )
    assert isinstance(app, CommunityApplication)
    app.write_when_updates_end()
    queue.attach(InboxRepository(db), clock)
    bot.attach_inbox(queue)

    app.settings = settings
    views = settings.club_views()
    for index, view in enumerate(views):
        # The first club's file is today's single-club database, and keeps the inbox.
        club_db = db if index == 0 else await Database.open(view.storage.database)
        services = wiring.build_services(view, clock, club_db, bot)
        # Application tasks report errors to the error handler; outside a running
        # application (start-up work, CLI use) a plain task does the same job without PTB's
        # warning.
        services.messenger.use_spawner(
            lambda coro: app.create_task(coro) if app.running else asyncio.create_task(coro)
        )
        app.clubs.add(wiring.build_club(services, app.create_task))
    throttle = wiring.add_handlers(app)
    for club in app.clubs:
        throttle.take_part(club.services)
    if len(app.clubs) > 1:
        app.router = wiring.serve_several(app.clubs, app.commands, settings.brand)
        if isinstance(app.update_processor, KeyedUpdateProcessor):
            app.update_processor.more_keys = app.router.replay_keys
    app.add_error_handler(_log_error)
    return app


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~50 ms of CPU: one context serves every bot (the tests and
    # the demo build hundreds). httpx's: certifi's CA bundle, as PTB's default client used.
    return httpx.create_ssl_context()


def _update_processor(concurrent: int) -> KeyedUpdateProcessor | bool:
    # Keyed even with one slot would only add bookkeeping: PTB's sequential mode it is.
    return KeyedUpdateProcessor(concurrent) if concurrent > 1 else False


def _file_base_url(api_base_url: str) -> str:
    # PTB's default pair is .../bot and .../file/bot; keep the same relation for any server.
    prefix, sep, _ = api_base_url.rpartition("/bot")
    return f"{prefix}/file/bot" if sep else api_base_url


async def start_application(
    app: CommunityApplication,
    *,
    mode: str = "polling",
    poll_interval: float = 0.0,
    freeze_heap: bool = False,
) -> None:
    """Connect, run start-up work, and start taking updates.

    ``mode`` is "polling" (long polling), "webhook" (``[telegram.webhook]`` settings) or
    "none" (no updates fetched: for benchmarks that feed the Application directly).
    ``freeze_heap`` (``python -m bot run`` sets it) keeps what start-up built out of the
    garbage collector's full passes: see :func:`bot.core.heap.freeze_heap_after_start`.
    """
    services = _inbox_services(app)
    await app.initialize()
    for club in app.clubs:
        await club.services.chats.load()
        # Before the inbox replays anything: what it stored about someone erased just before
        # the restart is late, as it would have been without one.
        await club.services.erasure.late.load(club.services.now_ts())
    several = len(app.clubs) > 1
    hooks = [(None, hook) for hook in app.hooks.startup] + [
        (club.key if several else None, hook)
        for club in app.clubs
        for hook in club.services.hooks.startup
    ]
    for lane, hook in hooks:
        try:
            with sending_for(lane) if lane is not None else contextlib.nullcontext():
                await hook()
        except Exception:
            log.exception("Start-up step %r failed; the bot runs on", hook)
    assert isinstance(app.update_queue, InboxQueue)
    await app.update_queue.replay_pending(app.bot)
    timer.start(
        app,
        services.settings.runtime.scheduler_seconds,
        webhook=mode == "webhook" and app.updater is not None,
    )
    await app.start()
    if freeze_heap:
        freeze_heap_after_start()
    if app.updater is None or mode == "none":
        app.update_queue.backlog.nothing_to_wait_for()
        return
    if mode == "polling":
        await app.updater.start_polling(
            poll_interval=poll_interval,
            timeout=services.settings.runtime.polling_timeout,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
    elif mode == "webhook":
        webhook = services.settings.telegram.webhook
        if not webhook.url or webhook.secret_token is None:
            raise ValueError("telegram.webhook.url and telegram.webhook.secret_token are required")
        # PTB checks X-Telegram-Bot-Api-Secret-Token on every request and answers 403 when
        # it is missing or wrong; the inbox stores each update (its raw body, bot.core.webhook)
        # before PTB answers 200.
        webhook_bodies.install()
        await app.updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.path,
            webhook_url=webhook.url,
            secret_token=webhook.secret_token.get_secret_value(),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
    else:
        raise ValueError(f"unknown mode {mode!r}")


async def stop_application(app: CommunityApplication) -> None:
    """Stop taking updates, finish what is queued, write everything down, close storage."""
    # Every step runs whatever the one before it did (a full disk, a dead network): a
    # failing step must never skip closing the database, or SIGTERM would not stop the bot.
    steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
        ("stop the updater", _stop_updater(app)),
        *(("finish queued sends", club.services.messenger.drain) for club in app.clubs),
        ("stop the application", _stop_app(app)),
        ("shut the application down", app.shutdown),
    ]
    steps += [
        (f"run the shut-down step {hook!r}", hook)
        for club in app.clubs
        for hook in club.services.hooks.shutdown
    ]
    steps += [("close the database", db.close) for db in app.databases]
    for what, step in steps:
        try:
            await asyncio.wait_for(step(), timeout=STOP_STEP_SECONDS)
        except Exception as exc:  # reported; the next step still runs
            log.error("Could not %s while stopping: %s", what, _one_line(exc))


# A step of stop_application that takes longer is abandoned, so SIGTERM stops the bot within
# a few seconds whatever hangs.
STOP_STEP_SECONDS = 3.0


def _one_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _stop_updater(app: CommunityApplication) -> Callable[[], Awaitable[object]]:
    async def stop() -> None:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()

    return stop


def _stop_app(app: CommunityApplication) -> Callable[[], Awaitable[object]]:
    async def stop() -> None:
        if app.running:
            await app.stop()

    return stop


async def _log_error(update: object, context: CoreContext) -> None:
    """Log with enough context to find the update again; never re-raise (the bot runs on)."""
    where = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        user = update.effective_user
        where = (
            f" (update {update.update_id}, chat {chat.id if chat else '-'}, "
            f"user {user.id if user else '-'})"
        )
    if context.error is not None and is_disk_full(context.error):
        DISK_FULL.report(
            f"handling an update{where}", _inbox_services(context.application).db.deferred_count
        )
        return
    log.error("Error while handling an update%s", where, exc_info=context.error)


def _inbox_services(app: object) -> Services:
    """The services behind the bot-wide inbox: the first club's (its file keeps the inbox,
    as the single-club database always did, so an upgrade moves no row)."""
    assert isinstance(app, CommunityApplication)
    return app.clubs.first.services
