"""``python -m bot codes create|list|revoke`` and the digest's members section."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.core.digest_api import DayWindow
from bot.db import Database
from bot.demo.simulation import club_settings
from bot.digest.sections import section_providers
from bot.gate.digest import members_section
from bot.gate.repo import GateRepository

CONFIG = """
[telegram]
token = "123456:SECRET-TOKEN"
community_chat_id = -1001234567890
brand_chat_id = -1009876543210

[community]
max_members = 3

[gate]
code_secret = "cli-test-secret-key"

[storage]
database = "{db}"
"""

CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
CODE_LINE = re.compile(r"uses? left")  # a line of `codes list` for one code


def test_codes_create_list_revoke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in __import__("os").environ if k.startswith("BOT_")]:
        monkeypatch.delenv(key)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(db=tmp_path / "club.db"), encoding="utf-8")
    out_csv = tmp_path / "codes.csv"
    argv = [
        "codes",
        "create",
        "--config",
        str(config),
        "--count",
        "4",
        "--uses",
        "2",
        "--label",
        "flyer",
        "--expires",
        "14d",
        "--csv",
        str(out_csv),
    ]
    assert main(argv) == 0
    made = capsys.readouterr().out.split()
    assert len(made) == 4 and all(CODE.match(code) for code in made)
    with out_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["code"] for row in rows] == made and rows[0]["label"] == "flyer"

    assert main(["codes", "list", "--config", str(config)]) == 0
    listing = capsys.readouterr().out
    assert listing.count("flyer") == 4 and "2/2 uses left" in listing
    assert not any(code in listing for code in made)

    assert main(["codes", "revoke", "--config", str(config), "flyer"]) == 0
    assert "Revoked 4" in capsys.readouterr().err
    assert main(["codes", "revoke", "--config", str(config), "flyer"]) == 1
    assert main(["codes", "create", "--config", str(config), "--count", "0"]) == 2
    assert (
        main(["codes", "create", "--config", str(config), "--count", "1", "--expires", "soon"])
        == 2
    )


def test_an_unwritable_csv_makes_no_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Codes are stored only as hashes: made and not shown, they would be live and unknown."""
    for key in [k for k in __import__("os").environ if k.startswith("BOT_")]:
        monkeypatch.delenv(key)
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(db=tmp_path / "club.db"), encoding="utf-8")
    missing = tmp_path / "no such folder" / "codes.csv"
    argv = ["codes", "create", "--config", str(config), "--count", "3", "--csv", str(missing)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "--csv" in captured.err and captured.out == ""
    assert main(["codes", "list", "--config", str(config)]) == 0
    assert not CODE_LINE.search(capsys.readouterr().out)


async def test_members_section(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "club.db")
    try:
        repo = GateRepository(db)
        window = DayWindow.for_day(date(2026, 12, 1), ZoneInfo("UTC"))
        t = window.start + 3600
        async with db.transaction() as conn:
            for uid, label in ((2**32 + 1, "flyer"), (2**32 + 2, "flyer"), (2**32 + 3, "event")):
                await repo.tx_upsert_seat(
                    conn,
                    user_id=uid,
                    code_id=None,
                    label=label,
                    state="member",
                    seat=True,
                    now=t,
                    joined_at=t,
                )
                await repo.tx_event(conn, uid, "joined", label, t)
            await repo.tx_upsert_seat(
                conn,
                user_id=2**32 + 4,
                code_id=None,
                label="flyer",
                state="waiting",
                seat=False,
                now=t,
                queue_no=1,
            )
            await repo.tx_event(conn, 2**32 + 3, "left", "event", t + 10)
            await repo.tx_event(conn, 2**32 + 9, "joined", "old", window.start - 10)
        settings = club_settings(
            tmp_path / "club.db", "http://127.0.0.1:1/bot", community={"max_members": 5}
        )
        section = await members_section(db, window, settings)
        assert section.data["members"] == 3 and section.data["free_seats"] == 2
        assert section.data["joins_by_label"] == {"flyer": 2, "event": 1}
        assert section.data["left"] == 1 and section.data["waitlist"] == 1
        assert members_section in section_providers()
    finally:
        await db.close()
