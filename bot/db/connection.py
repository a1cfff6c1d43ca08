"""The single writer connection, its transactions and its write-behind buffer.

SQLite allows one writer at a time, so the bot keeps exactly one writing connection and
serializes transactions on it with an asyncio lock. Read-modify-write work runs in
``BEGIN IMMEDIATE`` transactions, which take the write lock up front so two coroutines can
never both read a seat count and both decide there is room.

Heavy read-only queries (digests, exports) use a separate reader connection: in WAL mode
they see a consistent snapshot and never hold up the writer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.db.migrations import apply_migrations
from bot.db.pending import Params, PendingRows

log = logging.getLogger(__name__)

# The update being handled right now, set by the Application around each update. A
# transaction that commits while it is set notes that the update had an effect, so the
# Application marks it processed at once when its handlers finish, instead of in the next
# batch: the window in which a crash makes it run again stays as short as possible.
current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)


T = TypeVar("T")


class StorageError(Exception):
    """The database file cannot be opened or used; the message names the file and why."""


class Database:
    """Owns the writer and reader connections. Repositories take one of these."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()
        self._deferred: list[tuple[str, Params]] = []
        self._pending: list[PendingRows[Any]] = []
        # One flush at a time, from taking the batch to its commit: a later batch (an edit
        # of a message) must never be written before an earlier one still being scored.
        self._flush_lock = asyncio.Lock()
        self._in_flight = 0  # rows taken by the flush under way and not yet committed
        self._updates_with_effects: set[int] = set()
        self._checkpoint_wanted = False

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        db_path = Path(path)
        try:
            _prepare_path(db_path)
            writer = await _connect(db_path)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"{db_path}: cannot open the database: {_reason(exc)}") from exc
        try:
            if migrate:
                await apply_migrations(writer)
            reader = await _connect(db_path)
        except sqlite3.Error as exc:
            await writer.close()
            raise StorageError(f"{db_path}: cannot open the database: {_reason(exc)}") from exc
        except BaseException:
            await writer.close()
            raise
        return cls(db_path, writer, reader)

    async def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names of the files applied."""
        async with self._lock:
            return await apply_migrations(self._writer)

    async def close(self) -> None:
        try:
            await self.flush()
        finally:
            await self._reader.close()
            await self._writer.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction on the writer; commits on success."""
        async with self._lock:
            await self._begin()
            try:
                yield self._writer
                await self._writer.commit()
            except BaseException:
                await self._writer.rollback()
                raise
        update_id = current_update_id.get()
        if update_id is not None:
            self._updates_with_effects.add(update_id)

    async def run_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(conn)`` in one ``BEGIN IMMEDIATE`` ... ``COMMIT`` on the writer's thread.

        One hop to that thread instead of one per statement: each hop's answer waits for the
        event loop, which on a busy bot is running a batch of updates, so the inbox's write of
        a fetched batch (begin, read, insert, commit) waited behind it four times; now once.
        ``work`` is plain synchronous SQL, and it runs to its commit or rollback even if the
        awaiting task is cancelled meanwhile."""
        async with self._lock:
            result: T = await on_sqlite_thread(self._writer, _in_transaction, work)
        update_id = current_update_id.get()
        if update_id is not None:
            self._updates_with_effects.add(update_id)
        return result

    async def _begin(self) -> None:
        # BEGIN runs on the writer's thread whether or not the awaiting task is cancelled
        # meanwhile (PTB cancels a pending getUpdates at stop, and the inbox write is part of
        # it). Left open, that transaction would make every later BEGIN fail ("cannot start a
        # transaction within a transaction"), so a cancelled BEGIN is rolled back first.
        begin = asyncio.ensure_future(self._writer.execute("BEGIN IMMEDIATE"))
        try:
            await asyncio.shield(begin)
        except asyncio.CancelledError:
            try:
                await begin
                await self._writer.rollback()
            finally:
                raise

    def update_had_effects(self, update_id: int) -> bool:
        """True if a transaction committed while handling this update (reported once)."""
        if update_id in self._updates_with_effects:
            self._updates_with_effects.discard(update_id)
            return True
        return False

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One statement in its own transaction; returns the number of rows changed."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Read through the writer: sees this process's latest committed writes."""
        # One hop to the writer's thread (execute, fetch and close there), not three: under
        # a join wave each hop is a GIL hand-off between the event loop and SQLite's thread.
        async with self._lock:
            row: aiosqlite.Row | None = await on_sqlite_thread(
                self._writer, _fetch, sql, params, False
            )
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._lock:
            rows: list[aiosqlite.Row] = await on_sqlite_thread(
                self._writer, _fetch, sql, params, True
            )
            return rows

    async def read_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """A read on the reader connection, for heavy queries that must not block writes.

        Deferred writes are flushed first so the snapshot includes them.
        """
        await self.flush()
        async with self._reader.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def read_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        await self.flush()
        async with self._reader.execute(sql, params) as cursor:
            return await cursor.fetchone()

    # Write-behind: high-volume, idempotent writes (stored chat messages, "update processed"
    # marks) are queued here and written in one transaction per batch. Durability still
    # holds because the raw update sits in the inbox until its mark is flushed: a crash
    # before the flush replays the update, and the statements are upserts.
    #
    # The batch is written grouped by statement: the rows of one statement keep the order
    # they were deferred in (first message first), but two different statements are not
    # ordered against each other. So never defer two statements whose order matters.
    def defer(self, sql: str, params: Params) -> None:
        self._deferred.append((sql, params))

    def add_pending(self, rows: PendingRows[Any]) -> None:
        """Write ``rows`` with every flush, finished (scored) first; see :class:`PendingRows`."""
        self._pending.append(rows)

    @property
    def deferred_count(self) -> int:
        """Rows not yet committed: deferred, pending, or in the flush under way."""
        return self.queued_count + self._in_flight

    @property
    def queued_count(self) -> int:
        """Rows no flush has taken yet (what the next flush will write)."""
        return len(self._deferred) + sum(map(len, self._pending))

    @property
    def flushing(self) -> bool:
        """A flush is under way: rows queued now will be written by the next one."""
        return self._flush_lock.locked()

    async def flush(self) -> None:
        if not self._deferred and not any(self._pending) and not self._in_flight:
            return
        async with self._flush_lock:
            # Taken together, with no await between: a "processed" mark deferred after its
            # update queued a message is never written without that message.
            self._in_flight = self.deferred_count
            taken = [(rows, rows.take()) for rows in self._pending if rows]
            batch, self._deferred = self._deferred, []
            try:
                if not self._in_flight:
                    return
                finished: list[tuple[str, Params]] = []
                try:
                    for rows, part in taken:
                        finished += await rows.finish(part)
                except BaseException:
                    for rows, part in taken:
                        rows.restore(part)
                    self._deferred[:0] = batch
                    raise
                # Older first: after a failed write, ``batch`` holds that write's messages
                # (scored then), which must go in before a later edit of one of them.
                statements = batch + finished
                async with self._lock:
                    try:
                        # One hop to the writer's thread for the whole batch: statements from
                        # different features interleave (a stored message, an update mark,
                        # ...), and an awaited executemany per group would cost a thread hop
                        # (~75 us) each.
                        await on_sqlite_thread(
                            self._writer, _write_batch, _group_by_statement(statements)
                        )
                    except BaseException:
                        # Keep the statements (finished now): the next flush retries them.
                        self._deferred[:0] = statements
                        raise
            finally:
                self._in_flight = 0

    def request_checkpoint(self) -> None:
        """Checkpoint once the update being handled is marked processed (its raw payload,
        e.g. a typed invite code or an erased person's name, is then gone from the WAL too)."""
        self._checkpoint_wanted = True

    @property
    def checkpoint_requested(self) -> bool:
        return self._checkpoint_wanted

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it (TRUNCATE).

        Erased rows and typed invite codes otherwise live on in old WAL frames until SQLite's
        automatic checkpoint; with ``secure_delete`` the main file keeps no copy either."""
        self._checkpoint_wanted = False
        await self.flush()
        async with self._lock, self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
            row = await cur.fetchone()
        if row is not None and row[0]:
            log.warning("WAL checkpoint was blocked by a reader; it completes on the next one")

    async def backup_to(self, target: Path) -> None:
        """A consistent copy through SQLite's online backup API, safe while the bot runs."""
        await self.flush()
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            destination = await aiosqlite.connect(target)
            try:
                await self._writer.backup(destination)
            finally:
                await destination.close()


