"""The digest's exactly-once send ledger: one ``digest_runs`` row per day, written with the
exact messages to send before anything is sent, then each part, the chart and completion
(see bot/digest/service.py for the protocol). Quotes are recorded by author so an erasure
can replace a person's lines in digests already stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import aiosqlite

from bot.core.erasure import ERASED_QUOTE, replace_line
from bot.db import rows
from bot.db.connection import Database
from bot.digest.records import DigestRun, RunState

_RUN = f"SELECT {rows.columns(DigestRun)} FROM digest_runs"


class DigestRunRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, day: str) -> DigestRun | None:
        row = await self._db.fetchone(_RUN + " WHERE day = ?", (day,))
        return rows.maybe(DigestRun, row)

    async def runs(self, days: Sequence[str]) -> dict[str, DigestRun]:
        if not days:
            return {}
        found = await self._db.fetchall(
            _RUN + f" WHERE day IN ({','.join('?' * len(days))})", list(days)
        )
        return {run.day: run for run in rows.all(DigestRun, found)}

    async def record_intent(
        self,
        day: str,
        chat_id: int,
        parts: list[str],
        late: bool,
        now: int,
        state: RunState,
        quotes: Sequence[tuple[int, str]] = (),
    ) -> DigestRun:
        """Write the run (with what will be sent) before anything is sent; idempotent.

        ``quotes`` (author id, rendered line) say whose words the parts quote.
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO digest_runs (day, chat_id, state, late, parts, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (day, chat_id, state, int(late), json.dumps(parts, ensure_ascii=False), now),
            )
            if cursor.rowcount:
                await conn.executemany(
                    "INSERT INTO digest_quotes (day, user_id, line) VALUES (?, ?, ?)",
                    [(day, user_id, line) for user_id, line in quotes if user_id],
                )
            async with conn.execute(_RUN + " WHERE day = ?", (day,)) as cur:
                row = await cur.fetchone()
        assert row is not None
        return rows.one(DigestRun, row)

    async def tx_erase_quotes(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        replacement: str = ERASED_QUOTE,
        signed: re.Pattern[str] | None = None,
    ) -> int:
        """Inside an erasure: replace this person's quote lines in stored digests.

        Erases by person (digest_quotes), not by matching text: a shortened, multi-line,
        escaped or since-edited message is found all the same. ``signed`` (a whole line
        signed with her pseudonym) also finds her lines in digests stored before such lines
        were recorded with their owner. Returns the digests changed.
        """
        days = await self._tx_erase_owned(conn, "user_id = ?", (user_id,), replacement)
        if signed is not None:
            days |= await self._tx_erase_matching(conn, signed, None, replacement)
        return len(days)

    async def tx_erase_quotes_through(
        self,
        conn: aiosqlite.Connection,
        day: str,
        replacement: str = ERASED_QUOTE,
        signed: re.Pattern[str] | None = None,
    ) -> int:
        """Inside retention: replace every quote line of the digests of ``day`` and before
        (``signed``: also the whole lines it matches, in digests stored before their lines
        were recorded with an owner)."""
        days = await self._tx_erase_owned(conn, "day <= ?", (day,), replacement)
        if signed is not None:
            days |= await self._tx_erase_matching(conn, signed, day, replacement)
        return len(days)

    async def tx_pseudonym(self, conn: aiosqlite.Connection, user_id: int) -> int | None:
        """Her "Member #N" number (inside an erasure, before the sweep deletes it)."""
        async with conn.execute(
            "SELECT number FROM feedback_pseudonyms WHERE user_id = ?", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        return int(row["number"]) if row else None

    async def _tx_erase_matching(
        self,
        conn: aiosqlite.Connection,
        signed: re.Pattern[str],
        through: str | None,
        replacement: str,
    ) -> set[str]:
        # Every stored digest is read: an erasure is rare, retention daily, and a year of
        # digests is a few MB at most.
        async with conn.execute(
            "SELECT day, parts FROM digest_runs WHERE ? IS NULL OR day <= ?", (through, through)
        ) as cur:
            found = [(str(row["day"]), str(row["parts"])) for row in await cur.fetchall()]
        changed: set[str] = set()
        for day, stored in found:
            parts = [str(part) for part in json.loads(stored)]
            new = [_replace_matching(part, signed, replacement) for part in parts]
            if new != parts:
                await conn.execute(
                    "UPDATE digest_runs SET parts = ? WHERE day = ?",
                    (json.dumps(new, ensure_ascii=False), day),
                )
                changed.add(day)
        return changed

    async def _tx_erase_owned(
        self,
        conn: aiosqlite.Connection,
        where: str,
        args: tuple[object, ...],
        replacement: str,
    ) -> set[str]:
        async with conn.execute(f"SELECT day, line FROM digest_quotes WHERE {where}", args) as cur:
            owned = [(str(row["day"]), str(row["line"])) for row in await cur.fetchall()]
        changed: set[str] = set()
        for day in sorted({day for day, _ in owned}):
            async with conn.execute("SELECT parts FROM digest_runs WHERE day = ?", (day,)) as cur:
                row = await cur.fetchone()
            if row is None:
                continue
            parts = [str(part) for part in json.loads(row["parts"])]
            new = list(parts)
            for line_day, line in owned:
                if line_day == day:
                    new = [replace_line(part, line, replacement) for part in new]
            if new != parts:
                await conn.execute(
                    "UPDATE digest_runs SET parts = ? WHERE day = ?",
                    (json.dumps(new, ensure_ascii=False), day),
                )
                changed.add(day)
        # The record of whose line it was goes with the line (it holds the words too).
        await conn.execute(f"DELETE FROM digest_quotes WHERE {where}", args)
        return changed

    async def record_part(self, day: str, part_index: int, message_ids: list[int]) -> None:
        """Part ``part_index`` (0-based) was delivered as ``message_ids``."""
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT message_ids FROM digest_runs WHERE day = ?", (day,)
            ) as cur:
                row = await cur.fetchone()
            ids = (json.loads(row["message_ids"]) if row else []) + message_ids
            await conn.execute(
                "UPDATE digest_runs SET parts_sent = MAX(parts_sent, ?), message_ids = ? "
                "WHERE day = ?",
                (part_index + 1, json.dumps(ids), day),
            )

    async def record_chart(self, day: str, message_id: int | None) -> None:
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT message_ids FROM digest_runs WHERE day = ?", (day,)
            ) as cur:
                row = await cur.fetchone()
            ids = (json.loads(row["message_ids"]) if row else []) + (
                [message_id] if message_id is not None else []
            )
            await conn.execute(
                "UPDATE digest_runs SET chart_sent = 1, message_ids = ? WHERE day = ?",
                (json.dumps(ids), day),
            )

    async def record_sent(self, day: str, now: int) -> None:
        await self._db.execute(
            "UPDATE digest_runs SET state = ?, sent_at = ?, last_error = NULL WHERE day = ?",
            (RunState.SENT, now, day),
        )

    async def record_failure(self, day: str, error: str, retry_at: int) -> int:
        """Count a failed attempt; returns the number of attempts so far."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE digest_runs SET attempts = attempts + 1, last_error = ?, "
                "next_attempt_at = ? WHERE day = ?",
                (error[:500], retry_at, day),
            )
            async with conn.execute(
                "SELECT attempts FROM digest_runs WHERE day = ?", (day,)
            ) as cur:
                row = await cur.fetchone()
        return int(row["attempts"]) if row else 0


def _replace_matching(text: str, signed: re.Pattern[str], replacement: str) -> str:
    """``text`` with every whole line that ``signed`` matches replaced ("— Member #1" does
    not match the end of "— Member #12")."""
    lines = text.split("\n")
    return "\n".join(replacement if signed.fullmatch(line) else line for line in lines)
