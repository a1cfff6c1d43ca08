"""The scheduler's timer: every club's due work, once the waiting updates are in.

The timer ticks every ``runtime.scheduler_seconds`` from start-up, but does nothing until the
updates Telegram kept while the bot was down have been handled (``bot.core.backlog``): the
moment they are, a tick runs at once. Until then a watcher looks every
``BACKLOG_CHECK_SECONDS``, whatever the tick's interval (it may be an hour): with a webhook
it asks Telegram how many updates are still pending, and once waiting has gone on too long
it runs the tick that was held back.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import CallbackContext

from bot.core.bookkeeping import InboxBookkeeping
from bot.core.inbox import InboxQueue
from bot.core.lanes import sending_for

log = logging.getLogger(__name__)

# How often the backlog is looked at until it is in (a getWebhookInfo each time, webhook).
BACKLOG_CHECK_SECONDS = 1.0


def start(app: InboxBookkeeping, interval: float, *, webhook: bool) -> None:
    """Tick every ``interval`` seconds from now, and at once when the backlog is in.
    ``webhook``: updates arrive by webhook (the backlog is then counted by Telegram)."""
    assert isinstance(app.update_queue, InboxQueue)
    backlog = app.update_queue.backlog

    def caught_up() -> None:
        if app.running:  # not while stopping: the next start catches up again
            app.create_task(_tick_now(app), name="scheduler:caught-up")

    backlog.on_caught_up(caught_up)

    async def tick(_context: object) -> None:
        if backlog.caught_up:
            await _tick_now(app)

    async def watch(context: CallbackContext[Any, Any, Any, Any]) -> None:
        if not backlog.caught_up and webhook:
            try:
                info = await app.bot.get_webhook_info()
            except TelegramError as exc:
                # Asked again in a second; the wait limit's warning tells if it lasts
                # (not an error logged every second of an outage).
                log.debug("getWebhookInfo failed while waiting for the backlog: %s", exc)
            else:
                backlog.webhook_pending(info.pending_update_count)
        if backlog.caught_up:  # caught up (its tick is on its way), or waited long enough
            assert context.job is not None
            context.job.schedule_removal()
            if backlog.gave_up and app.running:
                app.create_task(_tick_now(app), name="scheduler:gave-up-waiting")

    if app.job_queue is not None:
        app.job_queue.run_repeating(tick, interval=interval, first=0.0, name="scheduler:tick")
        app.job_queue.run_repeating(
            watch, interval=BACKLOG_CHECK_SECONDS, first=0.0, name="scheduler:backlog"
        )


async def _tick_now(app: InboxBookkeeping) -> None:
    # The job queue runs this outside any update, so it counts itself as work in progress.
    async with app.activity.task():
        await run_due_work(app)


async def run_due_work(app: InboxBookkeeping) -> None:
    """Every club's due work (expiries, digests, alerts, previews), each club's sends in its
    own lane of the shared rate limit when there are several."""
    several = len(app.clubs) > 1
    for club in app.clubs:
        with sending_for(club.key) if several else contextlib.nullcontext():
            await club.services.scheduler.tick()
            await club.services.db.flush()