async def fetch_one_in(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> aiosqlite.Row | None:
    """One row inside a caller's transaction, in one hop to SQLite's thread."""
    row: aiosqlite.Row | None = await on_sqlite_thread(conn, _fetch, sql, params, False)
    return row


async def on_sqlite_thread(conn: aiosqlite.Connection, work: Callable[..., T], *args: Any) -> T:
    """``work(sqlite_connection, *args)`` on the connection's own thread, in one hop.

    aiosqlite's public calls each take a hop (execute, fetch, close: three); its
    ``Connection._execute`` runs any function on that thread, and is the one private call
    this project makes into aiosqlite (untyped there, so typed here, once)."""
    result: T = await conn._execute(work, conn._conn, *args)  # type: ignore[no-untyped-call]
    return result


def _fetch(conn: sqlite3.Connection, sql: str, params: Params, many: bool) -> Any:
    """Runs on aiosqlite's thread: one query, its rows, the cursor closed."""
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchall() if many else cursor.fetchone()
    finally:
        cursor.close()


def _in_transaction(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Runs on aiosqlite's thread: ``work`` in one BEGIN IMMEDIATE ... COMMIT."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
        conn.execute("COMMIT")
    except BaseException:
        _roll_back(conn)
        raise
    return result


def _roll_back(conn: sqlite3.Connection) -> None:
    # SQLite rolls some failures back itself (a full disk at COMMIT): a ROLLBACK then fails
    # with "no transaction is active" and would hide the error that matters.
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _write_batch(conn: sqlite3.Connection, groups: list[tuple[str, list[Params]]]) -> None:
    """Runs on aiosqlite's thread: the batch in one BEGIN IMMEDIATE ... COMMIT."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql, rows in groups:
            conn.executemany(sql, rows)
        conn.execute("COMMIT")
    except BaseException:
        _roll_back(conn)
        raise


def _group_by_statement(batch: Iterable[tuple[str, Params]]) -> list[tuple[str, list[Params]]]:
    """One executemany per statement, rows in the order deferred.

    Each update defers its message and then its "processed" mark, so grouping only runs of
    the same statement gave one executemany per row (~2 us a message more in the writer).
    """
    groups: dict[str, list[Params]] = {}
    for sql, params in batch:
        rows = groups.get(sql)
        if rows is None:
            groups[sql] = [params]
        else:
            rows.append(params)
    return list(groups.items())


def _prepare_path(path: Path) -> None:
    # Small synchronous checks before the first connection (start-up, nothing else waits).
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, not a database file")


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "not a database" in text:
        return f"{text} (the file is damaged or is not a SQLite database)"
    if "readonly" in text or "unable to open" in text or isinstance(exc, PermissionError):
        return f"{text} (check that the file and its folder exist and are writable)"
    return text


async def _connect(path: Path) -> aiosqlite.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so sqlite3 never opens a
    # transaction behind our back.
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            # FULL: a committed seat or vote survives power loss, not only a process crash.
            "PRAGMA synchronous=FULL",
            # Deleted rows (an erasure, retention) are overwritten with zeros, not left in
            # free pages of the file where a copy of the database would still hold them.
            "PRAGMA secure_delete=ON",
        ):
            await conn.execute(pragma)
    except BaseException:
        # aiosqlite's thread is not a daemon: an unclosed connection keeps the process alive.
        await conn.close()
        raise
    return conn
