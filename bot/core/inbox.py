"""Durable updates: nothing Telegram delivered is lost, nothing is applied twice.

Telegram forgets an update once a later getUpdates passes its offset, and PTB's updater moves
the offset as soon as it has queued a batch, before any handler ran. So every update is
written to the ``inbox`` table *before* it enters the queue:

* long polling: ``DurableBot.get_updates`` stores the whole batch in one transaction before
  the updater sees it (and so before the next call confirms it), each update as the JSON
  text Telegram sent (``bot.core.updates_request`` keeps it while decoding the answer);
* webhook: PTB's webhook handler awaits ``update_queue.put`` before answering 200, and
  ``InboxQueue.put`` stores the update first.

An update whose id is already in the inbox is a redelivery and is dropped. After a crash,
``replay_pending`` queues the stored updates that were never marked processed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

from bot.core import batch_parser, update_parsing
from bot.core.activity import Activity
from bot.core.backlog import Backlog
from bot.core.clock import Clock
from bot.core.json_escapes import mend_text
from bot.core.update_json import raw_json, read_update, stored_json
from bot.core.updates_request import UpdatesRequest
from bot.db.diskfull import DISK_FULL, is_disk_full
from bot.db.inbox_repo import InboxRepository

log = logging.getLogger(__name__)

# Webhook bodies remembered until put() takes them; far more than are ever in flight.
_RAW_KEPT = 1_000

# While the disk is full, how long to wait before asking Telegram for the same updates again.
STORAGE_RETRY_SECONDS = 2.0


class InboxQueue(asyncio.Queue[object]):
    """PTB's update queue, with the inbox in front of it."""

    def __init__(self) -> None:
        super().__init__()
        self._repo: InboxRepository | None = None
        self._clock: Clock | None = None
        self._admitted: set[int] = set()
        # Webhook bodies as Telegram sent them, by update id, until put() stores them.
        self._raw: dict[int, Mapping[str, Any]] = {}
        # Counted from the moment an update is queued until its handling finished
        # (PTB calls task_done after the handlers), so "queue empty" gaps never look idle.
        self.activity = Activity()
        # When the updates that waited while the bot was down are all handled.
        self.backlog = Backlog(self.activity)

    def attach(self, repo: InboxRepository, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

    def _now(self) -> int:
        assert self._clock is not None
        return int(self._clock.now().timestamp())

    async def admit_batch(
        self, updates: Sequence[Update], texts: Mapping[int, str] | None = None
    ) -> None:
        """Store a fetched batch; remembers which ids are new so ``put`` lets them through.

        ``texts`` maps update ids to the JSON text Telegram sent, stored as it came; an update
        without one is stored as PTB's ``to_dict`` of it.
        """
        texts = texts or {}
        rows = [(u.update_id, texts.get(u.update_id) or stored_json(u)) for u in updates]
        await self.admit_rows(rows)

    async def admit_rows(self, rows: Sequence[tuple[int, str]]) -> None:
        """Store (update id, JSON text) rows in one transaction; remembers the new ids."""
        if self._repo is None or not rows:
            return
        fresh = await self._repo.admit(rows, self._now())
        self._admitted |= fresh

    def pending_writes(self) -> int:
        return self._repo.pending_writes() if self._repo is not None else 0

    def remember_raw(self, data: Mapping[str, Any]) -> None:
        """The webhook's raw body for an update about to be put (see bot.core.webhook)."""
        self._raw[int(data["update_id"])] = data
        if len(self._raw) > _RAW_KEPT:
            # A body PTB then refused never reaches put(): forget the oldest, not the memory.
            del self._raw[next(iter(self._raw))]

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and self._repo is not None:
            update_id = item.update_id
            raw = self._raw.pop(update_id, None)
            if update_id in self._admitted:
                self._admitted.discard(update_id)
            elif not await self._repo.admit([(update_id, stored_json(item, raw))], self._now()):
                log.info("Update %s was delivered again; it already had its effect", update_id)
                return
        await super().put(item)

    def put_nowait(self, item: object) -> None:
        super().put_nowait(item)
        self.activity.update_queued()

    def task_done(self) -> None:
        super().task_done()
        self.activity.update_done()

    async def replay_pending(self, bot: ExtBot[Any]) -> int:
        """Queue the updates stored before a crash but never processed."""
        if self._repo is None:
            return 0
        pending = await self._repo.pending()
        for update_id, payload in pending:
            # Mended: a payload stored before lone surrogates were mended on arrival.
            try:
                data = json.loads(mend_text(payload))
            except ValueError:
                data = {"update_id": update_id}  # unreadable JSON: skipped, not retried forever
            update = read_update(data, bot)
            await super().put(update if update is not None else Update(update_id=update_id))
        if pending:
            log.warning("Replaying %d update(s) stored before the last shutdown", len(pending))
        return len(pending)


# Turns of the event loop the HTTP client needs from a call to writing the request on a pooled
# connection (measured: aiohttp 1; httpx, the client before, 4).
_TURNS_TO_SEND = 1


class _StorageFull(Exception):
    """A fetched batch could not be stored: not confirmed, asked for again later."""


class _Fetch:
    """One getUpdates on its way: answered, stored, then parsed by PTB (its task)."""

    def __init__(self, kwargs: dict[str, Any]) -> None:
        self.kwargs = kwargs
        self.task: asyncio.Task[tuple[Update, ...]] | None = None
        self.raw: list[Any] | None = None  # the answer's JSON objects, once it came
        self.stored = False  # the answer is in the inbox (not when the disk was full)
        self.next_offset: int | None = None  # once stored: the offset that confirms it
        self.send_next_when_stored = False  # the updater waits for this one
        self.sent_next = False


# The fetch whose answer is being handled, in its own task's context.
_FETCH: ContextVar[_Fetch | None] = ContextVar("inbox_fetch", default=None)


class DurableBot(ExtBot[int]):
    """An ExtBot whose getUpdates stores each batch in the inbox before returning it."""

    # Telegram objects freeze public attributes; protected ones stay settable.
    _inbox_queue: InboxQueue | None = None
    # The getUpdates sent ahead of the updater's next call.
    _ahead: _Fetch | None = None
    # The last answer handed to the updater (its size and the limit asked for), told to the
    # backlog at the updater's next call: by then every update in it is queued.
    _handed_over: tuple[int, int | None] | None = None
    _parser: batch_parser.BatchParser | None = None

    def attach_inbox(self, queue: InboxQueue) -> None:
        self._inbox_queue = queue

    async def _post(self, endpoint: str, data: Any = None, **kwargs: Any) -> Any:
        if endpoint != "getUpdates" and self._inbox_queue is not None:
            # Counted from before the rate limiter: a call waiting for its turn is work too.
            async with self._inbox_queue.activity.call():
                return await super()._post(endpoint, data, **kwargs)
        result = await super()._post(endpoint, data, **kwargs)
        fetch = _FETCH.get()
        if endpoint == "getUpdates" and isinstance(result, list) and fetch is not None:
            fetch.raw = result
            if result:
                await self._store(fetch, result)
                # PTB parses the batch as soon as this returns, without an await; _fetch
                # puts the guard back (bot.core.update_parsing says why it is safe), and so
                # does the loop's next turn whoever asked for the updates.
                update_parsing.lift_guard()
                asyncio.get_running_loop().call_soon(update_parsing.restore_guard)
            fetch.stored = True
        return result

    async def _store(self, fetch: _Fetch, fetched: list[Any]) -> None:
        """Store the batch as Telegram sent it, before PTB parses it; then, if the updater
        waits for it, send the request for the next batch: it travels while PTB parses."""
        queue = self._inbox_queue
        if queue is None:
            return
        ids = [item.get("update_id") if isinstance(item, dict) else None for item in fetched]
        texts = self._sent_texts(fetched)
        rows = [
            (update_id, text)
            for update_id, text in zip(ids, texts, strict=True)
            if isinstance(update_id, int)
        ]
        try:
            await queue.admit_rows(rows)
        except Exception as exc:
            if is_disk_full(exc):
                raise _StorageFull from exc
            raise
        DISK_FULL.recovered()
        if rows:
            fetch.next_offset = max(update_id for update_id, _ in rows) + 1
        if fetch.send_next_when_stored:
            await self._send_next(fetch)

    def _sent_texts(self, fetched: list[Any]) -> list[str]:
        """Each fetched update's JSON text as Telegram sent it (or encoded again)."""
        request = self._request[0]
        texts = request.texts_of(fetched) if isinstance(request, UpdatesRequest) else None
        # Another request class (tests build plain bots): encode the JSON objects instead.
        return texts if texts is not None else [raw_json(item) for item in fetched]

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """The next batch, stored; the request for the one after it is already on its way.

        PTB's updater asks for the next batch only once the first step of every update in this
        one has run, and the event loop used to sit idle while that request travelled. Now
        the request goes out as soon as this batch is stored (storing first is what allows
        confirming it) and before PTB parses it, and the updater's next call is answered by
        it. One request ahead at most: the next is sent once the updater waits for this one.
        """
        self._tell_backlog()
        fetch, self._ahead = self._ahead, None
        if fetch is None or args or kwargs != fetch.kwargs:
            _drop(fetch)  # asked for something else: the updater's last call, at stop
            fetch = self._start(kwargs, *args)
        if not args and "offset" in kwargs and self._inbox_queue is not None:
            if fetch.next_offset is not None:
                await self._send_next(fetch)  # stored before the updater asked
            else:
                fetch.send_next_when_stored = True
        assert fetch.task is not None
        updates = await fetch.task  # cancelled with the caller (the updater stopping)
        if fetch.stored and fetch.raw is not None:
            # Counted as Telegram sent it: an update PTB could not even give an id still
            # took a place in the answer. An answer that could not be stored (disk full)
            # says nothing about the backlog: it is asked for again.
            self._handed_over = (len(fetch.raw), kwargs.get("limit"))
        return updates

    def _tell_backlog(self) -> None:
        """The updater asks again only once it has queued the last answer (PTB's polling
        loop puts every update, each an await, before its next getUpdates): the backlog
        may count that answer's updates as queued now, not when it was returned."""
        handed_over, self._handed_over = self._handed_over, None
        if handed_over is not None and self._inbox_queue is not None:
            self._inbox_queue.backlog.batch_queued(*handed_over)

    async def _send_next(self, fetch: _Fetch) -> None:
        if fetch.sent_next or fetch.next_offset is None:
            return
        fetch.sent_next = True
        self._ahead = self._start(dict(fetch.kwargs, offset=fetch.next_offset))
        # The client takes a turn of the loop to write a request: let it, before PTB parses
        # this batch and the updater queues it.
        for _ in range(_TURNS_TO_SEND):
            await asyncio.sleep(0)

    def _start(self, kwargs: dict[str, Any], *args: Any) -> _Fetch:
        fetch = _Fetch(kwargs)  # compared with the updater's next call as it asks
        sent = self._without_wait(kwargs) if not args else kwargs
        token = _FETCH.set(fetch)
        try:
            fetch.task = asyncio.ensure_future(self._fetch(fetch, *args, **sent))
        finally:
            _FETCH.reset(token)
        return fetch

    def _without_wait(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Until the last of the backlog is in, ask without the long poll's wait: Telegram
        holds an empty getUpdates for its whole ``timeout`` (up to 50 s), and the scheduled
        work of a bot that nothing waited for would wait that long for an empty answer."""
        queue = self._inbox_queue
        if queue is None or queue.backlog.fetched or not kwargs.get("timeout"):
            return kwargs
        return dict(kwargs, timeout=0)

    async def initialize(self) -> None:
        try:
            await super().initialize()
        except BaseException:
            # PTB's shutdown() skips a bot whose initialize() failed (getMe refused or
            # unreachable): close the connections it opened, or they outlive the bot.
            for request in self._request:
                await request.shutdown()
            raise

    async def shutdown(self) -> None:
        _drop(self._ahead)
        self._ahead = None
        await super().shutdown()

    async def _fetch(self, fetch: _Fetch, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            if args or not kwargs.keys() <= _POLLING_ARGUMENTS:
                updates = await super().get_updates(*args, **kwargs)
            else:
                updates = await self._poll(**kwargs)
        except _StorageFull:
            # Not stored, so not confirmed: returning nothing keeps PTB's offset where it
            # is, and Telegram hands the same updates over again once there is room.
            if self._inbox_queue is not None:
                DISK_FULL.report("storing new updates", self._inbox_queue.pending_writes())
            await asyncio.sleep(STORAGE_RETRY_SECONDS)
            return ()
        except Exception:
            update_parsing.restore_guard()
            if fetch.raw is None:
                raise  # no answer (network, Telegram's error): PTB's retry loop handles it
            # The answer came (and is stored), and PTB could not read some update in it:
            # read them one by one.
            updates = tuple(
                update
                for update in (read_update(item, self) for item in fetch.raw)
                if update is not None
            )
            for update in updates:
                self.insert_callback_data(update)
        finally:
            update_parsing.restore_guard()
        return updates

    async def _poll(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: float | timedelta | None = None,  # noqa: ASYNC109  # Telegram's long poll
        allowed_updates: Sequence[str] | None = None,
    ) -> tuple[Update, ...]:
        """``ExtBot.get_updates`` for the arguments PTB's updater passes, with the answer
        parsed by ``batch_parser.BatchParser`` (a plain message built as a copy of one PTB
        built, not field by field) instead of ``Update.de_list``."""
        waited = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout or 0
        data = {
            "timeout": timeout,
            "offset": offset,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        # As Bot.get_updates: the long poll's wait on top of the request's read timeout.
        read_timeout = (self._request[0].read_timeout or 0) + waited
        result = await self._post("getUpdates", data, read_timeout=read_timeout)
        if result and log.isEnabledFor(logging.DEBUG):  # as PTB's get_updates logs them
            ids = [item.get("update_id") if isinstance(item, dict) else "?" for item in result]
            log.debug("Getting updates: %s", ids)
        if self._parser is None:
            self._parser = batch_parser.BatchParser()
        updates = self._parser.parse(result, self)
        for update in updates:
            self.insert_callback_data(update)
        return updates


# What PTB's updater passes to get_updates (its polling loop and its last call at stop).
_POLLING_ARGUMENTS = frozenset({"offset", "limit", "timeout", "allowed_updates"})


def _drop(fetch: _Fetch | None) -> None:
    """Cancel a getUpdates sent ahead. Nothing is lost: what it fetched was either stored
    (and is replayed from the inbox at the next start) or never confirmed to Telegram."""
    if fetch is not None and fetch.task is not None:
        fetch.task.cancel()
        fetch.task.add_done_callback(lambda done: done.cancelled() or done.exception())
