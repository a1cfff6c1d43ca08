"""The bot process is killed with SIGKILL again and again during a join wave and chatter.

The bot runs as a real subprocess (``python -m bot run``) against the sandbox in this test
process (real clock, real HTTP). While people redeem codes, join and chat, the test kills the
bot at random moments and starts it again. Afterwards:

* ``PRAGMA integrity_check`` is ok;
* the group never held more members than the cap, and the ledger matches the group;
* every message the sandbox accepted from a member is stored (none lost to a crash);
* each due day's digest, sent before the kills begin, is never sent again by a restart (one
  run per day, state sent, one header).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.i18n import translator
from bot.demo.simulation import BRAND_CHAT_ID, COMMUNITY_CHAT_ID, TOKEN
from bot.sandbox import Sandbox, SandboxError, SimUser

ROOT = Path(__file__).resolve().parents[2]
SEATS = 12
DIGEST_DAYS = 2


def _write_config(path: Path, base_url: str, database: Path) -> None:
    path.write_text(
        f"""
[telegram]
token = "{TOKEN}"
api_base_url = "{base_url}"
community_chat_id = {COMMUNITY_CHAT_ID}
brand_chat_id = {BRAND_CHAT_ID}

[community]
name = "Bakery VIP Club"
max_members = {SEATS}
timezone = "UTC"

[gate]
code_secret = "sigkill-test-secret-key"

[moderation]
# The chatter below is a load generator, not a flood to punish.
flood_messages = 10000

[digest]
time = "00:00:00"
chart = false

[storage]
database = "{database}"

