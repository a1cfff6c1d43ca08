"""Backups and exports are private files; a database from a newer release is refused."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from bot.cli import main
from bot.db import Database


def config(tmp_path: Path, database: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[telegram]\ntoken = "123456:SECRET-TOKEN"\ncommunity_chat_id = -1001\n'
        f'brand_chat_id = -1002\n[storage]\ndatabase = "{database}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _loose_umask() -> object:
    import os

    old = os.umask(0o022)  # the usual default: new files would be world-readable
    yield
    os.umask(old)


async def test_backup_and_export_files_are_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "club.db"
    db = await Database.open(database)
    await db.close()
    cfg = str(config(tmp_path, database))
    backup, export = tmp_path / "out" / "backup.db", tmp_path / "out" / "people.csv"
    export.parent.mkdir()
    export.write_text("old", encoding="utf-8")
    export.chmod(0o644)
    assert await _run(["backup", "--config", cfg, "--out", str(backup)]) == 0
    assert await _run(["export", "--config", cfg, "--what", "members", "--out", str(export)]) == 0
    for path in (backup, export):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


async def _run(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(main, argv)


def test_restoring_a_database_from_a_newer_release_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "club.db"
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert main(["migrate", "--config", str(config(tmp_path, database))]) == 1
    err = capsys.readouterr().err
    assert "newer than this code knows" in err
    assert "Traceback" not in err
