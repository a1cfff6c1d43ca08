"""Telegram unreachable at start-up: scheduled work runs once waiting has gone on too long,
whatever the tick's interval (the simulation's is an hour), and not before."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import start_application
from bot.core import backlog as backlog_module
from bot.core import timer
from bot.core.bookkeeping import InboxBookkeeping
from bot.demo.simulation import simulated_club


@pytest.mark.slow  # the give-up itself: tests/test_backlog.py::test_waiting_stops_after_the_limit
async def test_scheduled_work_runs_after_the_wait_limit_while_getupdates_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backlog_module, "WAIT_LIMIT", 1.5)
    ticks: list[bool] = []
    run_due_work = timer.run_due_work

    async def counted(app: InboxBookkeeping) -> None:
        ticks.append(True)
        await run_due_work(app)

    monkeypatch.setattr(timer, "run_due_work", counted)
    async with simulated_club(tmp_path / "club.db", start=False) as club:
        club.sandbox.faults.fail_next("getUpdates", status=502, times=1_000)
        await start_application(club.app)
        await asyncio.sleep(0.5)
        assert ticks == []  # still waiting for the backlog
        for _ in range(50):
            if ticks:
                break
            await asyncio.sleep(0.1)
        assert ticks, "no tick after the wait limit"
        club.sandbox.faults.clear()
