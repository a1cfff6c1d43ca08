"""Rules that hold for every feature at once, so no command or button can forget them.

* **An edit never re-runs a command.** PTB's command and message filters also match
  ``edited_message``; editing ``/warn`` would warn again (and at the limit, mute). Edits are
  only for re-scoring what members said in the group, so an edited command, and any edit in a
  private chat (codes, conversations), stops here before any feature sees it.
* **Every button press is answered.** A press nobody answers leaves a spinner on the person's
  client. The bot notes each answer it sends; after all handlers ran, a press still
  unanswered (an old keyboard, forged data, a handler that failed) gets a short answer.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot import handler_groups

log = logging.getLogger(__name__)

STALE_BUTTON = "This button is no longer active."

_EDITED_COMMAND_OR_PRIVATE = filters.UpdateType.EDITED & (
    filters.COMMAND | filters.CaptionRegex(r"^/") | filters.ChatType.PRIVATE
)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(
        MessageHandler(_EDITED_COMMAND_OR_PRIVATE, _drop_edit), group=handler_groups.EDIT_GUARD
    )


async def _drop_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    raise ApplicationHandlerStop


class AnswerTrackingBot(ExtBot[Any]):
    """Remembers which callback queries were answered (by any feature, any way)."""

    # Telegram objects freeze public attributes; protected ones stay settable.
    _answered_queries: set[str] | None = None

    def _answered(self) -> set[str]:
        if self._answered_queries is None:
            self._answered_queries = set()
        return self._answered_queries

    async def answer_callback_query(self, callback_query_id: str, *args: Any,
                                    **kwargs: Any) -> bool:
        # Noted before the call: an answer Telegram refused (too old) is not retried.
        self._answered().add(callback_query_id)
        return await super().answer_callback_query(callback_query_id, *args, **kwargs)

    async def answer_if_unanswered(self, callback_query_id: str) -> None:
        answered = self._answered()
        if callback_query_id in answered:
            answered.discard(callback_query_id)
            return
        with contextlib.suppress(TelegramError):
            await self.answer_callback_query(callback_query_id, text=STALE_BUTTON)
        answered.discard(callback_query_id)
