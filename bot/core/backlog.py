"""Whether the updates that waited while the bot was down have been handled.

Telegram keeps a bot's updates for up to a day while it is down and hands them over once it
is back. Scheduled work must not run before they are in: a digest sent late for a day whose
evening messages are still waiting would count none of them, for good (it is sent once), and
a join request's 5-minute deadline would decline someone whose code is in the backlog. So
the scheduler's timer does nothing until the backlog is handled, then runs at once.

* Long polling: Telegram answers getUpdates with at most ``limit`` (100) updates, oldest
  first, so the first answer with fewer than that holds the last of the backlog. PTB's
  updater asks for the next batch only once it has queued every update of this one (a
  redelivered update awaits the inbox on its way in), so from that next call on, once every
  update queued so far (replayed from the inbox included) has been handled, it is in.
* Webhook: Telegram pushes the backlog itself; ``getWebhookInfo``'s ``pending_update_count``
  says how much is left (asked every second by the timer until it is 0 and the queue is
  dry).
* No updates fetched (benchmarks feeding the Application): nothing to wait for.

If Telegram cannot be reached, waiting stops after ``WAIT_LIMIT``: work that needs no
update (expiring reservations, retries) must go on, and what needs Telegram fails anyway.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.core.activity import Activity

log = logging.getLogger(__name__)

# Telegram's getUpdates answers hold at most this many updates unless asked for fewer.
DEFAULT_LIMIT = 100
# After this long without catching up, scheduled work runs anyway (logged once).
WAIT_LIMIT = 60.0


class Backlog:
    """Tells when the updates that were waiting at start-up have been handled."""

    def __init__(self, activity: Activity) -> None:
        self._activity = activity
        self._last_fetched = False
        self._caught_up = False
        self._gave_up = False
        self._asked_since: float | None = None  # first asked: the timer's first tick
        self._listeners: list[Callable[[], object]] = []
        activity.listen(self._check)

    @property
    def caught_up(self) -> bool:
        """True once the backlog is handled, or once waiting for it has gone on too long."""
        if self._caught_up:
            return True
        now = time.monotonic()
        if self._asked_since is None:
            self._asked_since = now
        if now - self._asked_since > WAIT_LIMIT:
            if not self._gave_up:
                self._gave_up = True
                log.warning(
                    "The updates that waited while the bot was down are not all in after "
                    "%.0f s (is Telegram reachable?); scheduled work runs anyway",
                    WAIT_LIMIT,
                )
            return True
        return False

    @property
    def fetched(self) -> bool:
        """The answer holding the last of the backlog has been queued (or none was fetched)."""
        return self._last_fetched

    @property
    def gave_up(self) -> bool:
        """Waiting stopped after ``WAIT_LIMIT`` with the backlog not (yet) handled."""
        return self._gave_up and not self._caught_up

    def on_caught_up(self, listener: Callable[[], object]) -> None:
        """Call ``listener()`` once, the moment the backlog is handled."""
        self._listeners.append(listener)

    def nothing_to_wait_for(self) -> None:
        """No updates are fetched by this process (or none could be waiting)."""
        self._last_fetched = True
        self._check()

    def batch_queued(self, count: int, limit: int | None) -> None:
        """A getUpdates answer of ``count`` updates, every one of them queued by now."""
        if self._last_fetched or count >= (limit or DEFAULT_LIMIT):
            return
        self._last_fetched = True
        self._check()

    def webhook_pending(self, pending_update_count: int) -> None:
        """getWebhookInfo's count of updates Telegram has not delivered yet."""
        if pending_update_count == 0:
            self.nothing_to_wait_for()

    def _check(self) -> None:
        if self._caught_up or not self._last_fetched or self._activity.updates:
            return
        self._caught_up = True
        self._activity.unlisten(self._check)  # asked on every change of a counter
        log.info("Caught up with the updates that waited while the bot was down")
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener()
