"""Data protection at the repository level: tables found at run time, erased generically."""

from __future__ import annotations

import json

from bot.db import Database
from bot.db.people_repo import PeopleRepository
from bot.privacy.repo import PrivacyRepository, is_actor, is_chat, is_subject
from tests.conftest import BIG_USER_ID

OTHER = BIG_USER_ID + 1
WORDS = "The pistachio éclair was a dream"


async def add_future_feature(db: Database) -> None:
    """A table added by some later migration this module has never heard of."""
    await db.execute(
        "CREATE TABLE tastings (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL, "
        "host_by INTEGER NOT NULL, body TEXT, created_at INTEGER NOT NULL)"
    )
    await db.execute(
        "INSERT INTO tastings (member_id, host_by, body, created_at) VALUES (?, ?, ?, 10), "
        "(?, ?, 'Fine, thanks for asking', 10)",
        (BIG_USER_ID, OTHER, WORDS, OTHER, BIG_USER_ID),
    )
    await db.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, html TEXT NOT NULL)")
    await db.execute(
        "INSERT INTO reports (html) VALUES (?)",
        (json.dumps(["<i>The pistachio éclair was a dream</i> — Member #1"]),),
    )


def test_column_kinds() -> None:
    assert is_subject("user_id") and is_subject("voter_user_id") and is_subject("redeemed_by")
    assert is_actor("created_by") and is_actor("actor_id") and not is_actor("redeemed_by")
    assert is_chat("source_chat_id") and not is_subject("message_id")


async def test_export_and_erase_cover_a_table_added_later(db: Database) -> None:
    people = PeopleRepository(db)
    people.defer_upsert(BIG_USER_ID, "Ada", "Lovelace", "ada", "en", False, now=1)
    people.defer_upsert(OTHER, "Ben", None, None, "en", False, now=1)
    await add_future_feature(db)
    repo = PrivacyRepository(db)

    exported = await repo.export_person(BIG_USER_ID)
    assert exported["people"][0]["last_name"] == "Lovelace"
    assert {row["body"] for row in exported["tastings"]} == {WORDS, "Fine, thanks for asking"}

    erasure = await repo.erase_person(BIG_USER_ID)
    assert erasure.deleted == {"people": 1, "tastings": 1}
    assert erasure.anonymised == {"tastings": 1}  # Ben's tasting she hosted stays, unsigned
    assert erasure.scrubbed == {"reports": 1}
    row = await db.fetchone("SELECT member_id, host_by FROM tastings")
    assert row is not None and tuple(row) == (OTHER, 0)
    report = await db.fetchone("SELECT html FROM reports")
    assert report is not None and "pistachio" not in report[0] and "Member #1" in report[0]
    assert await repo.export_person(BIG_USER_ID) == {}
    assert await people.get(OTHER) is not None


async def test_retention_clears_old_member_text_only(db: Database) -> None:
    await add_future_feature(db)
    await db.execute(
        "INSERT INTO tastings (member_id, host_by, body, created_at) VALUES (?, ?, 'new', 99)",
        (OTHER, OTHER),
    )
    cleared = await PrivacyRepository(db).erase_old_text(cutoff=50)
    # The stored report that quoted the old words loses the quote too.
    assert cleared == {"tastings.body": 2, "reports quotes": 1}
    report = await db.fetchone("SELECT html FROM reports")
    assert report is not None and "pistachio" not in report[0]
    rows = await db.fetchall("SELECT body FROM tastings ORDER BY id")
    assert [r[0] for r in rows] == [None, None, "new"]
    assert (await db.fetchone("SELECT COUNT(*) FROM tastings"))[0] == 3  # rows stay
