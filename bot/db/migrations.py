"""Numbered SQL migrations, tracked with ``PRAGMA user_version``.

Files are named ``NNNN_description.sql`` and are append-only: once one has landed it is never
edited; a change to the schema is a new file. Each file runs in its own transaction together
with the bump of user_version, so a failure leaves the database at the previous version.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(Exception):
    """The database cannot be brought to this code's schema."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_dir() -> Path:
    """Where the SQL files are: inside the installed package, or at the repository root."""
    packaged = resources.files("bot") / "migrations"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "migrations"


def load_migrations(directory: Path | None = None) -> list[Migration]:
    folder = directory or migrations_dir()
    found: list[Migration] = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files must be named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), path.name, path.read_text("utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migrations must be numbered 1..N without gaps, found {versions}")
    return found


def latest_version(directory: Path | None = None) -> int:
    return len(load_migrations(directory))


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def apply_migrations(conn: aiosqlite.Connection, directory: Path | None = None) -> list[str]:
    """Bring the database to the latest version; returns the names of the files applied."""
    migrations = load_migrations(directory)
    current = await schema_version(conn)
    if current > len(migrations):
        raise MigrationError(
            f"the database is at schema version {current}, newer than this code knows "
            f"({len(migrations)}): it was written by a newer release of the bot. Upgrade the "
            "bot, or restore a backup taken before the upgrade."
        )
    applied: list[str] = []
    for migration in migrations[current:]:
        # executescript runs the whole file; BEGIN/COMMIT around it make it one transaction
        # with the version bump.
        script = (
            f"BEGIN IMMEDIATE;\n{migration.sql}\n"
            f"PRAGMA user_version = {migration.version};\nCOMMIT;"
        )
        try:
            await conn.executescript(script)
        except Exception as exc:
            if conn.in_transaction:
                await conn.rollback()
            raise MigrationError(f"{migration.name} failed: {exc}") from exc
        log.info("Applied migration %s", migration.name)
        applied.append(migration.name)
    return applied
