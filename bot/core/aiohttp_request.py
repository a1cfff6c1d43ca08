"""PTB's HTTP client interface (``BaseRequest``) over aiohttp instead of httpx.

Every Bot API call goes through it. On this project's 2-core VM a call through PTB's httpx
client cost the event loop ~940 µs of CPU against the sandbox, through this one ~350 µs (~1,060
against ~210 µs with 8 calls at once; ``python -m benchmarks.http_client``): httpx runs each
request through anyio's cancel scopes, sniffio lookups and several layers of Python per byte
stream. In a launch-day wave the bot makes ~400 calls a second (approvals, link revocations,
welcomes, getUpdates), and the client was most of the event loop's time (py-spy: 76% of it
in a 1,000-request wave); the wave's main-thread CPU fell from 8.1 to 4.6 ms an admission.

PTB documents ``BaseRequest`` as the place to plug in another HTTP library; this one keeps
``HTTPXRequest``'s behaviour where it is visible: the same default timeouts (read, connect and
pool per request; aiohttp has no write timeout, so an upload is bounded as a whole by the sum
of the four), the pool timeout's own message (nothing was sent), the User-Agent,
form-encoded parameters, multipart uploads with file names written as httpx writes them, no
redirects followed, ``TimedOut`` for a timeout and ``NetworkError`` for any other transport
failure, the status and body returned as they came for PTB to judge, and a refusal after
``shutdown()``.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One pool of up to ``connection_pool_size`` connections, opened on first use."""

    __slots__ = (
        "_connect_timeout",
        "_loop",
        "_media_write_timeout",
        "_pool",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_shut_down",
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
        self._pool: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shut_down = False

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._shut_down = False
        self._open()

    async def shutdown(self) -> None:
        self._shut_down = True
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    def _open(self) -> tuple[aiohttp.ClientSession, asyncio.Semaphore]:
        """The session and the pool's places, made in the running loop (aiohttp binds a
        session to it): on first use, and again in another loop."""
        if self._shut_down:
            # As HTTPXRequest: a call after shutdown() is refused (PTB: a NetworkError), not
            # served by a new session nobody would close.
            raise RuntimeError("This AiohttpRequest is not initialized!")
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, ssl=self._ssl if self._ssl is not None else True
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )
            self._pool = asyncio.Semaphore(self._pool_size)
            self._loop = loop
        assert self._pool is not None
        return self._session, self._pool

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
        session, places = self._open()
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
        total = None
        if files:
            body = _multipart(fields or {}, files)
            # aiohttp has no write timeout: an upload is bounded as a whole instead, by the
            # sum of httpx's four (none if any is None, as PTB means "no limit").
            parts = (read, write, connect, pool)
            total = None if None in parts else sum(parts)  # type: ignore[arg-type]
        timeout = aiohttp.ClientTimeout(
            total=total, connect=connect, sock_connect=connect, sock_read=read
        )
        await _take_place(places, pool)
        try:
            # No redirects: a Bot API answer is judged as it came (httpx's default too).
            async with session.request(
                method, url, data=body, timeout=timeout, allow_redirects=False
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's own timeouts are TimeoutErrors too (3.11+)
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        finally:
            places.release()


async def _take_place(places: asyncio.Semaphore, pool_timeout: float | None) -> None:
    """A place among the pool's connections, waiting at most ``pool_timeout`` (httpx's
    pool timeout, and its message: nothing was sent, so retrying is safe)."""
    if not places.locked():
        await places.acquire()  # free: no timer to set up
        return
    try:
        async with asyncio.timeout(pool_timeout):
            await places.acquire()
    except TimeoutError as exc:
        raise TimedOut(
            message=(
                "Pool timeout: All connections in the connection pool are occupied. Request "
                "was *not* sent to Telegram. Consider adjusting the connection pool size or "
                "the pool timeout."
            )
        ) from exc


def _multipart(fields: dict[str, str], files: UploadFileDict) -> aiohttp.FormData:
    """The parameters and the files as multipart/form-data, file names written as httpx
    (and browsers) write them: UTF-8 as is, ``"`` and control characters %-escaped."""
    form = aiohttp.FormData(quote_fields=False)  # True would %-encode every non-ASCII name
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(
            name, content, filename=filename and _html5_escaped(filename), content_type=mime
        )
    return form


# aiohttp (quote_fields=False) escapes a backslash itself; the rest as httpx does.
_HTML5_ESCAPES = {ord('"'): "%22"} | {c: f"%{c:02X}" for c in range(0x20) if c != 0x1B}


def _html5_escaped(filename: str) -> str:
    return filename.translate(_HTML5_ESCAPES)
