"""Storage: one SQLite writer connection, migrations, and one repository per aggregate."""

from bot.db.connection import Database, current_update_id
from bot.db.migrations import MigrationError, apply_migrations, latest_version

__all__ = ["Database", "MigrationError", "apply_migrations", "current_update_id", "latest_version"]
