"""One bot process per database: an exclusive lock held for the process's life.

Two bots on one database would both long-poll (Telegram answers the second ``getUpdates``
with ``Conflict`` every second) and both run the scheduler (digests and previews twice). The
lock is an ``flock`` on ``<database>.lock``: the kernel releases it when the process dies,
even by SIGKILL, so a crash never leaves a stale lock behind. CLI commands that only read
(backup, export) do not take it: they are safe beside a running bot.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.db.connection import StorageError


class DatabaseLocked(Exception):
    """Another process holds the database."""


class DatabaseLock:
    def __init__(self, database: Path) -> None:
        self._database = database
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StorageError(f"{self._database}: cannot create its lock file: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseLocked(
                f"another bot process is already using {self._database} "
                f"(it holds {self.path}); stop it first"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
