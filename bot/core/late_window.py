"""Who was erased lately, in SQLite with a mirror in memory (see bot.core.erasure).

For LATE_WINDOW after an erasure, what still arrives about the person is late (a second tap,
an edit made before, our removal's member updates) and must not store them again. A restart
within those minutes is when the inbox replays the updates it stored and never processed,
so the window is a row (``recent_erasures``), written in the erasure's own transaction and
read back at start; every update asks the mirror, a dict lookup, and nearly always finds it
empty. The row holds a keyed hash of the id, never the id (the erasure erased it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import aiosqlite

from bot.core.ids import keyed_user_hash
from bot.db.facts_repo import FactsRepository
from bot.db.recent_erasures_repo import RecentErasure, RecentErasuresRepository

# How long after an erasure what still arrives about the person is late: a second tap their
# phone sent before the answer showed, an edit made before, the member updates of their
# removal. Within it nothing may write them back (a new message of theirs ends it).
LATE_WINDOW = timedelta(minutes=10)
_WINDOW = int(LATE_WINDOW.total_seconds())
KEY_FACT = "erasure:late_window_key"


@dataclass(slots=True)
class _Window:
    user_hash: str
    erased_at: int
    late: bool  # what arrives about them is a tail, until something new of theirs
    removal: bool  # the member updates of our removal of them are still to come


@dataclass(frozen=True, slots=True)
class LateMark:
    """One erasure's window, an erasure participant: its row goes in with the erasure."""

    user_id: int
    window: RecentErasure
    store: RecentErasuresRepository

    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        await self.store.tx_note(conn, self.window)
        return {}  # a note of the erasure, nothing scrubbed

    async def forget_person(self, user_id: int) -> None:
        return None


class LateWindows:
    def __init__(self, store: RecentErasuresRepository, facts: FactsRepository) -> None:
        self._store = store
        self._facts = facts
        self._key: bytes | None = None
        self._by_id: dict[int, _Window] = {}
        # Read at start: known by hash only, until an update names the person.
        self._by_hash: dict[str, _Window] = {}

    async def load(self, now: int) -> None:
        """At start, before the inbox replays anything: the windows still open."""
        self._key = await self._facts.key(KEY_FACT, now)
        self._by_id.clear()
        self._by_hash = {
            row.user_hash: _Window(row.user_hash, row.erased_at, row.late, row.removal)
            for row in await self._store.load(now - _WINDOW)
        }

    async def mark(self, user_id: int, now: int, removed: bool) -> LateMark:
        """The window an erasure opens; an erasure participant (before its transaction: the
        key may need a transaction of its own)."""
        if self._key is None:
            self._key = await self._facts.key(KEY_FACT, now)
        window = RecentErasure(self._hash(user_id), now, late=True, removal=removed)
        return LateMark(user_id, window, self._store)

    def opened(self, mark: LateMark) -> None:
        """After the erasure committed."""
        row = mark.window
        self._by_hash.pop(row.user_hash, None)
        self._by_id[mark.user_id] = _Window(row.user_hash, row.erased_at, row.late, row.removal)

    def any_open(self, now: Callable[[], int]) -> bool:
        """Is anyone's window open? Every update asks: an empty dict nearly always.

        Windows that are over are dropped here: an erased member has left the group and may
        never send another update, so waiting for one kept every later update on the slow
        path for the life of the process."""
        if not self._by_id and not self._by_hash:
            return False
        over_at = now() - _WINDOW
        expired = [u for u, w in self._by_id.items() if w.erased_at <= over_at]
        for user_id in expired:
            del self._by_id[user_id]
        stale = [h for h, w in self._by_hash.items() if w.erased_at <= over_at]
        for user_hash in stale:
            del self._by_hash[user_hash]
        if expired or stale:
            self._store.defer_prune(over_at)
        return bool(self._by_id or self._by_hash)

    def _open(self, user_id: int, now: Callable[[], int]) -> _Window | None:
        """Their window, if open: a dict lookup unless it is (``now`` is called only then)."""
        window = self._by_id.get(user_id)
        if window is None:
            if not self._by_hash:
                return None
            # Only in the minutes after a restart that followed an erasure (~2 us a call).
            window = self._by_hash.pop(self._hash(user_id), None)
            if window is None:
                return None
            self._by_id[user_id] = window
        over_at = now() - _WINDOW
        if window.erased_at <= over_at:
            del self._by_id[user_id]
            self._store.defer_prune(over_at)
            return None
        return window

    def late(self, user_id: int, now: Callable[[], int]) -> bool:
        window = self._open(user_id, now)
        return window is not None and window.late

    def removal_pending(self, user_id: int, now: Callable[[], int]) -> bool:
        window = self._open(user_id, now)
        return window is not None and window.removal

    def end_late(self, user_id: int) -> None:
        """Something new of theirs: they are known again (our removal's echo may still come)."""
        self._settle(user_id, late=False)

    def end_removal(self, user_id: int) -> None:
        """The last member update of our removal of them came."""
        self._settle(user_id, removal=False)

    def _settle(
        self, user_id: int, *, late: bool | None = None, removal: bool | None = None
    ) -> None:
        window = self._by_id.get(user_id)
        if window is None:
            return
        window.late = window.late if late is None else late
        window.removal = window.removal if removal is None else removal
        if window.late or window.removal:
            self._store.defer_update(window.user_hash, window.late, window.removal)
        else:
            del self._by_id[user_id]
            self._store.defer_delete(window.user_hash)

    def _hash(self, user_id: int) -> str:
        if self._key is None:
            raise RuntimeError("the late window's key is not loaded (LateWindows.load)")
        return keyed_user_hash(self._key, user_id)
