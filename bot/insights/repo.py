"""SQL for spike alerts and verdict cards (tables of migration 0008_insight)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import aiosqlite

from bot.core.erasure import ERASED_QUOTE, replace_line
from bot.db import Database, rows
from bot.insights.detector import HOUR, HourCounts, WindowMessage
from bot.insights.records import AlertRecord, NewAlert

_ALERT = f"SELECT {rows.columns(AlertRecord)} FROM insight_alerts"


class AlertRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def first_message_at(self, chat_id: int) -> int | None:
        row = await self.db.read_one(
            "SELECT MIN(sent_at) FROM feedback_messages WHERE chat_id = ?", (chat_id,)
        )
        return int(row[0]) if row is not None and row[0] is not None else None

    async def count_hours(
        self, chat_id: int, start: int, end: int, negative_threshold: float
    ) -> dict[int, HourCounts]:
        """Counts of every hour in [start, end) (hour-aligned), zero hours included."""
        totals: dict[int, list[int]] = {h: [0, 0] for h in range(start, end, HOUR)}
        for row in await self.db.read_all(
            "SELECT sent_at / 3600, COUNT(*), SUM(label = 'negative') FROM feedback_messages "
            "WHERE chat_id = ? AND sent_at >= ? AND sent_at < ? AND label != 'unscored' "
            "GROUP BY 1",
            (chat_id, start, end),
        ):
            totals[int(row[0]) * HOUR] = [int(row[1]), int(row[2] or 0)]
        aspects: dict[int, dict[str, int]] = {}
        for row in await self.db.read_all(
            "SELECT m.sent_at / 3600, j.key, COUNT(*) FROM feedback_messages AS m, "
            "json_each(m.aspects) AS j WHERE m.chat_id = ? AND m.sent_at >= ? "
            "AND m.sent_at < ? AND m.aspects IS NOT NULL AND m.label != 'unscored' "
            "AND j.value < ? GROUP BY 1, 2",
            (chat_id, start, end, negative_threshold),
        ):
            aspects.setdefault(int(row[0]) * HOUR, {})[str(row[1])] = int(row[2])
        return {
            hour: HourCounts(total, negative, aspects.get(hour, {}))
            for hour, (total, negative) in totals.items()
        }

    async def store_hours(self, chat_id: int, hours: dict[int, HourCounts]) -> None:
        if not hours:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR REPLACE INTO insight_alert_hours "
                "(chat_id, hour_start, total, negative, aspects) VALUES (?, ?, ?, ?, ?)",
                [
                    (chat_id, hour, c.total, c.negative, json.dumps(dict(c.aspects)))
                    for hour, c in hours.items()
                ],
            )

    async def load_hours(self, chat_id: int, start: int, end: int) -> dict[int, HourCounts]:
        rows = await self.db.read_all(
            "SELECT hour_start, total, negative, aspects FROM insight_alert_hours "
            "WHERE chat_id = ? AND hour_start >= ? AND hour_start < ?",
            (chat_id, start, end),
        )
        return {
            int(r["hour_start"]): HourCounts(r["total"], r["negative"], json.loads(r["aspects"]))
            for r in rows
        }

    async def window_messages(self, chat_id: int, start: int, end: int) -> list[WindowMessage]:
        rows = await self.db.read_all(
            "SELECT message_id, user_id, sent_at, label, polarity, aspects, topics, text "
            "FROM feedback_messages WHERE chat_id = ? AND sent_at >= ? AND sent_at < ? "
            "ORDER BY sent_at",
            (chat_id, start, end),
        )
        return [
            WindowMessage(
                message_id=r["message_id"],
                user_id=r["user_id"],
                sent_at=r["sent_at"],
                label=r["label"],
                polarity=r["polarity"],
                aspects=json.loads(r["aspects"]) if r["aspects"] else {},
                topics=json.loads(r["topics"]) if r["topics"] else [],
                text=r["text"],
            )
            for r in rows
        ]

    async def blocked_keys(self, now: int, cooling_seconds: int) -> set[str]:
        """Keys that may not alert now: alerted within the cooling period, or muted."""
        blocked: set[str] = set()
        for row in await self.db.fetchall(
            "SELECT key, also FROM insight_alerts WHERE created_at > ?", (now - cooling_seconds,)
        ):
            blocked.add(row["key"])
            blocked.update(json.loads(row["also"]))
        for row in await self.db.fetchall(
            "SELECT key FROM insight_mutes WHERE until_at > ?", (now,)
        ):
            blocked.add(row["key"])
        return blocked

    async def record(self, alert: NewAlert, now: int, cooling_seconds: int) -> int | None:
        """Record the alert unless one of its keys alerted or was muted meanwhile (checked
        inside the write transaction: two checks at once record it once)."""
        async with self.db.transaction() as conn:
            keys = {alert.key, *alert.also}
            async with conn.execute(
                "SELECT key, also FROM insight_alerts WHERE created_at > ?",
                (now - cooling_seconds,),
            ) as cursor:
                for row in await cursor.fetchall():
                    if keys & {row["key"], *json.loads(row["also"])}:
                        return None
            async with conn.execute(
                "SELECT key FROM insight_mutes WHERE until_at > ?", (now,)
            ) as cursor:
                if keys & {row["key"] for row in await cursor.fetchall()}:
                    return None
            cursor = await conn.execute(
                "INSERT INTO insight_alerts (chat_id, key, also, window_start, window_end, "
                "observed, expected, messages, members, p_value, text, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    alert.chat_id, alert.key, json.dumps(list(alert.also)), alert.window_start,
                    alert.window_end, alert.observed, alert.expected, alert.messages,
                    alert.members, alert.p_value, alert.text, now,
                ),
            )  # fmt: skip
            await conn.executemany(
                "INSERT INTO insight_alert_quotes (alert_id, user_id, line) VALUES (?, ?, ?)",
                [(cursor.lastrowid, user_id, line) for user_id, line in alert.quotes],
            )
            return cursor.lastrowid

    async def tx_erase_quotes_of(
        self, conn: aiosqlite.Connection, user_id: int, replacement: str = ERASED_QUOTE
    ) -> int:
        """Inside an erasure: this person's quote lines in stored alerts (alerts changed)."""
        return await self._tx_erase_quotes(conn, "q.user_id = ?", (user_id,), replacement)

    async def tx_erase_quotes_before(
        self, conn: aiosqlite.Connection, cutoff: int, replacement: str = ERASED_QUOTE
    ) -> int:
        """Inside retention: every quote line of alerts recorded before ``cutoff``."""
        return await self._tx_erase_quotes(conn, "a.created_at < ?", (cutoff,), replacement)

    async def _tx_erase_quotes(
        self,
        conn: aiosqlite.Connection,
        where: str,
        args: tuple[object, ...],
        replacement: str,
    ) -> int:
        async with conn.execute(
            "SELECT q.rowid, q.alert_id, q.line, a.text FROM insight_alert_quotes q "
            f"JOIN insight_alerts a ON a.id = q.alert_id WHERE {where}",
            args,
        ) as cursor:
            rows = list(await cursor.fetchall())
        texts: dict[int, str] = {int(row[1]): str(row[3]) for row in rows}
        for row in rows:
            texts[int(row[1])] = replace_line(texts[int(row[1])], str(row[2]), replacement)
        for alert_id, text in texts.items():
            await conn.execute("UPDATE insight_alerts SET text = ? WHERE id = ?", (text, alert_id))
        await conn.executemany(
            "DELETE FROM insight_alert_quotes WHERE rowid = ?", [(row[0],) for row in rows]
        )
        return len(texts)

    async def get(self, alert_id: int) -> AlertRecord | None:
        row = await self.db.fetchone(_ALERT + " WHERE id = ?", (alert_id,))
        return rows.maybe(AlertRecord, row)

    async def pending(self, now: int) -> list[AlertRecord]:
        """Alerts to send now (not waiting for a retry)."""
        found = await self.db.fetchall(
            _ALERT + " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id", (now,)
        )
        return rows.all(AlertRecord, found)

    async def all_alerts(self) -> list[AlertRecord]:
        return rows.all(AlertRecord, await self.db.fetchall(_ALERT + " ORDER BY id"))

    async def mark_sent(self, alert_id: int, chat_id: int, message_id: int, now: int) -> None:
        await self.db.execute(
            "UPDATE insight_alerts SET state = 'sent', brand_chat_id = ?, brand_message_id = ?, "
            "sent_at = ? WHERE id = ? AND state = 'pending'",
            (chat_id, message_id, now, alert_id),
        )

    async def mark_failure(self, alert_id: int, error: str, give_up: bool, retry_at: int) -> None:
        await self.db.execute(
            "UPDATE insight_alerts SET attempts = attempts + 1, last_error = ?, "
            "next_attempt_at = ?, state = CASE WHEN ? THEN 'failed' ELSE state END "
            "WHERE id = ?",
            (error[:500], retry_at, int(give_up), alert_id),
        )

    async def mute(
        self, keys: Iterable[str], until: int, by_user: int, alert_id: int, now: int
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO insight_mutes (key, until_at, muted_by, alert_id, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "until_at = MAX(until_at, excluded.until_at), muted_by = excluded.muted_by, "
                "alert_id = excluded.alert_id, created_at = excluded.created_at",
                [(key, until, by_user, alert_id, now) for key in keys],
            )


async def member_numbers(db: Database, user_ids: Sequence[int]) -> dict[int, int]:
    from bot.feedback import pseudonyms

    return await pseudonyms(db, user_ids)
