"""Migrations: blank database to latest, idempotent re-runs, newer databases refused."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from bot.db import Database, MigrationError, latest_version
from bot.db.migrations import load_migrations, migrations_dir

REPO = Path(__file__).resolve().parents[1]


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }


def test_files_are_numbered_without_gaps() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations_dir().resolve() == (REPO / "migrations").resolve()


async def test_blank_database_reaches_latest(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    db = await Database.open(path)
    await db.close()
    assert user_version(path) == latest_version()
    assert {"inbox", "people", "runtime_facts"} <= tables(path)


async def test_rerun_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    db = await Database.open(path)
    assert await db.migrate() == []
    await db.close()
    before = tables(path)
    db = await Database.open(path)
    await db.close()
    assert tables(path) == before


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    with pytest.raises(MigrationError, match="newer than this code"):
        await Database.open(path)


async def test_failing_migration_leaves_previous_version(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (folder / "0002_broken.sql").write_text("CREATE TABLE b (y INTEGER);\nNOT SQL AT ALL;")
    path = tmp_path / "broken.db"
    db = await Database.open(path, migrate=False)
    from bot.db.migrations import apply_migrations

    try:
        with pytest.raises(MigrationError, match=r"0002_broken\.sql"):
            await apply_migrations(db._writer, folder)
    finally:
        await db.close()
    assert user_version(path) == 1
    assert "b" not in tables(path)  # the failed file's own changes were rolled back


async def test_pragmas_on_the_writer(db: Database) -> None:
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA synchronous"))[0] == 2  # FULL
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000


def test_migrate_command_applies_then_reports_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def in_process(args: list[str]) -> tuple[int, str]:
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        try:
            code = main(args)
        finally:  # main() points logging at this test's captured stderr
            root.handlers[:], root.level = handlers, level
        return code, capsys.readouterr().err

    migrate_twice(tmp_path, in_process)


# The same through ``python -m bot`` in fresh interpreters: seconds, so only in the slow set.
@pytest.mark.slow
def test_cli_migrate(tmp_path: Path) -> None:
    def in_a_subprocess(args: list[str]) -> tuple[int, str]:
        command = [sys.executable, "-m", "bot", *args]
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
        return result.returncode, result.stderr

    migrate_twice(tmp_path, in_a_subprocess)


def migrate_twice(tmp_path: Path, run: Callable[[list[str]], tuple[int, str]]) -> None:
    config = tmp_path / "config.toml"
    db_path = tmp_path / "cli.db"
    config.write_text(
        '[telegram]\ntoken = "1:x"\ncommunity_chat_id = -1\nbrand_chat_id = -2\n'
        f'[storage]\ndatabase = "{db_path}"\n'
    )
    code, err = run(["migrate", "--config", str(config)])
    assert code == 0, err
    assert "Applied" in err
    code, err = run(["migrate", "--config", str(config)])
    assert code == 0
    assert "up to date" in err
    assert user_version(db_path) == latest_version()
