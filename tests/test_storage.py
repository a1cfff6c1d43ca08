"""The writer connection, its transactions, the write-behind buffer and the inbox."""

from __future__ import annotations

import asyncio

import pytest

from bot.db import Database, current_update_id
from bot.db.inbox_repo import InboxRepository
from bot.db.people_repo import PeopleRepository
from tests.conftest import BIG_USER_ID


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO runtime_facts (key, value, updated_at) VALUES ('k', 'v', 1)"
            )
            raise RuntimeError("boom")
    assert await db.fetchone("SELECT * FROM runtime_facts") is None


async def test_concurrent_read_modify_write_is_serialized(db: Database) -> None:
    await db.execute("INSERT INTO runtime_facts (key, value, updated_at) VALUES ('n', '0', 0)")

    async def increment() -> None:
        async with db.transaction() as conn:
            async with conn.execute("SELECT value FROM runtime_facts WHERE key='n'") as cur:
                row = await cur.fetchone()
            await asyncio.sleep(0)  # give every other coroutine the chance to interleave
            await conn.execute(
                "UPDATE runtime_facts SET value = ? WHERE key='n'", (str(int(row[0]) + 1),)
            )

    await asyncio.gather(*(increment() for _ in range(50)))
    assert (await db.fetchone("SELECT value FROM runtime_facts WHERE key='n'"))[0] == "50"


async def test_big_ids_round_trip(db: Database) -> None:
    people = PeopleRepository(db)
    people.defer_upsert(BIG_USER_ID, "Ada", None, "ada", "en", False, now=100)
    await db.flush()
    person = await people.get(BIG_USER_ID)
    assert person is not None and person.user_id == BIG_USER_ID > 2**32


async def test_an_upsert_without_language_code_keeps_the_stored_one(db: Database) -> None:
    # After a restart the tracking cache is empty: the row itself must not lose "en" to an
    # update that left the optional field out; a new language still replaces it.
    people = PeopleRepository(db)
    people.defer_upsert(BIG_USER_ID, "Ada", None, "ada", "en", False, now=100)
    people.defer_upsert(BIG_USER_ID, "Ada", None, "ada_cakes", None, False, now=101)
    await db.flush()
    person = await people.get(BIG_USER_ID)
    assert person is not None and (person.username, person.language_code) == ("ada_cakes", "en")
    people.defer_upsert(BIG_USER_ID, "Ada", None, "ada_cakes", "de", False, now=102)
    await db.flush()
    person = await people.get(BIG_USER_ID)
    assert person is not None and person.language_code == "de"


async def test_inbox_admits_each_update_once(db: Database) -> None:
    inbox = InboxRepository(db)
    assert await inbox.admit([(1, "{}"), (2, "{}")], now=10) == {1, 2}
    assert await inbox.admit([(2, "{}"), (3, "{}")], now=11) == {3}
    assert [uid for uid, _ in await inbox.pending()] == [1, 2, 3]


async def test_deferred_mark_clears_payload(db: Database) -> None:
    inbox = InboxRepository(db)
    await inbox.admit([(7, '{"update_id": 7, "secret": "words"}')], now=1)
    inbox.defer_mark_processed(7, now=2)
    assert db.deferred_count == 1
    await db.flush()
    assert await inbox.processed(7)
    assert await inbox.pending() == []
    row = await db.fetchone("SELECT payload FROM inbox WHERE update_id = 7")
    assert row is not None and row[0] is None  # member words do not linger in the inbox


async def test_a_committed_transaction_notes_its_update(db: Database) -> None:
    """The Application marks an update with effects processed at once, not in a batch."""
    token = current_update_id.set(42)
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                raise RuntimeError("handler failed")
        assert not db.update_had_effects(42)  # a rolled-back effect is no effect
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO runtime_facts (key, value, updated_at) VALUES ('e', '1', 1)"
            )
    finally:
        current_update_id.reset(token)
    async with db.transaction() as conn:  # outside any update: noted for nobody
        await conn.execute("UPDATE runtime_facts SET value = '2' WHERE key = 'e'")
    assert db.update_had_effects(42)
    assert not db.update_had_effects(42)  # reported once


async def test_a_deferred_batch_keeps_each_statements_order(db: Database) -> None:
    # Interleaved statements are written one executemany each; rows of one statement keep
    # their order (the second upsert of user 1 wins), whatever came in between.
    people = PeopleRepository(db)
    inbox = InboxRepository(db)
    await inbox.admit([(1, "{}"), (2, "{}")], now=1)
    people.defer_upsert(BIG_USER_ID, "Ada", None, None, "en", False, now=10)
    inbox.defer_mark_processed(1, now=11)
    people.defer_upsert(BIG_USER_ID + 1, "Ben", None, None, "en", False, now=12)
    people.defer_upsert(BIG_USER_ID, "Ada Renamed", None, None, "en", False, now=13)
    inbox.defer_mark_processed(2, now=14)
    await db.flush()
    assert db.deferred_count == 0
    ada = await people.get(BIG_USER_ID)
    ben = await people.get(BIG_USER_ID + 1)
    assert ada is not None and ada.first_name == "Ada Renamed"
    assert ben is not None and ben.first_name == "Ben"
    assert await inbox.processed(1) and await inbox.processed(2)