[runtime]
scheduler_seconds = 0.3
polling_timeout = 1
log_level = "WARNING"
""",
        encoding="utf-8",
    )


def _cli(config: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


class BotProcess:
    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--config", str(self.config)],
                cwd=ROOT,
                stdout=out,
                stderr=out,
            )

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _buttons(sb: Sandbox, user: SimUser) -> list[dict[str, Any]]:
    found = []
    for msg in reversed(sb.bot_messages(user)):
        for row in (msg.reply_markup or {}).get("inline_keyboard") or []:
            found.extend(row)
    return found


async def _join(sb: Sandbox, group: Any, user: SimUser, code: str, max_seen: list[int]) -> None:
    """One person: deep link with the code, Accept, open the personal link, join."""
    sb.start_bot(user, code)
    await sb.wait_for(
        lambda: (
            any(
                str(b.get("callback_data", "")).startswith("v1:gate:accept:")
                for b in _buttons(sb, user)
            )
            or any("waitlist" in (m.text or "") for m in sb.bot_messages(user))
        ),
        timeout=60,
    )
    accept_msg, accept_data = None, ""
    for msg in reversed(sb.bot_messages(user)):
        for row in (msg.reply_markup or {}).get("inline_keyboard") or []:
            for button in row:
                if str(button.get("callback_data", "")).startswith("v1:gate:accept:"):
                    accept_msg, accept_data = msg, str(button["callback_data"])
        if accept_msg is not None:
            break
    if accept_msg is None:
        return
    try:
        sb.press_button(user, accept_msg, accept_data)
    except SandboxError:
        return
    await sb.wait_for(
        lambda: (
            any(b.get("url") for b in _buttons(sb, user))
            or any(
                "waitlist" in (m.text or "") or "full" in (m.text or "")
                for m in sb.bot_messages(user)
            )
        ),
        timeout=60,
    )
    link = next((b["url"] for b in _buttons(sb, user) if b.get("url")), None)
    if link is None:
        return
    try:
        sb.join_via_link(user, str(link))
    except SandboxError:
        return
    members = sum(1 for s in sb.members(group).values() if s == "member")
    max_seen[0] = max(max_seen[0], members)


async def _kill_loop(bot: BotProcess, rounds: int, rng: random.Random) -> None:
    for _ in range(rounds):
        await asyncio.sleep(rng.uniform(0.4, 1.5))
        bot.kill()
        bot.start()


async def test_one_sigkill_during_a_small_wave_loses_nothing(tmp_path: Path) -> None:
    # The default run's variant: one kill, a few joiners; the slow ones below kill often.
    await _sigkill_scenario(tmp_path, kills=1, joiners=4, chat_messages=15, seed=5)


@pytest.mark.slow
async def test_sigkill_during_join_wave_and_chatter_loses_nothing(tmp_path: Path) -> None:
    await _sigkill_scenario(tmp_path, kills=4, joiners=16, chat_messages=60, seed=5)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", [6, 7])
async def test_sigkill_many_times_during_a_long_wave(tmp_path: Path, seed: int) -> None:
    await _sigkill_scenario(tmp_path, kills=12, joiners=20, chat_messages=300, seed=seed)


async def _sigkill_scenario(
    tmp_path: Path, *, kills: int, joiners: int, chat_messages: int, seed: int
) -> None:
    rng = random.Random(seed)
    sb = Sandbox(token=TOKEN, bot_username="club_bot")
    await sb.start()
    bot: BotProcess | None = None
    try:
        group = sb.create_supergroup("Bakery VIP Club", chat_id=COMMUNITY_CHAT_ID)
        brand = sb.create_supergroup("Brand team", chat_id=BRAND_CHAT_ID)
        owner = sb.create_user("Olivia", username="olivia_owner")
        sb.add_member(group, owner, status="creator")
        sb.add_member(brand, sb.create_user("Bruno"), status="creator")
        sb.make_bot_admin(
            group,
            can_invite_users=True,
            can_restrict_members=True,
            can_pin_messages=True,
            can_delete_messages=True,
        )
        sb.make_bot_admin(brand)
        database = tmp_path / "club.db"
        config = tmp_path / "config.toml"
        _write_config(config, sb.base_url, database)
        _cli(config, "migrate")
        codes = _cli(config, "codes", "create", "--count", "20", "--label", "wave").split()
        assert len(codes) == 20
        # The digest feature "first ran" a few days ago, so past days' digests are due now.
        today = datetime.now(UTC).date()
        with sqlite3.connect(database) as conn:
            conn.execute(
                "INSERT INTO runtime_facts (key, value, updated_at) VALUES (?, ?, 0)",
                ("digest:first_day", (today - timedelta(days=DIGEST_DAYS)).isoformat()),
            )

        bot = BotProcess(config, tmp_path / "bot.log")
        bot.start()
        # The due digests go out first; every restart after that must not send them again.
        # (A kill inside the few milliseconds between Telegram accepting a digest message and
        # the bot recording it would repeat that one message: the Bot API has no idempotency
        # key, and the digest prefers a rare duplicate to a lost digest. docs/digest.md.)
        await sb.wait_for(
            lambda: (
                sum("Daily digest" in (m.text or "") for m in sb.bot_messages(brand))
                >= DIGEST_DAYS
            ),
            timeout=60,
        )
        # Chatters are early members (silently added, already in the ledger's eyes or not:
        # the feedback store keeps every member message either way).
        chatters = [sb.create_user(f"C{i}", user_id=2**32 + 300 + i) for i in range(4)]
        for person in chatters:
            sb.add_member(group, person)
        people = [sb.create_user(f"J{i}", user_id=2**32 + 500 + i) for i in range(joiners)]
        max_seen = [0]
        sent_ids: list[int] = []

        async def chatter() -> None:
            for i in range(chat_messages):
                person = chatters[i % len(chatters)]
                msg = sb.send_text(person, group, f"The rye loaf number {i} is lovely")
                sent_ids.append(msg.message_id)  # acknowledged by "Telegram"
                await asyncio.sleep(0.03)

        killer = asyncio.create_task(_kill_loop(bot, kills, rng))
        await asyncio.gather(
            chatter(),
            *(
                _join(sb, group, user, code, max_seen)
                for user, code in zip(people, codes, strict=False)
            ),
        )
        await killer
        assert bot.kills == kills
        # Let the last incarnation catch up, then stop it cleanly.
        await sb.wait_idle(timeout=60)
        await asyncio.sleep(1.0)
        await sb.wait_idle(timeout=60)
        bot.stop()

        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = {
                row[0]
                for row in conn.execute(
                    "SELECT message_id FROM feedback_messages WHERE chat_id = ?", (group.id,)
                )
            }
            ledger_members = {
                row[0]
                for row in conn.execute("SELECT user_id FROM gate_seats WHERE state = 'member'")
            }
            seats = conn.execute("SELECT COUNT(*) FROM gate_seats WHERE seat = 1").fetchone()[0]
            runs = conn.execute("SELECT day, state FROM digest_runs ORDER BY day").fetchall()
            pending = conn.execute(
                "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL"
            ).fetchone()[0]
        lost = [mid for mid in sent_ids if mid not in stored]
        assert lost == [], f"{len(lost)} acknowledged messages lost"
        assert pending == 0
        in_group = {uid for uid, s in sb.members(group).items() if s == "member"}
        joined = in_group - {c.id for c in chatters}
        assert max_seen[0] <= SEATS + len(chatters)
        assert 0 < len(joined) <= SEATS and seats <= SEATS
        assert joined == ledger_members
        days = [(today - timedelta(days=back)).isoformat() for back in range(DIGEST_DAYS, 0, -1)]
        assert [day for day, state in runs if state == "sent"] == days
        headers = [m.text or "" for m in sb.bot_messages(brand)]
        for back in range(DIGEST_DAYS, 0, -1):
            day = today - timedelta(days=back)
            header = translator("en").date(day)  # "Friday, November 27, 2026"
            assert sum(header in text for text in headers) == 1, header
    finally:
        if bot is not None:
            bot.stop()
        await sb.stop()
