"""A full disk: one clear line now and then, not a traceback per update.

When SQLite cannot write (``database or disk is full``, or the OS says no space), every
update would fail the same way, and logging each one buried the log (2,600 tracebacks in
40 s). Instead: one line per minute saying what is wrong and what the bot does meanwhile.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import time

log = logging.getLogger("bot.storage")

REPORT_EVERY = 60.0  # seconds between two reports of the same problem


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(exc).lower()
        return "disk is full" in text or "disk i/o error" in text
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class DiskFullReport:
    """Rate-limited reporting of a full disk (monotonic time: a clock that never jumps)."""

    def __init__(self) -> None:
        self._last: float | None = None
        self._suppressed = 0

    def report(self, where: str, kept_in_memory: int) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < REPORT_EVERY:
            self._suppressed += 1
            return
        more = f" ({self._suppressed} more since the last report)" if self._suppressed else ""
        log.error(
            "The disk is full: cannot write the database (%s)%s. New updates stay with "
            "Telegram, unconfirmed, until they can be stored; %d pending write(s) are kept in "
            "memory and retried. Free some disk space.",
            where,
            more,
            kept_in_memory,
        )
        self._last, self._suppressed = now, 0

    def recovered(self) -> None:
        if self._last is not None:
            log.warning("The database is writable again")
        self._last, self._suppressed = None, 0


# One per process: the disk is shared by everything that writes.
DISK_FULL = DiskFullReport()
