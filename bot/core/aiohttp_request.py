"""PTB's HTTP client interface (``BaseRequest``) over aiohttp instead of httpx.

Every Bot API call goes through it. On this project's 2-core VM a call through PTB's httpx
client cost the event loop ~940 µs of CPU against the sandbox, through this one ~350 µs (~1,060
against ~210 µs with 8 calls at once; ``python -m benchmarks.http_client``): httpx runs each
request through anyio's cancel scopes, sniffio lookups and several layers of Python per byte
stream. In a launch-day wave the bot makes ~400 calls a second (approvals, link revocations,
welcomes, getUpdates), and the client was most of the event loop's time (py-spy: 76% of it
in a 1,000-request wave); the wave's main-thread CPU fell from 8.1 to 4.6 ms an admission.

PTB documents ``BaseRequest`` as the place to plug in another HTTP library; this one keeps
``HTTPXRequest``'s behaviour where it is visible: the same timeouts by default (read, write,
connect, pool; a longer write timeout for uploads), the same User-Agent, form-encoded
parameters and multipart uploads, ``TimedOut`` for a timeout and ``NetworkError`` for any other
transport failure, the status and body returned as they came for PTB to judge.
"""

from __future__ import annotations

import ssl
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One pool of up to ``connection_pool_size`` connections, opened on first use."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_ssl",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 1,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        # As HTTPXRequest's defaults (PTB 22).
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._open()

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _open(self) -> aiohttp.ClientSession:
        # Made in the running loop (aiohttp binds a session to it), again after a shutdown.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, ssl=self._ssl if self._ssl is not None else True
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )
        return self._session

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        write = write_timeout
        if isinstance(write, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        body: Any = fields
        if files:
            form = aiohttp.FormData()
            for name, value in (fields or {}).items():
                form.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            body = form
        try:
            async with self._open().request(
                method, url, data=body, timeout=_timeout(read, write, connect, pool)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's own timeouts are TimeoutErrors too (3.11+)
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for httpx's four: its ``connect`` covers the wait for a pooled
    connection and the connect; it has no write timeout, so sending is bounded by a total of
    all four (None when any is None: no limit, as PTB means it)."""
    parts = (read, write, connect, pool)
    total = None if any(part is None for part in parts) else sum(parts)  # type: ignore[arg-type]
    waiting = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(
        total=total, connect=waiting, sock_connect=connect, sock_read=read
    )
