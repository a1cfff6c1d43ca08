"""Storage: one SQLite writer connection, migrations, and one repository per aggregate."""

from bot.db.connection import Database, StorageError, current_update_id
from bot.db.migrations import MigrationError, apply_migrations, latest_version

__all__ = [
    "Database",
    "MigrationError",
    "StorageError",
    "apply_migrations",
    "current_update_id",
    "latest_version",
]
