"""Fixtures for end-to-end tests; the helpers they share are in helpers.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.simulation import SimulatedClub, simulated_club


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[SimulatedClub]:
    """A started club with default settings, on its own database (and its own port)."""
    async with simulated_club(tmp_path / "club.db") as started:
        yield started
