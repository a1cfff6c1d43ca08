"""A transaction run in one hop on the writer's thread commits or rolls back as a whole."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.db import Database
from bot.db.inbox_repo import InboxRepository


async def test_work_that_fails_half_way_leaves_nothing_behind(db: Database) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")

    def half(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        await db.run_transaction(half)

    def whole(conn: sqlite3.Connection) -> int:
        conn.executemany("INSERT INTO t VALUES (?)", [(2,), (3,)])
        return 2

    assert await db.run_transaction(whole) == 2
    assert [row[0] for row in await db.fetchall("SELECT x FROM t ORDER BY x")] == [2, 3]


async def test_a_cancelled_caller_does_not_leave_a_transaction_open(db: Database) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")

    def slow(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")

    task = asyncio.create_task(db.run_transaction(slow))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The work ran to its commit on the writer's thread or never began; either way the
    # writer takes the next transaction.
    await db.execute("INSERT INTO t VALUES (2)")
    assert 2 in [row[0] for row in await db.fetchall("SELECT x FROM t")]


async def test_the_inbox_admits_each_update_once(db: Database) -> None:
    inbox = InboxRepository(db)
    assert await inbox.admit([(1, "{}"), (2, "{}"), (2, "{}")], now=10) == {1, 2}
    assert await inbox.admit([(2, "{}"), (3, "{}")], now=11) == {3}
    assert [uid for uid, _ in await inbox.pending()] == [1, 2, 3]
