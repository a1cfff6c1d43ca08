"""A task cancelled while its BEGIN is on the writer's thread leaves no transaction open."""

from __future__ import annotations

import asyncio

import pytest

from bot.db import Database


async def test_cancelled_begin_does_not_wedge_the_writer(db: Database) -> None:
    await db.execute("CREATE TABLE t (x INTEGER)")

    async def write() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO t VALUES (1)")

    task = asyncio.create_task(write())
    await asyncio.sleep(0)  # it holds the lock and waits for BEGIN
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # Every later transaction still works, and the cancelled one wrote nothing.
    await db.execute("INSERT INTO t VALUES (2)")
    db.defer("INSERT INTO t VALUES (?)", (3,))
    await db.flush()
    assert [row[0] for row in await db.fetchall("SELECT x FROM t ORDER BY x")] == [2, 3]
