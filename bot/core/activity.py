"""What the bot is busy with right now, counted where the work starts and ends.

Three kinds of work can still change the world after the last update was fetched: updates
queued or being handled, Bot API calls under way (the long poll excepted, it only waits), and
background tasks (sends that do not hold up the update that asked for them, teaser
broadcasts, the scheduler's tick). The inbox queue, the bot and the application count them
here. Whoever needs to know when the bot has finished (the simulation, a graceful stop)
reads ``idle`` and listens for changes instead of guessing from a quiet period.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

Listener = Callable[[], None]


class Activity:
    """Counters of unfinished work, with listeners told of every change."""

    def __init__(self) -> None:
        self.updates = 0  # queued and not yet handled to the end
        self.calls = 0  # Bot API calls sent and not yet answered (getUpdates excepted)
        self.tasks = 0  # background tasks started and not yet finished
        self._listeners: list[Listener] = []

    @property
    def idle(self) -> bool:
        return self.updates == 0 and self.calls == 0 and self.tasks == 0

    def listen(self, listener: Listener) -> None:
        """Call ``listener()`` after every change of a counter."""
        self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        """Stop calling ``listener`` (it had its answer); may be called by the listener."""
        # A new list, not removed in place: a change being announced goes on over the old
        # one, so a listener leaving never makes the next one miss this change.
        self._listeners = [known for known in self._listeners if known != listener]

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def update_queued(self) -> None:
        self.updates += 1
        self._changed()

    def update_done(self) -> None:
        # Never below zero: PTB also marks its own stop signal done, which was queued
        # before anyone counted (asyncio.Queue.task_done has the same guard).
        self.updates = max(self.updates - 1, 0)
        self._changed()

    def task_started(self) -> None:
        self.tasks += 1
        self._changed()

    def task_done(self, *_: object) -> None:
        self.tasks -= 1
        self._changed()

    @asynccontextmanager
    async def call(self) -> AsyncIterator[None]:
        """Count one Bot API call for as long as it runs."""
        self.calls += 1
        self._changed()
        try:
            yield
        finally:
            self.calls -= 1
            self._changed()

    @asynccontextmanager
    async def task(self) -> AsyncIterator[None]:
        """Count work that runs outside any update (a timer's job) for as long as it runs."""
        self.task_started()
        try:
            yield
        finally:
            self.task_done()
