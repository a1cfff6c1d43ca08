"""Migration 0012 on a database written before it: links and clicks keep their meaning."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bot.db import Database, latest_version
from bot.db.migrations import apply_migrations, migrations_dir
from bot.links.repo import LinkRepository

SHARED = "https://shop.example/?utm_source=nl&utm_medium=mail&utm_campaign=x&utm_content=y"


async def database_before_0012(tmp_path: Path) -> Path:
    """A database at schema 11 holding links and clicks the way the bot wrote them."""
    older = tmp_path / "migrations-0011"
    older.mkdir()
    for path in sorted(migrations_dir().glob("*.sql"))[:11]:
        shutil.copy(path, older / path.name)
    path = tmp_path / "club.db"
    db = await Database.open(path, migrate=False)
    try:
        await apply_migrations(db._writer, older)
    finally:
        await db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 11
        conn.executemany(
            "INSERT INTO link_targets (id, token, url, content, preview_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (5, "oldPrev01", SHARED, "preview-1", 1, 100),
                (
                    9,
                    "oldWelc02",
                    "https://shop.example/?utm_content=welcome",
                    "welcome",
                    None,
                    200,
                ),
            ],
        )
        conn.executemany(
            "INSERT INTO link_clicks (link_id, day, clicks) VALUES (?, ?, ?)",
            [(5, "2026-11-28", 4), (5, "2026-11-29", 2), (9, "2026-11-29", 7)],
        )
    return path


async def test_upgrade_keeps_tokens_and_clicks_and_counts_new_previews_apart(
    tmp_path: Path,
) -> None:
    path = await database_before_0012(tmp_path)
    db = await Database.open(path)
    try:
        assert (await db.fetchone("PRAGMA user_version"))[0] == latest_version()
        repo = LinkRepository(db)
        # Every link already posted redirects as before, and its clicks stay with it.
        assert {(t.id, t.token, t.url) for t in await repo.targets()} == {
            (5, "oldPrev01", SHARED),
            (9, "oldWelc02", "https://shop.example/?utm_content=welcome"),
        }
        assert await repo.clicks_for_preview(1) == 6
        assert await repo.clicks_by_content("2026-11-28", "2026-11-29") == [
            ("welcome", 7),
            ("preview-1", 6),
        ]
        # The places registered before find their own targets again...
        assert (await repo.register(SHARED, "freshTok1", "preview-1", 1, 300)).id == 5
        welcome = "https://shop.example/?utm_content=welcome"
        assert (await repo.register(welcome, "freshTok2", "welcome", None, 300)).id == 9
        # ...and a new preview with the same address gets a target of its own.
        second = await repo.register(SHARED, "freshTok3", "preview-2", 2, 300)
        assert second.id not in (5, 9) and second.token == "freshTok3"
        await repo.add_clicks({(second.id, "2026-11-30"): 1})
        assert (await repo.clicks_for_preview(1), await repo.clicks_for_preview(2)) == (6, 1)
        # The clicks still refer to the targets: the rebuilt tables kept the foreign key.
        assert await db.fetchall("PRAGMA foreign_key_check") == []
        references = await db.fetchall("PRAGMA foreign_key_list(link_clicks)")
        assert [row["table"] for row in references] == ["link_targets"]
    finally:
        await db.close()
