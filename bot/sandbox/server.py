"""HTTP side: a tornado server speaking the Bot API wire protocol, plus update delivery.

Takes ``/bot<token>/<method>`` calls (GET or POST, decoded by routes.py), applies scripted
faults and flood-wait windows, records every call, and hands the decoded parameters to
methods.py. getUpdates (long polling) and webhook delivery live here because they are about
connections and waiting rather than world rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import math
import ssl
from collections.abc import Callable
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil

from bot.sandbox import errors as E
from bot.sandbox import (
    forum_methods,  # noqa: F401 - registers the forum topic methods
    limits,
)
from bot.sandbox.errors import ApiError
from bot.sandbox.faults import FaultPlan
from bot.sandbox.methods import Params, Upload, _allowed, dispatch
from bot.sandbox.models import RecordedRequest
from bot.sandbox.rates import RateChecker, RateViolation
from bot.sandbox.routes import make_app
from bot.sandbox.world import World

log = logging.getLogger(__name__)

# How long the server must see no request before wait_idle() calls the bot idle, when the
# bot does not say itself whether it is busy (see ApiServer.bot_idle).
IDLE_QUIET_SECONDS = 0.05


class ApiServer:
    """Owns the listening socket and everything tied to requests and timing."""

    def __init__(self, world: World, token: str, faults: FaultPlan) -> None:
        self.world = world
        self.token = token
        self.faults = faults
        self.requests: list[RecordedRequest] = []
        self.rate_violations: list[RateViolation] = []
        self.rates = RateChecker()
        self.port = 0
        self._server: tornado.httpserver.HTTPServer | None = None
        self._changed = asyncio.Event()
        # Set by every change above and by the bot's own reports; only wait_idle waits on it,
        # so the bot's reports never wake long polls that could not care less.
        self._idle_changed = asyncio.Event()
        self._poll_generation = 0
        self._in_flight = 0
        self._last_activity = 0.0
        # The bot's own word on whether it has work in progress (Sandbox.watch_bot). From
        # outside, a bot between two requests looks exactly like a finished one, so without
        # it only a quiet period (IDLE_QUIET_SECONDS) can tell, and that costs time per wait.
        self.bot_idle: Callable[[], bool] | None = None
        # method -> (sandbox-clock end, real end) of a 429 flood-wait window
        self._flood: dict[str, tuple[Any, float]] = {}
        self._webhook_task: asyncio.Task[None] | None = None
        self.webhook_deliveries: list[dict[str, Any]] = []
        world.on_change = self.notify

    # --- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = make_app(self)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        self._server.add_sockets(sockets)
        self._last_activity = asyncio.get_running_loop().time()
        self._webhook_task = asyncio.create_task(self._deliver_webhooks())

    async def stop(self) -> None:
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._server is not None:
            self._server.stop()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.close_all_connections(), 2.0)
            self._server = None
        self._poll_generation += 1
        self.notify()

    # --- change notification -----------------------------------------------------------------
    def notify(self) -> None:
        """Wake everyone waiting for a change (long polls, wait_for, wait_idle)."""
        self._changed.set()
        self._changed = asyncio.Event()
        self.notify_idle()

    def notify_idle(self) -> None:
        """Wake wait_idle only (the bot reported a change of its own activity)."""
        self._idle_changed.set()
        self._idle_changed = asyncio.Event()

    async def wait_idle_change(self, timeout: float) -> None:  # noqa: ASYNC109
        event = self._idle_changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0.0))

    async def wait_change(self, timeout: float) -> None:  # noqa: ASYNC109
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0.0))

    def is_idle(self, now: float) -> bool:
        if self.world.updates or self._in_flight:
            return False
        if self.bot_idle is not None:
            return self.bot_idle()
        return now - self._last_activity >= IDLE_QUIET_SECONDS

    # --- request pipeline ------------------------------------------------------------------
    async def handle(
        self, token: str, method: str, values: dict[str, Any], files: dict[str, Upload]
    ) -> tuple[int, dict[str, Any] | None]:
        """Return (status, body); body None means: drop the connection."""
        loop = asyncio.get_running_loop()
        name = method.lower()
        long_poll = name == "getupdates"
        if not long_poll:
            self._in_flight += 1
        self._last_activity = loop.time()
        record = RecordedRequest(
            method=method,
            params={**values, **{k: f"<file {v[0]} {len(v[1])} bytes>" for k, v in files.items()}},
            at=self.world.clock.now(),
        )
        self.requests.append(record)
        try:
            status, body = await self._handle(token, method, values, files)
        finally:
            if not long_poll:
                self._in_flight -= 1
            self._last_activity = loop.time()
        record.status = status
        self.notify()
        return status, body

    async def _handle(
        self, token: str, method: str, values: dict[str, Any], files: dict[str, Upload]
    ) -> tuple[int, dict[str, Any] | None]:
        if token != self.token:
            return 401, E.UNAUTHORIZED.body()
        name = method.lower()
        fault = self.faults.take(name)
        if fault is not None:
            if fault.kind == "drop":
                return 0, None
            if fault.kind == "delay":
                await asyncio.sleep(fault.seconds)
            else:
                body: dict[str, Any] = {
                    "ok": False,
                    "error_code": fault.status,
                    "description": fault.describe(),
                }
                if fault.status == 429:
                    retry = int(fault.retry_after or 1)
                    body["parameters"] = {"retry_after": retry}
                    self._open_flood_window(name, retry)
                return fault.status, body
        flood = self._flood_refusal(method)
        if flood is not None:
            return 429, flood
        try:
            self.world.tick()
            if name == "getupdates":
                result = await self._get_updates(Params(values, files))
            else:
                result = dispatch(self.world, method, Params(values, files))
                self._check_rates(method, values)
        except ApiError as err:
            return err.code, err.body()
        except Exception as err:  # a sandbox bug must not look like a network error
            log.exception("sandbox failed handling %s", method)
            return 500, {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: sandbox bug: {err!r}",
            }
        return 200, {"ok": True, "result": result}

    def _open_flood_window(self, name: str, retry: int) -> None:
        from datetime import timedelta

        loop = asyncio.get_running_loop()
        self._flood[name] = (
            self.world.clock.now() + timedelta(seconds=retry),
            loop.time() + retry,
        )

    def _flood_refusal(self, method: str) -> dict[str, Any] | None:
        """Inside a 429 window: count a violation and refuse again, like Telegram.

        The window ends when the sandbox clock passes it (FakeClock tests advance time) or
        when that much real time has passed (a bot sleeping retry_after for real).
        """
        window = self._flood.get(method.lower())
        if window is None:
            return None
        clock_end, real_end = window
        now = self.world.clock.now()
        real_now = asyncio.get_running_loop().time()
        if now >= clock_end or real_now >= real_end:
            del self._flood[method.lower()]
            return None
        remaining = max(1, math.ceil(min((clock_end - now).total_seconds(), real_end - real_now)))
        self.rate_violations.append(
            RateViolation(
                "flood_wait",
                method,
                None,
                now,
                f"called {remaining}s before the retry_after window ended",
            )
        )
        return {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {remaining}",
            "parameters": {"retry_after": remaining},
        }

    def _check_rates(self, method: str, values: dict[str, Any]) -> None:
        if not self.rates.enabled:
            return
        chat_id: int | None
        try:
            chat_id = int(values.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            chat_id = None
        chat = self.world.chats.get(chat_id) if chat_id is not None else None
        self.rate_violations.extend(
            self.rates.record(
                method,
                chat_id,
                chat is not None and chat.type == "private",
                asyncio.get_running_loop().time(),
                self.world.clock.now(),
            )
        )

    # --- getUpdates ------------------------------------------------------------------------
    async def _get_updates(self, p: Params) -> list[dict[str, Any]]:
        w = self.world
        if w.webhook is not None:
            raise ApiError(409, E.WEBHOOK_ACTIVE)
        limit = p.get_int("limit")
        if limit is None or limit > limits.MAX_UPDATES_LIMIT or limit < 1:
            limit = limits.MAX_UPDATES_LIMIT  # out-of-range values are clamped (assumption)
        timeout = max(0, p.get_int("timeout") or 0)
        allowed = p.get_json("allowed_updates")
        if allowed is not None:
            w.allowed_updates = _allowed(allowed)
        offset = p.get_int("offset")
        if offset is not None:
            w.confirm(offset)
        # A newer getUpdates ends an older pending one with 409, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        self.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            w.tick()
            if w.updates:
                return w.updates[:limit]
            if generation != self._poll_generation:
                raise ApiError(409, E.TERMINATED_BY_OTHER)
            if w.webhook is not None:
                raise ApiError(409, E.WEBHOOK_ACTIVE)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self.wait_change(remaining)

    # --- webhooks ----------------------------------------------------------------------------
    async def _deliver_webhooks(self) -> None:
        """POST queued updates, in order, to the webhook URL until each gets a 2xx."""
        backoff = 0.05
        async with httpx.AsyncClient(timeout=10.0, verify=_tls_context()) as client:
            while True:
                hook = self.world.webhook
                if hook is None or not self.world.updates:
                    await self.wait_change(1.0)
                    continue
                update = self.world.updates[0]
                headers = {"Content-Type": "application/json"}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                ok = False
                try:
                    response = await client.post(
                        hook["url"], content=json.dumps(update), headers=headers
                    )
                    ok = 200 <= response.status_code < 300
                except httpx.HTTPError:
                    ok = False
                if ok and self.world.updates and self.world.updates[0] is update:
                    self.world.updates.pop(0)
                    self.webhook_deliveries.append(update)
                    backoff = 0.05
                    self.notify()
                elif not ok:
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 1.0)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # httpx loads the CA bundle (~50 ms) for every client; every sandbox shares one context.
    return httpx.create_ssl_context()


Predicate = Callable[[], bool]
