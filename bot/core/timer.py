"""The scheduler's timer: every club's due work, once the waiting updates are in.

The timer ticks every ``runtime.scheduler_seconds`` from start-up, but does nothing until the
updates Telegram kept while the bot was down have been handled (``bot.core.backlog``): the
moment they are, a tick runs at once. With a webhook, each tick until then asks Telegram
how many are still pending.
"""

from __future__ import annotations

import contextlib

from bot.core.bookkeeping import InboxBookkeeping
from bot.core.inbox import InboxQueue
from bot.core.lanes import sending_for


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
        elif webhook:
            info = await app.bot.get_webhook_info()
            backlog.webhook_pending(info.pending_update_count)

    if app.job_queue is not None:
        app.job_queue.run_repeating(tick, interval=interval, first=0.0, name="scheduler:tick")


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
