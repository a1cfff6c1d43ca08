"""Due work, checked on a timer against facts in the database.

Reservations that expire, digests that are due, previews to publish and polls to close are
all rows with a time in SQLite. One periodic tick asks each feature "is anything due now?"
(using the injected clock), so a restart loses nothing and a test can move time by hand and
call ``tick()`` instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

DueWork = Callable[[], Awaitable[object]]


class Scheduler:
    def __init__(self) -> None:
        self._work: list[tuple[str, DueWork]] = []
        self._lock = asyncio.Lock()

    def add(self, name: str, work: DueWork) -> None:
        if any(existing == name for existing, _ in self._work):
            raise ValueError(f"scheduled work {name!r} is registered twice")
        self._work.append((name, work))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._work]

    async def tick(self) -> None:
        """Run every piece of due work once; one failing never stops the others."""
        # A slow tick must not overlap the next one: the work is "do what is due", and two
        # runs at once could both see the same row as due.
        async with self._lock:
            for name, work in self._work:
                try:
                    await work()
                except Exception:
                    log.exception("Scheduled work %r failed; it will be retried next tick", name)
