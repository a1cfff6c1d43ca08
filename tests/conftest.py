from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db import Database

# Telegram ids need more than 32 bits; tests use such ids wherever an id is made up.
BIG_USER_ID = 2**32 + 12_345
BIG_CHAT_ID = -(10**12) - 4_242


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "test.db")
    try:
        yield database
    finally:
        await database.close()
