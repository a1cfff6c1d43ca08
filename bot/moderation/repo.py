"""SQL for the moderation log, active warnings and look-alike reports."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db import Database, rows
from bot.moderation.records import LogEntry


@dataclass(frozen=True, slots=True)
class WarnResult:
    recorded: bool  # False: this update was already handled (a replay)
    active: int  # warnings that count now, including this one
    escalate: bool  # the limit was reached (the caller clears the warnings once it acted)


_INSERT_LOG = (
    "INSERT OR IGNORE INTO moderation_log "
    "(action, actor_id, target_id, reason, until_at, created_at, update_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_LOG_ENTRY = f"SELECT {rows.columns(LogEntry)} FROM moderation_log"


class ModerationRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def log(
        self,
        action: str,
        actor_id: int | None,
        target_id: int,
        reason: str | None,
        now: int,
        *,
        until_at: int | None = None,
        update_id: int | None = None,
    ) -> bool:
        """Record one action; False if this update already recorded it."""
        changed = await self._db.execute(
            _INSERT_LOG, (action, actor_id, target_id, reason, until_at, now, update_id)
        )
        return changed > 0

    async def standing_bans(self, target_id: int) -> list[LogEntry]:
        """The bans ``target_id`` is under here: every ban since the latest unban (a club's
        own ban and another club's shared one can stand together)."""
        found = await self._db.fetchall(
            f"{_LOG_ENTRY} WHERE target_id = ? AND action = 'ban' AND id > COALESCE(("
            "SELECT MAX(id) FROM moderation_log WHERE target_id = ? AND action = 'unban'"
            "), 0) ORDER BY id",
            (target_id, target_id),
        )
        return rows.all(LogEntry, found)

    async def add_warning(
        self,
        actor_id: int | None,
        target_id: int,
        reason: str | None,
        now: int,
        *,
        limit: int,
        update_id: int | None,
    ) -> WarnResult:
        """Record a warning (and its log entry); ``escalate`` at ``limit`` or beyond.

        The warnings stay until the caller has muted or banned (``clear_warnings``): if
        Telegram fails that, the next warning reaches the limit again."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO warnings (target_id, actor_id, reason, created_at, "
                "update_id) VALUES (?, ?, ?, ?, ?)",
                (target_id, actor_id, reason, now, update_id),
            )
            if cursor.rowcount == 0:
                return WarnResult(recorded=False, active=0, escalate=False)
            await conn.execute(
                _INSERT_LOG, ("warn", actor_id, target_id, reason, None, now, update_id)
            )
            async with conn.execute(
                "SELECT COUNT(*) FROM warnings WHERE target_id = ?", (target_id,)
            ) as counted:
                row = await counted.fetchone()
            active = int(row[0]) if row else 0
        return WarnResult(recorded=True, active=active, escalate=active >= limit)

    async def active_warnings(self, target_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM warnings WHERE target_id = ?", (target_id,)
        )
        return int(row[0]) if row else 0

    async def clear_warnings(self, target_id: int) -> int:
        return await self._db.execute("DELETE FROM warnings WHERE target_id = ?", (target_id,))

    async def latest(self, limit: int) -> list[LogEntry]:
        found = await self._db.fetchall(
            _LOG_ENTRY + " ORDER BY created_at DESC, id DESC LIMIT ?", (limit,)
        )
        return rows.all(LogEntry, found)

    async def claim_lookalike_report(
        self, user_id: int, key: str, resembles_id: int, now: int
    ) -> bool:
        """True for the first claim of (user, name): only that caller sends the report."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO lookalike_reports (user_id, name_key, resembles_id, "
            "reported_at) VALUES (?, ?, ?, ?)",
            (user_id, key, resembles_id, now),
        )
        return changed > 0


async def count_actions(db: Database, start: int, end: int) -> dict[str, int]:
    """Moderation actions per kind in [start, end), read on the reader connection."""
    found = await db.read_all(
        "SELECT action, COUNT(*) AS n FROM moderation_log"
        " WHERE created_at >= ? AND created_at < ? GROUP BY action ORDER BY action",
        (start, end),
    )
    return {str(row["action"]): int(row["n"]) for row in found}
