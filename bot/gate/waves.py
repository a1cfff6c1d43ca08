"""Telling a launch wave from a raid by what requesters do, not by how many come.

Pure logic, no Telegram and no SQLite: the gate feeds it asks and their outcomes, and asks it
whether another requester may be asked for their code now.

* Every ask is a private message from the bot's shared sending budget, so asks that nobody
  has answered yet are capped (``ask_window``). Each valid answer frees its own slot and
  widens the window by one (a wave of real people answers and the window doubles every
  round trip); silence and wrong codes do not. A raid therefore spends at most
  ``ask_window`` messages before anything is known about it.
* The recent share of valid codes among resolved asks (an ask is resolved by a valid code, a
  wrong code, or ``silent_after`` seconds without an answer) decides the mode. Below
  ``raid_valid_share`` with at least ``raid_min_outcomes`` outcomes, the gate stops asking
  (a raid); after that only ``raid_probe_dms`` probes per raid, one every
  ``raid_probe_seconds``. Valid codes still count while in a raid (probes answered, codes
  sent unasked); ``raid_resume_valid`` of them in a row end it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

VALID = "valid"
WRONG = "wrong"
SILENT = "silent"


class Mode(StrEnum):
    WAVE = "wave"  # asking everyone, in arrival order
    RAID = "raid"  # not asking; declines are quiet


class Change(StrEnum):
    """A mode change the gate tells moderators about (once each)."""

    RAID_STARTED = "raid_started"
    RAID_ENDED = "raid_ended"


@dataclass(frozen=True)
class WavePolicyConfig:
    ask_window: int = 20
    max_ask_window: int = 1_000
    silent_after: int = 30
    raid_valid_share: float = 0.3
    raid_min_outcomes: int = 10
    raid_sample: int = 20
    raid_probe_dms: int = 5
    raid_probe_seconds: int = 60
    raid_resume_valid: int = 3


@dataclass
class _Ask:
    user_id: int
    asked_at: int
    outcome: str | None = None


@dataclass(frozen=True)
class WaveStatus:
    mode: Mode
    outstanding: int
    window: int
    valid: int
    resolved: int  # the n behind the share


class WavePolicy:
    """The state the gate keeps between join requests; rebuilt from SQLite at start-up."""

    def __init__(self, config: WavePolicyConfig) -> None:
        self.config = config
        self.mode = Mode.WAVE
        self._outstanding: dict[int, _Ask] = {}  # asked, not answered, not yet silent
        # Asks in the order they were made. The share is taken over the latest resolved
        # ones *in ask order*: silence is known only ``silent_after`` later, and judged in
        # the order of resolution, the silent raiders of a mixed wave would all land in the
        # sample at once and look like a raid.
        self._asks: deque[_Ask] = deque(maxlen=max(200, 4 * config.raid_sample))
        self._bonus = 0  # window widening earned by valid answers
        self._probes_left = 0
        self._last_probe = 0
        self._valid_in_a_row = 0

    # --- what the gate asks -------------------------------------------------------------
    @property
    def window(self) -> int:
        return min(self.config.ask_window + self._bonus, self.config.max_ask_window)

    def may_ask(self, now: int) -> bool:
        """May one more queued requester be asked now?"""
        if self.mode is Mode.RAID:
            return (
                self._probes_left > 0
                and now - self._last_probe >= self.config.raid_probe_seconds
                and not self._outstanding
            )
        return len(self._outstanding) < self.window

    def asked(self, user_id: int, now: int) -> None:
        if self.mode is Mode.RAID:
            self._probes_left -= 1
            self._last_probe = now
        ask = _Ask(user_id, now)
        self._outstanding[user_id] = ask
        self._asks.append(ask)

    def not_asked(self, user_id: int) -> None:
        """The ask could not be sent, or the request is gone: its slot is free again."""
        ask = self._outstanding.pop(user_id, None)
        if ask is not None and ask in self._asks:
            self._asks.remove(ask)

    def is_outstanding(self, user_id: int) -> bool:
        return user_id in self._outstanding

    # --- what requesters do -----------------------------------------------------------------
    def answered(self, user_id: int, valid: bool, now: int) -> Change | None:
        """A code from a requester (asked or not). Wrong codes count once per ask."""
        ask = self._outstanding.pop(user_id, None)
        if valid:
            self._bonus += 1
            if ask is None:  # a code sent unasked counts too, as of now
                ask = _Ask(user_id, now)
                self._asks.append(ask)
            return self._record(ask, VALID, now)
        if ask is not None:
            return self._record(ask, WRONG, now)
        return None

    def expire(self, now: int) -> Change | None:
        """Asks unanswered for ``silent_after`` seconds count as silence."""
        change: Change | None = None
        cutoff = now - self.config.silent_after
        for user_id in [u for u, a in self._outstanding.items() if a.asked_at <= cutoff]:
            ask = self._outstanding.pop(user_id)
            change = self._record(ask, SILENT, now) or change
        return change

    def restore(self, asks: list[tuple[int, int, str | None]], now: int) -> None:
        """State after a restart: recent asks (user, asked at, outcome), in ask order."""
        for user_id, asked_at, outcome in asks:
            ask = _Ask(user_id, asked_at)
            self._asks.append(ask)
            if outcome is None:
                self._outstanding[user_id] = ask
            else:
                self._record(ask, outcome, now)

    def _sample(self) -> list[str]:
        """Outcomes of the latest ``raid_sample`` resolved asks, in ask order."""
        sample: list[str] = []
        for ask in reversed(self._asks):
            if ask.outcome is not None:
                sample.append(ask.outcome)
                if len(sample) == self.config.raid_sample:
                    break
        return sample

    def status(self) -> WaveStatus:
        sample = self._sample()
        valid = sum(1 for o in sample if o == VALID)
        return WaveStatus(self.mode, len(self._outstanding), self.window, valid, len(sample))

    def _record(self, ask: _Ask, outcome: str, now: int) -> Change | None:
        ask.outcome = outcome
        self._valid_in_a_row = self._valid_in_a_row + 1 if outcome == VALID else 0
        config = self.config
        if self.mode is Mode.WAVE:
            sample = self._sample()
            n = len(sample)
            share = sum(1 for o in sample if o == VALID) / n
            if n >= config.raid_min_outcomes and share < config.raid_valid_share:
                self.mode = Mode.RAID
                self._probes_left = config.raid_probe_dms
                self._last_probe = now  # the first probe waits one probe interval
                self._bonus = 0  # the window starts small again when asking resumes
                return Change.RAID_STARTED
            return None
        if self._valid_in_a_row >= config.raid_resume_valid:
            self.mode = Mode.WAVE
            # Judged afresh from here on: the raid's silence is not held against the wave.
            self._asks = deque((a for a in self._asks if a.outcome is None), self._asks.maxlen)
            return Change.RAID_ENDED
        return None
