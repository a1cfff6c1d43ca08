"""Asking join requesters for their code, in arrival order, within the sending budget.

Telegram lets the bot write to someone who asked to join for 5 minutes only, and every
private message spends the bot's shared budget of about 30 a second. So under a wave:

* requesters wait in one queue, in arrival order, and are asked as soon as the
  ``WavePolicy`` allows (it caps unanswered asks, which is what bounds a raid's cost);
* asks go first: messages nothing waits on (welcomes) are held back while asks are queued or
  were sent within the last rate window, so they never push an ask out of someone's window;
* a requester whose window runs out before their turn is declined at the deadline with
  nothing lost (no code was used) and counted.

Outcomes (valid code, wrong code, silence) go back to the policy; when it calls a raid or
its end, moderators are told once, privately.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot.config import GateSettings
from bot.core.i18n import Translator
from bot.core.services import Services
from bot.gate import texts
from bot.gate.waves import Change, Mode, WavePolicy, WavePolicyConfig
from bot.gate.waves_repo import WavesRepository

log = logging.getLogger(__name__)

# An ask needs a little time to be useful: nobody can answer in the last few seconds.
MIN_SECONDS_LEFT = 10
# Held-back messages wait this long after the last ask started (one rate window, plus margin).
ASK_QUIET_SECONDS = 1.1
# Held-back messages handed to the rate limiter at once, when no ask is waiting.
LATER_IN_FLIGHT = 4
# How long outcomes are remembered across a restart.
MEMORY_SECONDS = 15 * 60


def policy_config(gate: GateSettings) -> WavePolicyConfig:
    return WavePolicyConfig(
        ask_window=gate.ask_window,
        silent_after=gate.silent_after_seconds,
        raid_valid_share=gate.raid_valid_share,
        raid_min_outcomes=gate.raid_min_outcomes,
        raid_probe_dms=gate.raid_probe_dms,
        raid_probe_seconds=gate.raid_probe_seconds,
        raid_resume_valid=gate.raid_resume_valid,
    )


@dataclass
class WaveCounts:
    """Counters since start-up, for benchmarks, logs and moderators."""

    asked: int = 0
    unasked_declined: int = 0  # windows that ran out before their turn (nothing used up)
    held_back: int = 0  # low-priority messages that waited for asks


class Asker:
    def __init__(self, services: Services, repo: WavesRepository) -> None:
        self.services = services
        self.repo = repo
        self.policy = WavePolicy(policy_config(services.settings.gate))
        self.counts = WaveCounts()
        self._queue: deque[int] = deque()
        self._deadlines: dict[int, int] = {}
        # The language each queued requester is asked in (their app's, from the request).
        self._languages: dict[int, Translator] = {}
        self._asks_in_flight = 0
        self._last_ask_started = float("-inf")  # monotonic: rate windows are real time
        self._later: deque[tuple[int, str, dict[str, Any]]] = deque()
        self._later_in_flight = 0
        self._wake: asyncio.TimerHandle | None = None
        self.ask_text: Callable[[Translator], str] = lambda tr: ""
        self._stopping = False
        services.messenger.before_drain(self.release_all)

    @property
    def mode(self) -> Mode:
        return self.policy.mode

    async def load(self, now: int) -> None:
        """Rebuild the queue and the policy from SQLite (after a restart nothing is lost)."""
        records = await self.repo.recent_asks(now - MEMORY_SECONDS)
        self.policy.restore([(r.user_id, r.asked_at, r.outcome) for r in records], now)
        for request in await self.repo.queued():
            self._queue.append(request.user_id)
            self._deadlines[request.user_id] = request.deadline
            # The request's language_code was kept in ``people`` when it arrived.
            self._languages[request.user_id] = await self.services.tr_for_person(request.user_id)
        self.pump()

    # --- requests in, asks out ------------------------------------------------------------
    def enqueue(self, user_id: int, deadline: int, tr: Translator) -> None:
        """Ask ``user_id`` (in ``tr``'s language) before ``deadline``."""
        if user_id not in self._deadlines:
            self._queue.append(user_id)
        self._deadlines[user_id] = deadline
        self._languages[user_id] = tr
        self.pump()

    def withdraw(self, user_id: int) -> None:
        """The request is gone (declined, approved, expired): never ask for it."""
        self._deadlines.pop(user_id, None)
        self._languages.pop(user_id, None)
        self.policy.not_asked(user_id)

    def waiting(self) -> int:
        return len(self._deadlines)

    def pump(self) -> None:
        """Ask whoever may be asked now, oldest first; then release held-back messages."""
        now = self.services.now_ts()
        while self._queue and self.policy.may_ask(now):
            user_id = self._queue.popleft()
            deadline = self._deadlines.get(user_id)
            if deadline is None:
                continue  # withdrawn meanwhile
            if deadline - now < MIN_SECONDS_LEFT:
                continue  # too late to be useful; declined at the deadline, counted there
            self.policy.asked(user_id, now)
            self._asks_in_flight += 1
            self._last_ask_started = time.monotonic()
            tr = self._languages.get(user_id, self.services.tr)
            self._spawn(self._ask(user_id, now, tr))
        self._release_later()

    async def _ask(self, user_id: int, now: int, tr: Translator) -> None:
        try:
            sent = await self.services.messenger.dm(user_id, self.ask_text(tr))
            if sent:
                self.counts.asked += 1
                await self.repo.mark_asked(user_id, now)
            else:
                self.policy.not_asked(user_id)
        finally:
            self._asks_in_flight -= 1
            self.pump()

    # --- low-priority private messages -----------------------------------------------------
    def send_later(self, user_id: int, text: str, **kwargs: Any) -> None:
        """A message nothing waits on: sent when no ask needs the budget."""
        self._later.append((user_id, text, kwargs))
        if self._asks_need_budget():
            self.counts.held_back += 1
        self._release_later()

    def _asks_need_budget(self) -> bool:
        askable = bool(self._queue) and self.policy.may_ask(self.services.now_ts())
        return askable or self._asks_in_flight > 0

    def release_all(self) -> None:
        """The bot is stopping: everything held back goes out now (within the limits)."""
        self._stopping = True
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        while self._later:
            user_id, text, kwargs = self._later.popleft()
            self._spawn(self.services.messenger.dm(user_id, text, **kwargs))

    def _release_later(self) -> None:
        if not self._later or self._stopping:
            return
        if self._asks_need_budget():
            return  # the last ask's completion pumps again
        quiet_for = time.monotonic() - self._last_ask_started
        if quiet_for < ASK_QUIET_SECONDS:
            self._wake_in(ASK_QUIET_SECONDS - quiet_for)
            return
        while self._later and self._later_in_flight < LATER_IN_FLIGHT:
            user_id, text, kwargs = self._later.popleft()
            self._later_in_flight += 1
            self._spawn(self._send_later(user_id, text, kwargs))

    async def _send_later(self, user_id: int, text: str, kwargs: dict[str, Any]) -> None:
        try:
            await self.services.messenger.dm(user_id, text, **kwargs)
        finally:
            self._later_in_flight -= 1
            self._release_later()

    def _wake_in(self, seconds: float) -> None:
        if self._wake is not None:
            return
        loop = asyncio.get_running_loop()

        def wake() -> None:
            self._wake = None
            self._release_later()

        self._wake = loop.call_later(seconds, wake)
        # Counted as in flight so that "the bot is idle" waits for held-back messages too.
        self._spawn(self._until_woken(seconds))

    async def _until_woken(self, seconds: float) -> None:
        await asyncio.sleep(seconds + 0.01)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self.services.messenger.spawn(coro)

    # --- outcomes ---------------------------------------------------------------------------
    async def answered(self, user_id: int, valid: bool) -> None:
        """A code came from a requester (valid codes are recorded by the admission itself)."""
        now = self.services.now_ts()
        was_open = self.policy.is_outstanding(user_id)
        change = self.policy.answered(user_id, valid, now)
        if was_open and not valid:
            await self.repo.resolve(user_id, "wrong", now)
        await self._changed(change)
        self.pump()

    async def tick(self) -> None:
        """Due work: unanswered asks become silence, probes in a raid, old asks forgotten."""
        now = self.services.now_ts()
        change = self.policy.expire(now)
        await self.repo.mark_silent(now - self.policy.config.silent_after, now)
        await self.repo.forget_asks_before(now - 24 * 3600)
        await self._changed(change)
        self.pump()

    async def _changed(self, change: Change | None) -> None:
        if change is None:
            return
        status = self.policy.status()
        if change is Change.RAID_STARTED:
            log.warning(
                "Join-request raid: %d of the last %d asks got a valid code; not asking new "
                "requesters (declined quietly at their deadline)",
                status.valid,
                status.resolved,
            )
            text = texts.raid_started(
                status.valid, status.resolved, self.waiting(), self.services.tr
            )
        else:
            log.warning("Join requesters give valid codes again; asking everyone again")
            text = texts.raid_ended(self.policy.config.raid_resume_valid, self.services.tr)
        for moderator in self.services.settings.telegram.moderators:
            self.services.messenger.dm_soon(moderator, text)
