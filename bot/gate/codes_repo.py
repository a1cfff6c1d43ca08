"""SQL for the gate's invite codes (table gate_codes): issuing, reading, counting a use,
revoking; the gate's own and those another feature (referrals) issues in its transaction.

Methods that take ``conn`` run inside a caller's ``db.transaction()``, so a code's use is
counted under the same write lock as the seat it grants. GateRepository (repo.py) builds on
this class, so callers reach codes and seats through one repository.
"""

from __future__ import annotations

import aiosqlite

from bot.db import rows
from bot.db.connection import Database, fetch_one_in
from bot.gate.records import Code

# Names come from the record's fields, never from input (see bot.db.rows).
_CODE = f"SELECT {rows.columns(Code)} FROM gate_codes"


class CodeRows:
    db: Database

    # --- codes -----------------------------------------------------------------------------
    async def insert_codes(
        self,
        hashes: list[str],
        label: str,
        max_uses: int,
        expires_at: int | None,
        created_by: int | None,
        now: int,
    ) -> list[int]:
        ids: list[int] = []
        async with self.db.transaction() as conn:
            for code_hash in hashes:
                cursor = await conn.execute(
                    "INSERT INTO gate_codes (code_hash, label, max_uses, expires_at, created_at,"
                    " created_by) VALUES (?, ?, ?, ?, ?, ?)",
                    (code_hash, label, max_uses, expires_at, now, created_by),
                )
                ids.append(int(cursor.lastrowid or 0))
        return ids

    async def code_by_hash(self, code_hash: str) -> Code | None:
        row = await self.db.fetchone(_CODE + " WHERE code_hash = ?", (code_hash,))
        return rows.maybe(Code, row)

    async def code_by_id(self, code_id: int) -> Code | None:
        row = await self.db.fetchone(_CODE + " WHERE id = ?", (code_id,))
        return rows.maybe(Code, row)

    async def tx_code(self, conn: aiosqlite.Connection, code_id: int) -> Code | None:
        row = await fetch_one_in(conn, _CODE + " WHERE id = ?", (code_id,))
        return rows.maybe(Code, row)

    async def tx_use_code(self, conn: aiosqlite.Connection, code_id: int) -> None:
        await conn.execute("UPDATE gate_codes SET uses = uses + 1 WHERE id = ?", (code_id,))

    async def list_codes(self, limit: int = 200) -> list[Code]:
        found = await self.db.fetchall(_CODE + " ORDER BY id DESC LIMIT ?", (limit,))
        return rows.all(Code, found)

    async def revoke_codes(self, code_id: int | None, label: str | None, now: int) -> int:
        """End codes by id or by label; returns how many were still live."""
        if code_id is not None:
            return await self.db.execute(
                "UPDATE gate_codes SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (now, code_id),
            )
        return await self.db.execute(
            "UPDATE gate_codes SET revoked_at = ? WHERE label = ? COLLATE NOCASE "
            "AND revoked_at IS NULL",
            (now, label),
        )

    # --- for other features (referrals): codes issued inside the caller's transaction -------
    async def tx_insert_code(
        self,
        conn: aiosqlite.Connection,
        code_hash: str,
        label: str,
        max_uses: int,
        expires_at: int | None,
        now: int,
    ) -> int:
        cursor = await conn.execute(
            "INSERT INTO gate_codes (code_hash, label, max_uses, expires_at, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (code_hash, label, max_uses, expires_at, now),
        )
        return int(cursor.lastrowid or 0)

    async def tx_revoke_code(self, conn: aiosqlite.Connection, code_id: int, now: int) -> None:
        await conn.execute(
            "UPDATE gate_codes SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (now, code_id),
        )


__all__ = ["CodeRows"]
