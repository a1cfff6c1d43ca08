"""What arrives about a member just erased stays late across a restart of the bot.

A restart within the minutes after /forgetme is exactly when the inbox replays the updates
it stored and never processed (an edit she made before the answer showed, the member
updates of her removal), and when Telegram delivers again what was never confirmed. None of
it may store her again; the window still ends LATE_WINDOW after the erasure.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application, start_application, stop_application
from bot.core.late_window import LATE_WINDOW
from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SimUser
from tests.e2e.helpers import admitted, every_value, last_with

YES = "v1:forget:yes@main"
SAID = "The cardamom knots were lovely this morning"


def hold_member_updates_of(club: SimulatedClub, user: SimUser) -> list[dict[str, Any]]:
    """Telegram's member updates about ``user`` from now on, kept from the bot (the list)."""
    world = club.sandbox.world
    held: list[dict[str, Any]] = []
    enqueue = world.enqueue

    def holding(kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        if kind != "chat_member" or payload["new_chat_member"]["user"]["id"] != user.id:
            return enqueue(kind, payload)
        update = {"update_id": world.next_update_id, kind: payload}
        world.next_update_id += 1
        held.append(update)
        return update

    world.enqueue = holding  # type: ignore[method-assign]
    return held


def stored_unprocessed(db_path: Path, updates: list[dict[str, Any]]) -> None:
    """As the last process left them: in the inbox, never handled (it stopped first)."""
    with sqlite3.connect(db_path) as conn:
        conn.executemany(
            "INSERT INTO inbox (update_id, payload, received_at) VALUES (?, ?, 0)",
            [(u["update_id"], json.dumps(u)) for u in updates],
        )


def unprocessed(db_path: Path) -> list[int]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT update_id FROM inbox WHERE processed_at IS NULL").fetchall()
    return [row[0] for row in rows]


async def start_again(club: SimulatedClub) -> None:
    club.app = await build_application(club.app.settings, clock=club.clock)
    club._watch_bot()
    await start_application(club.app)
    await club.settle()


async def erased(club: SimulatedClub, name: str) -> tuple[SimUser, Any]:
    """A member who said something in the group, then erased herself (the Yes pressed)."""
    sb = club.sandbox
    ada = await admitted(club, name)
    sb.start_bot(ada)
    said = sb.send_text(ada, club.group, SAID)
    sb.send_text(ada, ada, "/forgetme")
    await club.settle()
    question, _ = last_with(club, ada, YES)
    sb.press_button(ada, question, YES)
    return ada, said


def cells_naming(db_path: Path, user: SimUser) -> list[tuple[str, str, Any]]:
    return [cell for cell in every_value(db_path) if cell[2] == user.id]


async def test_late_updates_replayed_after_a_restart_do_not_store_her_again(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        sb = club.sandbox
        ada, said = await erased(club, "Adalberta")
        # The ban and unban that take her out of the group: their updates reach the inbox,
        # and the bot stops before handling them.
        removal = hold_member_updates_of(club, ada)
        await club.settle()
        assert len(removal) == 2 and cells_naming(db_path, ada) == []
        await stop_application(club.app)
        club.clock.advance(timedelta(minutes=3))
        # An edit she made before the answer showed: stored, never handled, and still at
        # Telegram (never confirmed), which delivers it again.
        sb.edit_text(said, SAID + ", truly")
        stored_unprocessed(db_path, removal + sb.pending_updates)
        sb.block_bot(ada)  # and she blocks the bot, as people do after "forget me"
        await start_again(club)
        assert unprocessed(db_path) == []  # all of it was handled
        assert await club.services.people.get(ada.id) is None
        assert cells_naming(db_path, ada) == []
        # Her removal is no ban: a code brings her back (the gate keeps no ban of her).
        assert await club.services.db.fetchall("SELECT * FROM ban_list") == []


async def test_the_window_read_back_at_a_restart_still_ends_in_its_time(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        sb = club.sandbox
        ada, said = await erased(club, "Adalberta")
        await club.settle()
        await club.restart()
        club.clock.advance(LATE_WINDOW + timedelta(seconds=1))
        # Over: what arrives about her is news again (an edit counts as her activity).
        sb.edit_text(said, SAID + ", truly")
        await club.settle()
        assert await club.services.people.get(ada.id) is not None
        assert await club.services.db.fetchall("SELECT * FROM recent_erasures") == []
