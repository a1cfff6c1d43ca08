"""Webhook mode stores the body Telegram sent, as polling does.

PTB's webhook handler parses the body into an ``Update`` and hands only that to the update
queue. Re-serialising it (``update.to_dict()``) is lossy and can fail outright: an
``InaccessibleMessage`` (an old pinned message the bot cannot see) keeps a ``datetime`` that
``json.dumps`` refuses, so the webhook answered 500 and Telegram retried the update forever.
Here PTB's handler is extended to hand the raw JSON object to the inbox first. If a future PTB
moves its private webhook classes, the inbox falls back to a serialisation that turns
datetimes into unix seconds (what Telegram sends), so an update is never refused.

An update PTB cannot read (a field it requires is missing) is handed to PTB as its id alone,
so it is stored and skipped (``bot.core.update_json.read_update``) instead of refused with 400 and
delivered again forever. Finding out costs one more parse of each webhook update.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update

from bot.core.json_escapes import mend_bytes
from bot.core.update_json import unreadable_update

log = logging.getLogger(__name__)


def install() -> bool:
    """Make PTB's webhook server pass raw bodies to the inbox; False if PTB changed shape."""
    try:
        from telegram.ext import _updater
        from telegram.ext._utils import webhookhandler
    except ImportError:  # PTB without the webhooks extra: nothing to extend
        return False
    base_app = getattr(webhookhandler, "WebhookAppClass", None)
    base_handler = getattr(webhookhandler, "TelegramHandler", None)
    if base_app is None or base_handler is None or not hasattr(_updater, "WebhookAppClass"):
        log.warning("PTB's webhook classes moved: inbox stores re-serialised updates instead")
        return False
    if getattr(_updater.WebhookAppClass, "_stores_raw_bodies", False):
        return True

    class RawBodyHandler(base_handler):  # type: ignore[misc, valid-type]
        async def post(self) -> None:
            # The secret token and content type first (PTB checks them again): a refused
            # request is neither decoded nor remembered, so a stranger who can reach the port
            # cannot make the bot hold on to bodies it will never take.
            self._validate_post()
            # Before anything decodes it (PTB's handler too): see bot.core.json_escapes.
            self.request.body = mend_bytes(self.request.body)
            remember = getattr(self.update_queue, "remember_raw", None)
            if remember is not None:
                try:
                    data: Any = json.loads(self.request.body)
                except ValueError:
                    data = None
                if isinstance(data, dict) and isinstance(data.get("update_id"), int):
                    try:
                        Update.de_json(data, self.bot)
                    except Exception as exc:
                        # PTB cannot read it: hand PTB the id alone, so it is stored,
                        # answered 200 and skipped, not refused with 400 and delivered again
                        # and again.
                        unreadable_update(data, exc)
                        data = {"update_id": data["update_id"]}
                        self.request.body = json.dumps(data).encode()
                    remember(data)
            await super().post()

    class RawBodyApp(base_app):  # type: ignore[misc, valid-type]
        _stores_raw_bodies = True

        def __init__(self, webhook_path: str, *args: Any, **kwargs: Any) -> None:
            super().__init__(webhook_path, *args, **kwargs)
            # Same route, our handler: tornado tries host rules added later first.
            self.add_handlers(
                r".*$", [(rf"{webhook_path}/?", RawBodyHandler, self.shared_objects)]
            )

    setattr(_updater, "WebhookAppClass", RawBodyApp)  # noqa: B010 - a module global
    return True
