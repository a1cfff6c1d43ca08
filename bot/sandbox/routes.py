"""The sandbox's HTTP routes: Bot API calls at ``/bot<token>/<method>`` and uploaded files
at ``/file/bot<token>/files/<file_id>``, decoded and handed to the ApiServer (server.py).

Bodies come as JSON, urlencoded or multipart, like PTB and other clients send them; the
last value of a repeated key wins.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import tornado.web

from bot.sandbox import errors as E
from bot.sandbox.methods import Upload
from bot.sandbox.world import World


class Backend(Protocol):
    """What the routes need of the server (ApiServer), named here so that server.py imports
    this module and not the other way round."""

    token: str
    world: World

    async def handle(
        self, token: str, method: str, values: dict[str, Any], files: dict[str, Upload]
    ) -> tuple[int, dict[str, Any] | None]: ...


def make_app(backend: Backend) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (r"/bot([^/]+)/([A-Za-z]+)/?", _ApiHandler, {"server": backend}),
            (r"/file/bot([^/]+)/files/(.+)", _FileHandler, {"server": backend}),
        ],
        # No access log: benchmarks send thousands of requests, and every call is
        # recorded in ApiServer.requests anyway.
        log_function=lambda handler: None,
    )


def _decode_values(
    handler: tornado.web.RequestHandler,
) -> tuple[dict[str, Any], dict[str, Upload]]:
    req = handler.request
    values: dict[str, Any] = {}
    for key, raw_list in req.query_arguments.items():
        values[key] = raw_list[-1].decode("utf-8", "replace")
    ctype = req.headers.get("Content-Type", "")
    if ctype.startswith("application/json") and req.body:
        try:
            body = json.loads(req.body)
        except ValueError:
            body = None
        if isinstance(body, dict):
            values.update(body)
    else:
        for key, raw_list in req.body_arguments.items():
            values[key] = raw_list[-1].decode("utf-8", "replace")
    files: dict[str, Upload] = {}
    for key, parts in req.files.items():
        part = parts[-1]
        files[key] = (
            part.filename or key,
            bytes(part.body),
            part.content_type or "application/octet-stream",
        )
    return values, files


class _ApiHandler(tornado.web.RequestHandler):
    def initialize(self, server: Backend) -> None:
        self.server = server

    def check_xsrf_cookie(self) -> None:  # an API, not a web form
        return

    async def get(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._serve(token, method)

    async def _serve(self, token: str, method: str) -> None:
        values, files = _decode_values(self)
        status, body = await self.server.handle(token, method, values, files)
        if body is None:
            stream = self.request.connection.detach()  # type: ignore[union-attr]
            stream.close()
            self._finished = True  # nothing must be written to the dropped connection
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))


class _FileHandler(tornado.web.RequestHandler):
    """Serves uploaded files at /file/bot<token>/files/<file_id> (getFile's file_path)."""

    def initialize(self, server: Backend) -> None:
        self.server = server

    def get(self, token: str, file_id: str) -> None:
        if token != self.server.token or file_id not in self.server.world.files:
            self.set_status(404)
            self.finish(json.dumps(E.NOT_FOUND.body()))
            return
        self.finish(self.server.world.files[file_id][1])


__all__ = ["Backend", "make_app"]
