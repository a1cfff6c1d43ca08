"""Flood control: a member posting faster than the configured rate is muted for a while.

The check runs for every group message, so it stays in memory and O(1): one bounded deque of
recent message times per member, no database access until someone actually floods (then one
log row per mute). An album counts as one message (Telegram delivers it as one update per
photo, all sharing a media_group_id), otherwise sharing ten photos would look like a flood.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

# Forget idle members now and then so the dict does not grow with everyone who ever spoke.
_PRUNE_EVERY = 1024


@dataclass
class FloodTracker:
    limit: int  # more than this many messages ...
    window: float  # ... within this many seconds is a flood
    _times: dict[int, deque[float]] = field(default_factory=dict)
    _last_album: dict[int, str] = field(default_factory=dict)
    _muted_until: dict[int, float] = field(default_factory=dict)
    _hits: int = 0

    def per_person_state(self) -> tuple[dict[int, deque[float]], dict[int, str], dict[int, float]]:
        """The per-person maps, for erasure (bot.core.erasure.MemoryCaches)."""
        return self._times, self._last_album, self._muted_until

    def hit(self, user_id: int, now: float, media_group_id: str | None = None) -> int | None:
        """Count one message; returns how many fell in the window if this one makes a flood.

        Returns None while the member is already muted for flooding, so one flood gives one
        mute and one notice, not one per queued message.
        """
        self._hits += 1
        if self._hits % _PRUNE_EVERY == 0:
            self.prune(now)
        if self._muted_until.get(user_id, 0.0) > now:
            return None
        if media_group_id is not None:
            if self._last_album.get(user_id) == media_group_id:
                return None
            self._last_album[user_id] = media_group_id
        times = self._times.get(user_id)
        if times is None:
            # One more than the limit is all we ever need to look at.
            times = self._times[user_id] = deque(maxlen=self.limit + 1)
        times.append(now)
        if len(times) > self.limit and now - times[0] <= self.window:
            count = len(times)
            times.clear()
            return count
        return None

    def muted(self, user_id: int, until: float) -> None:
        self._muted_until[user_id] = until

    def forget(self, user_id: int) -> None:
        """Drop what we hold about a member (an unmute, or /forgetme)."""
        self._times.pop(user_id, None)
        self._last_album.pop(user_id, None)
        self._muted_until.pop(user_id, None)

    def prune(self, now: float) -> None:
        stale = [
            uid for uid, times in self._times.items() if not times or now - times[-1] > self.window
        ]
        for user_id in stale:
            self._times.pop(user_id, None)
            self._last_album.pop(user_id, None)
        for user_id in [uid for uid, until in self._muted_until.items() if until <= now]:
            del self._muted_until[user_id]

    @property
    def tracked(self) -> int:
        return len(self._times)
