"""/forgetme erases by person (digest quotes of every shape), keeps a ban, clears memory,
and leaves nothing in the database files; kicks and unbans need a new code."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.demo.simulation import SimulatedClub, simulated_club
from bot.sandbox import SimUser
from tests.e2e.helpers import admitted, every_value, last_with

ZED_ID = 2**32 + 777_001
NAME = "Zephyrine"
LONG = (
    "Wonderful wonderful croissant, the best I ever had in my whole life and I mean that "
    "sincerely because every flaky layer tasted of real butter and the crust shattered "
    "perfectly like glass while the inside stayed soft and the almond filling was generous "
    "and sweet without being cloying at all, truly excellent work by the whole bakery team"
)
SHAPES = [
    LONG,  # longer than the digest's quote length: the digest stores a shortened copy
    "Amazing sourdough today\nsecond line is great too\nthird line lovely as well",
    'Délicieux «pain» aux "raisins" — wonderful ünd perfect',  # non-ASCII with a quote mark
    "[great] brioche bun, really wonderful and happy",
    "{superb} rye loaf, genuinely excellent and happy",
    "Love it!!",  # shorter than 12 characters
    "Terrible bitter coffee, awful burnt horrible taste today",
]
EDITED_TO = "Now I say something else entirely about the awful terrible bad coffee"


def windows(text: str) -> list[str]:
    words = text.split()
    if len(words) <= 6:
        return [text]
    return [" ".join(words[i : i + 6]) for i in range(len(words) - 5)]


def fragments() -> list[str]:
    found = set()
    for text in [*SHAPES, EDITED_TO]:
        for window in windows(text):
            found |= {window, html.escape(window, quote=False), html.escape(window)}
            found.add(json.dumps(window)[1:-1])
    return sorted(found)


def leftovers(db_path: Path) -> list[str]:
    found = []
    needles = fragments()
    for table, column, value in every_value(db_path):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        if value == ZED_ID or str(ZED_ID) in text:
            found.append(f"{table}.{column}: id")
        if NAME in text:
            found.append(f"{table}.{column}: name")
        found += [f"{table}.{column}: {n!r}" for n in needles if n in text]
    for path in (db_path, Path(f"{db_path}-wal")):
        if path.exists():
            raw = path.read_bytes()
            if NAME.encode() in raw:
                found.append(f"{path.name}: name bytes")
            found += [f"{path.name}: {n!r}" for n in needles if n.encode() in raw]
    return found


async def quoted_in_a_digest(club: SimulatedClub) -> SimUser:
    sb = club.sandbox
    zed = await admitted(club, NAME, ZED_ID)
    sent = [sb.send_text(zed, club.group, text) for text in SHAPES]
    await club.settle()
    club.clock.set(datetime(2026, 12, 2, 9, 1, tzinfo=UTC))
    await club.tick()
    parts = await club.services.db.fetchone("SELECT parts FROM digest_runs")
    assert parts is not None and NAME in parts[0]  # show_names: quoted by name
    # Edited after it was quoted: the stored digest still holds the old words.
    sb.edit_text(sent[-1], EDITED_TO)
    await club.settle()
    return zed


async def forget(club: SimulatedClub, user: SimUser) -> str:
    sb = club.sandbox
    sb.send_text(user, user, "/forgetme")
    await club.settle()
    msg, yes = last_with(club, user, "v1:forget:yes")
    sb.press_button(user, msg, yes)
    await sb.wait_for(lambda: "has forgotten you" in (sb.bot_messages(user)[-1].text or ""))
    await club.settle()
    return sb.bot_messages(user)[-1].text or ""


async def test_forgetme_erases_every_quote_shape_from_stored_digests(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(
        db_path, digest={"time": "09:00", "quotes": 10, "show_names": True}
    ) as club:
        zed = await quoted_in_a_digest(club)
        assert leftovers(db_path), "the scan must see her before the erasure"
        summary = await forget(club, zed)
        assert "quotes of your words removed from 1 stored report" in summary
        # No explicit checkpoint here: the erasure itself must leave nothing in the WAL.
        assert leftovers(db_path) == []
        parts = await club.services.db.fetchone("SELECT parts FROM digest_runs")
        assert parts is not None and "erased at the member" in parts[0]


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_a_ban_survives_erasure_and_unban_lifts_it(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        sb = club.sandbox
        gate = club.features.gate
        zed = await admitted(club, NAME, ZED_ID)
        sb.send_text(club.owner, club.group, f"/ban {ZED_ID} spam")
        await club.settle()
        await forget(club, zed)
        cells = every_value(db_path)
        assert not any(v == ZED_ID or str(ZED_ID) in str(v) for _, _, v in cells)
        assert [c for c in cells if c[0] == "ban_list" and c[1] == "user_hash"]
        # A fresh campaign code does not bring the erased, banned account back.
        (code,) = await gate.create_codes(1, 1, "flyer", None, club.owner.id)
        sb.start_bot(zed, code)
        await club.settle()
        assert "can't bring you back" in (sb.bot_messages(zed)[-1].text or "")
        assert not any(
            "v1:gate:accept" in json.dumps(m.reply_markup or {}) for m in sb.bot_messages(zed)[-1:]
        )
        # /unban by id, right after /forgetme (a banned member is not removed by it, so the
        # unban's member update is no echo of the erasure), lifts it: the same code now works.
        sb.send_text(club.owner, club.group, f"/unban {ZED_ID}")
        await club.settle()
        assert every_value(db_path) and not [c for c in every_value(db_path) if c[0] == "ban_list"]
        sb.start_bot(zed, code)
        await club.settle()
        last_with(club, zed, "v1:gate:accept:")


@pytest.mark.usefixtures("private_replies_unthrottled")
async def test_unban_lifts_the_surviving_ban_without_waiting_for_telegrams_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        zed = await admitted(club, NAME, ZED_ID)
        sb.send_text(club.owner, club.group, f"/ban {ZED_ID} spam")
        await club.settle()
        await forget(club, zed)
        assert await club.services.db.fetchall("SELECT * FROM ban_list")
        # The unban's chat_member update never comes (lost, or not subscribed to): the
        # moderator is told the ban is lifted, so the gate's ban is lifted with it.
        enqueue = sb.world.enqueue

        def losing_member_updates(kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
            return None if kind == "chat_member" else enqueue(kind, payload)

        monkeypatch.setattr(sb.world, "enqueue", losing_member_updates)
        sb.send_text(club.owner, club.group, f"/unban {ZED_ID}")
        await club.settle()
        assert "no longer banned" in (sb.bot_messages(club.group)[-1].text or "")
        assert await club.services.db.fetchall("SELECT * FROM ban_list") == []


async def test_only_the_removal_forgetme_made_counts_as_its_echo(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        privacy = club.features.privacy
        ada = await admitted(club, "Ada")
        zed = await admitted(club, NAME, ZED_ID)
        sb.send_text(club.owner, club.group, f"/ban {ZED_ID} spam")
        await club.settle()
        # Zed, banned, is not removed by /forgetme: nothing of his later is an echo.
        await forget(club, zed)
        assert not privacy.is_echo_of_forget(ZED_ID, "kicked", "left")
        # Ada is removed (ban + unban): those two updates are the echo, and nothing after.
        await forget(club, ada)
        assert sb.member_status(club.group, ada) == "left"
        assert not privacy.is_echo_of_forget(ada.id, "member", "kicked")  # both came already
        assert not privacy.is_echo_of_forget(ada.id, "left", "kicked")  # a later /ban: news


async def test_forgetme_clears_the_gates_memory(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        sb = club.sandbox
        zed = sb.create_user(NAME, user_id=ZED_ID)
        sb.start_bot(zed)
        await club.settle()
        gate = club.features.gate
        gate.awaiting_code.add(ZED_ID)  # as after her join request on the shared link
        await forget(club, zed)
        assert ZED_ID not in gate.awaiting_code
        sb.send_text(zed, zed, "hello")
        await club.settle()
        failures = await club.services.db.fetchall(
            "SELECT * FROM gate_failures WHERE user_id = ?", (ZED_ID,)
        )
        assert failures == []


async def seat_states(club: SimulatedClub) -> dict[int, str]:
    rows = await club.services.db.fetchall("SELECT user_id, state FROM gate_seats")
    return {int(r[0]): str(r[1]) for r in rows}


async def test_kicked_or_unbanned_member_needs_a_new_code_and_frees_the_seat(
    tmp_path: Path,
) -> None:
    async with simulated_club(tmp_path / "club.db", community={"max_members": 2}) as club:
        sb = club.sandbox
        ada = await admitted(club, "Ada", 2**32 + 1)
        ben = await admitted(club, "Ben", 2**32 + 2)
        # The club is full: Cleo and Dan go on the waitlist.
        gate = club.features.gate
        waiting = []
        for name, uid in (("Cleo", 2**32 + 3), ("Dan", 2**32 + 4)):
            (code,) = await gate.create_codes(1, 1, "flyer", None, club.owner.id)
            user = sb.create_user(name, user_id=uid)
            sb.start_bot(user, code)
            await club.settle()
            msg, data = last_with(club, user, "v1:gate:accept:")
            sb.press_button(user, msg, data)
            await club.settle()
            waiting.append(user)
        assert (await seat_states(club))[waiting[0].id] == "waiting"

        sb.send_text(club.owner, club.group, f"/kick {ada.id} rude")
        await club.settle()
        states = await seat_states(club)
        assert ada.id not in states  # a stranger to the ledger again
        assert states[waiting[0].id] == "reserved"  # her seat went to the waitlist at once
        sb.send_text(ada, ada, "/join")
        await club.settle()
        assert "send your invite code" in (sb.bot_messages(ada)[-1].text or "")
        assert not any(
            "http" in json.dumps(m.reply_markup or {}) for m in sb.bot_messages(ada)[-1:]
        )

        sb.send_text(club.owner, club.group, f"/ban {ben.id}")
        await club.settle()
        assert (await seat_states(club))[waiting[1].id] == "reserved"
        sb.send_text(club.owner, club.group, f"/unban {ben.id}")
        await club.settle()
        assert ben.id not in await seat_states(club)
        sb.send_text(ben, ben, "/join")
        await club.settle()
        assert "send your invite code" in (sb.bot_messages(ben)[-1].text or "")

        kinds = await club.services.db.fetchall(
            "SELECT user_id, kind FROM gate_events WHERE kind IN "
            "('kicked', 'banned', 'unbanned', 'left', 'erased')"
        )
        assert {(int(r[0]), str(r[1])) for r in kinds} >= {
            (ada.id, "kicked"),
            (ben.id, "banned"),
            (ben.id, "unbanned"),
        }
        assert (ada.id, "banned") not in {(int(r[0]), str(r[1])) for r in kinds}
        await club.advance(timedelta(seconds=1))


async def test_erasure_frees_the_seat_and_records_it_without_the_person(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db", community={"max_members": 1}) as club:
        sb = club.sandbox
        zed = await admitted(club, NAME, ZED_ID)
        gate = club.features.gate
        (code,) = await gate.create_codes(1, 1, "radio", None, club.owner.id)
        ben = sb.create_user("Ben", user_id=2**32 + 2)
        sb.start_bot(ben, code)
        await club.settle()
        msg, data = last_with(club, ben, "v1:gate:accept:")
        sb.press_button(ben, msg, data)
        await club.settle()
        assert (await seat_states(club))[ben.id] == "waiting"
        await forget(club, zed)
        assert (await seat_states(club))[ben.id] == "reserved"
        assert "seat" in (sb.bot_messages(ben)[-1].text or "")
        erased = await club.services.db.fetchall(
            "SELECT user_id, label FROM gate_events WHERE kind = 'erased'"
        )
        assert [(r[0], r[1]) for r in erased] == [(0, "flyer")]


async def test_a_typed_code_leaves_no_trace_in_the_database_files(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        sb = club.sandbox
        gate = club.features.gate
        (code,) = await gate.create_codes(1, 1, "flyer", None, club.owner.id)
        ada = sb.create_user("Ada")
        sb.start_bot(ada, code)
        await club.settle()
        last_with(club, ada, "v1:gate:accept:")
        for path in (db_path, Path(f"{db_path}-wal")):
            raw = path.read_bytes() if path.exists() else b""
            assert code.encode() not in raw, path.name
            assert code.replace("-", "").encode() not in raw, path.name
