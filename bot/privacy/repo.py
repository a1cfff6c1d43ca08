"""SQL for data protection: find everything stored about a person, export it, erase it.

Tables are discovered at run time from SQLite's schema, so a table added by a later
migration is covered without touching this file, as long as it names people with the usual
columns. Three kinds of columns point at a person:

* subject columns (``user_id``, ``*_user_id``, ``target_id``, ``member_id``, ``voter_id``,
  ``author_id``, ``redeemed_by``): the row is *about* the person -> erased with them;
* actor columns (``*_by``, ``actor_id``, ``resembles_id``): the person *did* something to
  club content that stays (a poll they created, a code they made) -> the id is replaced by 0,
  "an erased person";
* chat columns (``*chat_id``): a private chat's id is the person's id -> replaced by 0 where
  the row is club content, the row erased where that is the only way (a key collision).

Text is never matched. A member's sentence can also be a poll option, a product's name or
another member's identical words, and a stored copy can be shortened or escaped, so a search
for her texts would damage club content and still miss copies. Every copy of a member's words
or name outside her own rows (a quote in a stored digest or alert) is recorded with its owner
when it is made, and the feature that made it erases it by person (a ``bot.core.erasure``
participant, which retention asks too).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from bot.core.erasure import ErasureParticipant, RetentionParticipant
from bot.db import Database, rows

SUBJECT_COLUMNS = frozenset(
    {"user_id", "target_id", "member_id", "voter_id", "author_id", "redeemed_by"}
)
ACTOR_COLUMNS = frozenset({"actor_id", "resembles_id"})
# Member-written text in a person's own rows: what retention empties.
TEXT_COLUMNS = frozenset({"text", "caption", "body", "content"})
TIME_COLUMNS = ("sent_at", "created_at", "posted_at", "received_at")
# Never exported or erased here: raw updates (payloads are cleared once processed; inbox.py).
SKIPPED_TABLES = frozenset({"inbox"})
ERASED_PERSON = 0


def is_subject(column: str) -> bool:
    return column in SUBJECT_COLUMNS or column.endswith("_user_id")


def is_actor(column: str) -> bool:
    return not is_subject(column) and (column in ACTOR_COLUMNS or column.endswith("_by"))


def is_chat(column: str) -> bool:
    return column.endswith("chat_id")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    notnull: bool
    pk: bool

    @property
    def is_text(self) -> bool:
        return "CHAR" in self.type or "TEXT" in self.type or "CLOB" in self.type


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def subject(self) -> list[str]:
        return [c.name for c in self.columns if is_subject(c.name)]

    @property
    def actor(self) -> list[str]:
        return [c.name for c in self.columns if is_actor(c.name)]

    @property
    def chat(self) -> list[str]:
        return [c.name for c in self.columns if is_chat(c.name)]

    @property
    def person_columns(self) -> list[str]:
        return self.subject + self.actor + self.chat

    @property
    def text_columns(self) -> list[Column]:
        return [c for c in self.columns if c.is_text]


@dataclass
class Erasure:
    """What /forgetme removed: rows per table, ids replaced, quotes erased from stored reports
    (by the participants that own them)."""

    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.deleted.values()) + sum(self.anonymised.values())


# Declared types upper-cased here so ``Column.is_text`` needs no case rules.
_COLUMNS = 'SELECT name, UPPER(type) AS type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid'


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


async def discover(conn: aiosqlite.Connection) -> list[Table]:
    """Every table of the database with its columns (SQLite's own tables left out)."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ) as cursor:
        names = [str(row["name"]) for row in await cursor.fetchall()]
    tables = []
    for name in names:
        # pragma_table_info is PRAGMA table_info as a table: the name goes in as a parameter.
        async with conn.execute(_COLUMNS, (name,)) as cursor:
            columns = tuple(rows.all(Column, await cursor.fetchall()))
        tables.append(Table(name, columns))
    return tables


def _row_dict(row: aiosqlite.Row | sqlite3.Row) -> dict[str, Any]:
    # sqlite3.Row iterates over values, so its keys() are needed here.
    return {key: row[key] for key in row.keys()}  # noqa: SIM118


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def export_person(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row that names this person, table by table, from one consistent snapshot."""
        await self._db.flush()
        found: dict[str, list[dict[str, Any]]] = {}
        async with self._db.transaction() as conn:
            # A transaction only for a consistent snapshot across tables; it writes nothing.
            for table in await discover(conn):
                columns = table.person_columns
                if table.name in SKIPPED_TABLES or not columns:
                    continue
                where = " OR ".join(f"{_quote(c)} = ?" for c in columns)
                async with conn.execute(
                    f"SELECT * FROM {_quote(table.name)} WHERE {where}", [user_id] * len(columns)
                ) as cursor:
                    rows = [_row_dict(row) for row in await cursor.fetchall()]
                if rows:
                    found[table.name] = rows
        return found

    async def erase_person(
        self, user_id: int, participants: Iterable[ErasureParticipant] = (), now: int = 0
    ) -> Erasure:
        """Erase the person everywhere in one transaction (see the module docstring).

        Every registered participant (bot.core.erasure) runs first, inside the transaction, while
        the person's rows still exist; then the generic sweep."""
        # Deferred writes (e.g. tracking's upsert of this very person) land first, so they
        # cannot bring anything back after the erasure.
        await self._db.flush()
        erasure = Erasure()
        async with self._db.transaction() as conn:
            for participant in participants:
                done = await participant.erase_person(conn, user_id, now)
                for name, count in done.items():
                    _add(erasure.scrubbed, name, count)
            tables = [t for t in await discover(conn) if t.name not in SKIPPED_TABLES]
            for table in tables:
                if table.subject:
                    where = " OR ".join(f"{_quote(c)} = ?" for c in table.subject)
                    cursor = await conn.execute(
                        f"DELETE FROM {_quote(table.name)} WHERE {where}",
                        [user_id] * len(table.subject),
                    )
                    _add(erasure.deleted, table.name, cursor.rowcount)
            for table in tables:
                for column in table.actor + table.chat:
                    changed, removed = await _replace_id(conn, table.name, column, user_id)
                    _add(erasure.anonymised, table.name, changed)
                    _add(erasure.deleted, table.name, removed)
        return erasure

    async def erase_old_text(
        self, cutoff: int, participants: Iterable[RetentionParticipant] = ()
    ) -> dict[str, int]:
        """Retention: clear member-written text older than ``cutoff``; rows and scores stay.

        Registered participants (bot.core.erasure) first expire the copies they own (a quote
        in a stored digest); then the text columns of every person's own rows are emptied."""
        cleared: dict[str, int] = {}
        async with self._db.transaction() as conn:
            for participant in participants:
                for name, count in (await participant.expire_text(conn, cutoff)).items():
                    _add(cleared, name, count)
            for table in await discover(conn):
                if table.name in SKIPPED_TABLES or not table.subject:
                    continue
                names = {c.name for c in table.columns}
                time_column = next((t for t in TIME_COLUMNS if t in names), None)
                if time_column is None:
                    continue
                for column in table.text_columns:
                    if column.name not in TEXT_COLUMNS:
                        continue
                    empty = "''" if column.notnull else "NULL"
                    cursor = await conn.execute(
                        f"UPDATE {_quote(table.name)} SET {_quote(column.name)} = {empty} "
                        f"WHERE {_quote(time_column)} < ? AND {_quote(column.name)} IS NOT NULL "
                        f"AND {_quote(column.name)} != ''",
                        (cutoff,),
                    )
                    _add(cleared, f"{table.name}.{column.name}", cursor.rowcount)
        return cleared

    # --- /forgetme questions (see migrations/0011_forget_questions.sql) ------------------
    async def note_question(self, user_id: int, message_id: int, now: int) -> None:
        await self._db.execute(
            "INSERT OR IGNORE INTO forget_questions (user_id, message_id, asked_at) "
            "VALUES (?, ?, ?)",
            (user_id, message_id, now),
        )

    async def question_open(self, user_id: int, message_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM forget_questions WHERE user_id = ? AND message_id = ?",
            (user_id, message_id),
        )
        return row is not None

    async def any_question_open(self, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM forget_questions WHERE user_id = ? LIMIT 1", (user_id,)
        )
        return row is not None

    async def close_question(self, user_id: int, message_id: int) -> bool:
        """Whether the question was still open (it is closed now)."""
        closed = await self._db.execute(
            "DELETE FROM forget_questions WHERE user_id = ? AND message_id = ?",
            (user_id, message_id),
        )
        return closed > 0

    async def clear_processed_payloads(self) -> int:
        """The inbox keeps a raw update only until it is processed; make sure of it."""
        return await self._db.execute(
            "UPDATE inbox SET payload = NULL WHERE processed_at IS NOT NULL "
            "AND payload IS NOT NULL"
        )


def _add(counts: dict[str, int], key: str, value: int) -> None:
    if value > 0:
        counts[key] = counts.get(key, 0) + value


async def _replace_id(
    conn: aiosqlite.Connection, table: str, column: str, user_id: int
) -> tuple[int, int]:
    """Replace the id by 0; rows where that collides with a key are erased instead."""
    cursor = await conn.execute(
        f"UPDATE OR IGNORE {_quote(table)} SET {_quote(column)} = ? WHERE {_quote(column)} = ?",
        (ERASED_PERSON, user_id),
    )
    changed = cursor.rowcount
    removed = 0
    try:
        cursor = await conn.execute(
            f"DELETE FROM {_quote(table)} WHERE {_quote(column)} = ?", (user_id,)
        )
        removed = cursor.rowcount
    except sqlite3.IntegrityError:
        # Other rows still reference it; SQLite undid only this statement.
        pass
    return changed, removed
