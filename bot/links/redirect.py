"""The click-counting redirect endpoint: ``GET <redirect_base_url>/<token>`` -> 302.

Served by the bot itself (tornado, which PTB's webhook server already brings), on an event
loop in a thread of its own: a click never waits behind the bot's handlers or a batch write
on the main loop. A click costs a dictionary lookup and a counter increment in memory; counts
are written to SQLite in one transaction per scheduler tick, so the answer never waits for a
disk write. Nothing about the visitor (address, agent, referrer, time) is stored: only link,
day and a count.

Only tokens the bot registered for links it posted resolve; anything else is a 404, so the
endpoint cannot be used to send people to arbitrary addresses (no open redirect).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from collections.abc import Callable
from types import TracebackType
from urllib.parse import quote, urlsplit, urlunsplit

import tornado.httpserver
import tornado.netutil
import tornado.web

from bot.core.i18n import N_, SOURCE_LANGUAGE, Translator, pick_language, translator
from bot.core.messaging import html_to_plain

log = logging.getLogger(__name__)

TOKEN_PATTERN = r"[A-Za-z0-9_-]{6,32}"
# The answer to a link the bot never made (plain text, in a browser).
UNKNOWN_LINK = N_("Unknown link.")


class ClickCounter:
    """Registered targets and the clicks counted since the last write."""

    def __init__(self, today: Callable[[], str]) -> None:
        self._today = today
        self._targets: dict[str, tuple[int, str]] = {}
        self.pending: Counter[tuple[int, str]] = Counter()
        # Clicks are counted on the server's thread and taken on the bot's: a counter
        # increment is a read and a write, so both sides hold the lock.
        self._lock = threading.Lock()

    def add_target(self, token: str, link_id: int, url: str) -> None:
        self._targets[token] = (link_id, location(url))

    def click(self, token: str, *, count: bool = True) -> str | None:
        """The destination of a click (counted unless ``count`` is False), or None."""
        target = self._targets.get(token)
        if target is None:
            return None
        link_id, url = target
        if count:
            key = (link_id, self._today())
            with self._lock:
                self.pending[key] += 1
        return url

    def take(self) -> dict[tuple[int, str], int]:
        """Hand over the counts to write; new clicks start a fresh batch."""
        with self._lock:
            taken, self.pending = dict(self.pending), Counter()
        return taken

    def give_back(self, counts: dict[tuple[int, str], int]) -> None:
        """A write failed: keep the counts for the next one (nothing is lost or doubled)."""
        with self._lock:
            self.pending.update(counts)


# Characters a URL may carry as they are; "%" so that existing escapes are kept, not doubled.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


def location(url: str) -> str:
    """``url`` as a Location header may carry it: ASCII only, nothing that ends the line.

    The brand's links may hold an international host or path ("bäckerei.example/brot");
    tornado would send them as raw UTF-8 (not HTTP) and answers a control character with a
    500 after the click was counted. Punycode and percent-escapes mean the same address.
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(host, safe="")
        netloc = quote(userinfo, safe=_URL_SAFE) + at + host + colon + quote(port, safe="")
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


class _RedirectHandler(tornado.web.RequestHandler):
    def initialize(self, counter: ClickCounter, language: str) -> None:
        self.counter = counter
        self.language = language

    def get(self, token: str) -> None:
        self._answer(token, count=not _is_crawler(self.request.headers.get("User-Agent", "")))

    def head(self, token: str) -> None:
        # Link-preview crawlers probe with HEAD: follow, but do not count.
        self._answer(token, count=False)

    def _answer(self, token: str, *, count: bool) -> None:
        url = self.counter.click(token, count=count)
        if url is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(html_to_plain(self._reader()._(UNKNOWN_LINK)) + "\n")
            return
        # Every click must reach us to be counted: no caching by browsers or proxies.
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.redirect(url, status=302)

    def _reader(self) -> Translator:
        """The browser's first preferred language if the bot has it, else the club's."""
        preferred = self.request.headers.get("Accept-Language", "").split(",", 1)[0]
        return translator(pick_language(preferred.split(";", 1)[0].strip(), self.language))

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anyone on the internet can send a POST or a PUT (405): one line at debug level,
        # not a traceback per request, or the log can be flooded at will.
        if isinstance(value, tornado.web.HTTPError):
            log.debug("Redirect endpoint: %s", value)
            return
        log.warning("Redirect endpoint error", exc_info=value)


def _is_crawler(agent: str) -> bool:
    # Telegram fetches a link once to draw its preview; that is not a person clicking.
    lowered = agent.lower()
    return "telegrambot" in lowered or "twitterbot" in lowered


def make_app(counter: ClickCounter, language: str = SOURCE_LANGUAGE) -> tornado.web.Application:
    handler_args = {"counter": counter, "language": language}
    return tornado.web.Application(
        [(rf".*/({TOKEN_PATTERN})/?", _RedirectHandler, handler_args)],
        log_function=lambda handler: None,  # no access log: who clicked is not recorded
    )


class RedirectServer:
    """The endpoint on its own thread and event loop; ``port`` is the port bound."""

    def __init__(
        self, counter: ClickCounter, listen: str, port: int, language: str = SOURCE_LANGUAGE
    ) -> None:
        # Bind here, so a busy port fails the caller at once rather than the thread later.
        self._sockets = tornado.netutil.bind_sockets(port, address=listen)
        self.port = int(self._sockets[0].getsockname()[1])
        self._counter = counter
        self._language = language
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._server: tornado.httpserver.HTTPServer | None = None
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="link-redirect", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            # The thread has ended; the caller gets the reason instead of a start-up that
            # waits forever for a server that will never be ready.
            for sock in self._sockets:
                sock.close()
            raise OSError(f"the redirect endpoint did not start: {self._failure}")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def begin() -> None:
            self._server = tornado.httpserver.HTTPServer(make_app(self._counter, self._language))
            self._server.add_sockets(self._sockets)

        try:
            self._loop.run_until_complete(begin())
        except Exception as exc:
            self._failure = exc
            self._loop.close()
            return
        finally:
            self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    def stop(self) -> None:
        async def end() -> None:
            if self._server is not None:
                self._server.stop()
                await self._server.close_all_connections()
            self._loop.stop()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(end(), self._loop)
            self._thread.join(timeout=5)
        if self._thread.is_alive():
            log.warning("The redirect endpoint did not stop within 5 s; leaving its thread")


def serve(
    counter: ClickCounter, listen: str, port: int, language: str = SOURCE_LANGUAGE
) -> RedirectServer:
    """Start serving on a thread of its own (port 0: any free port, see ``.port``); a link
    it does not know is answered in the browser's language, else in ``language``."""
    return RedirectServer(counter, listen, port, language)
