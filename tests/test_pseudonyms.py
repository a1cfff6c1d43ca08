""" "Member #N" is a stable number per member, never handed to a second person: past digests,
alerts and exports that quoted "Member #2" keep meaning the one member who had it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.db import Database, latest_version
from bot.db.migrations import apply_migrations, migrations_dir
from bot.privacy.repo import PrivacyRepository

ADA, BEN, CLEO, DORA = (2**32 + n for n in range(1, 5))
MESSAGE = (
    "INSERT INTO feedback_messages (chat_id, message_id, user_id, sent_at, text, polarity, "
    "subjectivity, label, language) VALUES (-100, ?, ?, ?, 'hello there friends', 0, 0, "
    "'neutral', 'en')"
)
NUMBERS = "SELECT user_id, number FROM feedback_pseudonyms ORDER BY number"


async def say(db: Database, message_id: int, user_id: int) -> None:
    await db.execute(MESSAGE, (message_id, user_id, 1_000 + message_id))


async def numbers(db: Database) -> dict[int, int]:
    return {int(row[0]): int(row[1]) for row in await db.fetchall(NUMBERS)}


async def test_numbers_follow_first_messages(db: Database) -> None:
    await say(db, 1, ADA)
    await say(db, 2, BEN)
    await say(db, 3, ADA)
    assert await numbers(db) == {ADA: 1, BEN: 2}


async def test_an_erased_members_number_is_never_given_again(db: Database) -> None:
    await say(db, 1, ADA)
    await say(db, 2, BEN)
    await PrivacyRepository(db).erase_person(BEN)  # the highest number goes
    await say(db, 3, CLEO)
    assert await numbers(db) == {ADA: 1, CLEO: 3}


async def database_before_the_counter(tmp_path: Path) -> Path:
    """A database one migration short of the counter, with members numbered 1, 2, 3."""
    files = sorted(migrations_dir().glob("*.sql"))
    counter = next(i for i, p in enumerate(files) if "pseudonyms_never_reused" in p.name)
    older = tmp_path / "migrations-before"
    older.mkdir()
    for path in files[:counter]:
        shutil.copy(path, older / path.name)
    path = tmp_path / "club.db"
    db = await Database.open(path, migrate=False)
    try:
        await apply_migrations(db._writer, older)
        for message_id, user_id in enumerate((ADA, BEN, CLEO), start=1):
            await say(db, message_id, user_id)
    finally:
        await db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == counter
        assert conn.execute(NUMBERS).fetchall() == [(ADA, 1), (BEN, 2), (CLEO, 3)]
    return path


async def test_the_upgrade_keeps_every_number_and_continues_after_the_highest(
    tmp_path: Path,
) -> None:
    db = await Database.open(await database_before_the_counter(tmp_path))
    try:
        assert (await db.fetchone("PRAGMA user_version"))[0] == latest_version()
        assert await numbers(db) == {ADA: 1, BEN: 2, CLEO: 3}
        await PrivacyRepository(db).erase_person(CLEO)
        await say(db, 4, DORA)
        assert await numbers(db) == {ADA: 1, BEN: 2, DORA: 4}
    finally:
        await db.close()
