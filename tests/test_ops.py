"""python -m bot backup / export: a consistent copy while the bot runs, and the export formats."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from bot.basics.ops import integrity
from bot.cli import main
from bot.demo.simulation import simulated_club

ADA_ID = 2**32 + 77


def write_config(tmp_path: Path, database: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        "[telegram]\n"
        'token = "123456:TEST-token"\n'
        "community_chat_id = -1001\n"
        "brand_chat_id = -1002\n"
        "[storage]\n"
        f'database = "{database.as_posix()}"\n'
        "[runtime]\n"
        'log_level = "WARNING"\n',
        encoding="utf-8",
    )
    return config


async def test_backup_while_messages_stream_in_passes_integrity_check(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    # A chatty stream, not a flood: lift flood control for this test.
    async with simulated_club(db_path, moderation={"flood_messages": 100_000}) as club:
        ada = club.sandbox.create_user("Ada", user_id=ADA_ID)
        club.sandbox.add_member(club.group, ada)
        sent = 0
        stop = asyncio.Event()

        async def chatter() -> None:
            nonlocal sent
            while not stop.is_set():
                club.sandbox.send_text(ada, club.group, f"Loving the new croissant #{sent}")
                sent += 1
                await asyncio.sleep(0.002)

        streaming = asyncio.create_task(chatter())
        try:
            await club.sandbox.wait_for(lambda: sent > 50)
            # Messages are written in batches (scored in the worker first): wait for the first
            # batch on disk, so the copies are taken mid-stream with rows in them.
            while not await club.features.feedback.repo.count(club.group.id):  # noqa: ASYNC110 - polling the database is the point
                await asyncio.sleep(0.01)
            # The CLI's path: its own connection to the live file (another process in real
            # life), plus the bot's own Database.backup_to, both mid-stream.
            config = write_config(tmp_path, db_path)
            exit_code = await asyncio.to_thread(
                main, ["backup", "--config", str(config), "--out", str(tmp_path / "cli.db")]
            )
            await club.services.db.backup_to(tmp_path / "live.db")
            await club.sandbox.wait_for(lambda: sent > 120)
        finally:
            stop.set()
            await streaming
        await club.settle()
        assert exit_code == 0
        assert sent > 120

    for copy in (tmp_path / "cli.db", tmp_path / "live.db"):
        assert integrity(copy) == "ok"
        conn = sqlite3.connect(copy)
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            (messages,) = conn.execute("SELECT COUNT(*) FROM feedback_messages").fetchone()
            (updates,) = conn.execute("SELECT COUNT(*) FROM inbox").fetchone()
        finally:
            conn.close()
        assert version >= 5  # every migration, including ours
        assert 0 < messages <= sent and updates > 0  # taken mid-stream


def test_backup_refuses_to_overwrite_and_needs_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, tmp_path / "missing.db")
    assert main(["backup", "--config", str(config), "--out", str(tmp_path / "b.db")]) == 1
    assert "no database" in capsys.readouterr().err
    existing = tmp_path / "b.db"
    existing.write_text("keep me")
    assert main(["backup", "--config", str(config), "--out", str(existing)]) == 1
    assert existing.read_text() == "keep me"


async def test_export_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        ada = club.sandbox.create_user("Ada", user_id=ADA_ID)
        club.sandbox.add_member(club.group, ada)
        club.sandbox.send_text(ada, club.group, 'The rye loaf, with a "crust", is perfect')
        await club.settle()
    config = write_config(tmp_path, db_path)
    capsys.readouterr()

    assert (
        await asyncio.to_thread(
            main, ["export", "--config", str(config), "--what", "messages", "--format", "csv"]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["text"] for row in rows] == ['The rye loaf, with a "crust", is perfect']
    assert rows[0]["member"] == "Member #1" and "user_id" not in rows[0]  # pseudonymised
    assert rows[0]["sent_at"].endswith("+00:00")  # ISO 8601, UTC

    assert (
        await asyncio.to_thread(
            main,
            [
                "export",
                "--config",
                str(config),
                "--what",
                "messages",
                "--format",
                "json",
                "--with-ids",
            ],
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data[0]["user_id"] == ADA_ID

    out = tmp_path / "codes.json"
    for what in ("members", "codes", "polls", "previews"):
        assert (
            await asyncio.to_thread(
                main,
                [
                    "export",
                    "--config",
                    str(config),
                    "--what",
                    what,
                    "--format",
                    "json",
                    "--out",
                    str(out),
                ],
            )
            == 0
        )
        assert isinstance(json.loads(out.read_text()), list)
