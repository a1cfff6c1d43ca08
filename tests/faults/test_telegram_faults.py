"""What Telegram does on bad days, injected through the sandbox; the club must hold.

Each test makes the sandbox misbehave (429 flood waits, 5xx from the front end, slow answers,
dropped connections, a blocked member, a group upgraded to a supergroup, updates delivered
twice and out of order) and checks what people see and what is stored.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from telegram import Update

from bot.demo.simulation import SimulatedClub, simulated_club

NEW_SUPERGROUP_ID = -1_009_999_000_001
# How the bot's answer to a plain /start begins (bot.basics.help.greet).
STARTED_ANSWER = "Hello!"


def _statuses(club: SimulatedClub, method: str) -> list[int | None]:
    return [r.status for r in club.sandbox.requests if r.method == method]


def _texts(club: SimulatedClub, chat: object) -> list[str]:
    """What the bot sent in a chat, leaving out its answer to a person's own /start."""
    return [
        m.text or ""
        for m in club.sandbox.bot_messages(chat)  # type: ignore[arg-type]
        if not (m.text or "").startswith(STARTED_ANSWER)
    ]


async def test_flood_wait_is_respected_then_the_message_goes_out(tmp_path: Path) -> None:
    """Telegram answers 429 retry_after=1: nothing is sent inside the window, then it is."""
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada", user_id=2**32 + 1)
        club.sandbox.start_bot(ada)
        await club.settle()
        club.sandbox.faults.fail_next("sendMessage", status=429, retry_after=1)
        await club.services.messenger.dm(ada.id, "Fresh croissants at 8")
        assert _texts(club, ada).count("Fresh croissants at 8") == 1
        assert _statuses(club, "sendMessage")[-2:] == [429, 200]
        # The sandbox records any request made before retry_after ran out.
        assert club.sandbox.rate_violations == []


async def test_flood_wait_pauses_every_send_not_only_the_refused_one(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        people = [club.sandbox.create_user(f"M{i}", user_id=2**32 + 10 + i) for i in range(3)]
        for person in people:
            club.sandbox.start_bot(person)
        await club.settle()
        club.sandbox.faults.fail_next("sendMessage", status=429, retry_after=1)
        for person in people:
            await club.services.messenger.dm(person.id, "Teaser")
        assert all(_texts(club, p) == ["Teaser"] for p in people)
        assert club.sandbox.rate_violations == []


# One status in the default run (each costs two real retry back-offs); all four in the slow set.
@pytest.mark.parametrize(
    "status",
    [
        pytest.param(500, marks=pytest.mark.slow),
        502,
        pytest.param(503, marks=pytest.mark.slow),
        pytest.param(504, marks=pytest.mark.slow),
    ],
)
async def test_server_errors_are_retried_and_delivered_once(tmp_path: Path, status: int) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada", user_id=2**32 + 2)
        club.sandbox.start_bot(ada)
        await club.settle()
        club.sandbox.faults.fail_next("sendMessage", status=status, times=2)
        await club.services.messenger.dm(ada.id, "Your seat is confirmed")
        assert _texts(club, ada) == ["Your seat is confirmed"]
        assert _statuses(club, "sendMessage")[-3:] == [status, status, 200]


async def test_dropped_connection_is_retried_and_delivered_once(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        club.sandbox.faults.drop_next("sendMessage")
        await club.services.messenger.to_community("Poll closes tonight")
        assert _texts(club, club.group) == ["Poll closes tonight"]


async def test_a_slow_answer_is_waited_for_not_repeated(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        club.sandbox.faults.delay_next("sendMessage", seconds=0.5)
        await club.services.messenger.to_community("Slow but sure")
        assert _texts(club, club.group) == ["Slow but sure"]
        assert _statuses(club, "sendMessage") == [200]


async def test_a_timeout_is_retried_at_least_once_semantics(tmp_path: Path) -> None:
    """The answer is lost after Telegram acted: the retry may post a second copy.

    The Bot API has no idempotency key, so the bot chooses at-least-once for sends (see
    bot/core/ratelimit.py): the message is never lost; a duplicate is the documented price.
    """
    async with simulated_club(tmp_path / "club.db") as club:
        club.sandbox.faults.delay_next("sendMessage", seconds=0.6)
        await club.services.messenger.to_community("Opening hours", read_timeout=0.2)
        await club.sandbox.wait_for(lambda: len(_texts(club, club.group)) == 2)
        assert set(_texts(club, club.group)) == {"Opening hours"}
        assert len(club.sandbox.requests) >= 2


async def test_a_server_error_on_get_updates_loses_no_update(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        ada = club.sandbox.create_user("Ada", user_id=2**32 + 3)
        club.sandbox.faults.fail_next("getUpdates", status=502, times=2)
        club.sandbox.faults.drop_next("getUpdates")
        club.sandbox.start_bot(ada)
        club.sandbox.send_text(ada, ada, "/help")
        await club.sandbox.wait_for(
            lambda: any("/help" in t for t in _texts(club, ada)), timeout=15
        )


async def test_blocked_member_is_marked_and_others_still_served(tmp_path: Path) -> None:
    async with simulated_club(tmp_path / "club.db") as club:
        people = [club.sandbox.create_user(f"M{i}", user_id=2**32 + 20 + i) for i in range(4)]
        for person in people:
            club.sandbox.start_bot(person)
        await club.settle()
        club.sandbox.block_bot(people[1])
        await club.settle()
        results = [await club.services.messenger.dm(p.id, "Preview: rye loaf") for p in people]
        assert results[1] is None
        assert [r is not None for r in results] == [True, False, True, True]
        for i, person in enumerate(people):
            assert _texts(club, person).count("Preview: rye loaf") == (0 if i == 1 else 1)
        blocked = await club.services.people.get(people[1].id)
        assert blocked is not None and blocked.blocked_bot_at is not None


async def test_group_upgraded_to_supergroup_follows_the_new_id(tmp_path: Path) -> None:
    db_path = tmp_path / "club.db"
    async with simulated_club(db_path) as club:
        old_id = club.group.id
        new_group = club.sandbox.migrate_group_to_supergroup(club.group, NEW_SUPERGROUP_ID)
        await club.settle()
        await club.services.messenger.to_community("Tasting on Friday")
        assert _texts(club, new_group) == ["Tasting on Friday"]
        assert club.services.chats.community_id == NEW_SUPERGROUP_ID
        stored = await club.services.facts.get("community_chat_id")
        assert stored == str(NEW_SUPERGROUP_ID)
        # Later sends go straight to the new id: no second round trip through the old one.
        before = sum(
            1
            for r in club.sandbox.requests
            if r.method == "sendMessage" and str(r.params.get("chat_id")) == str(old_id)
        )
        await club.services.messenger.to_community("Second note")
        after = sum(
            1
            for r in club.sandbox.requests
            if r.method == "sendMessage" and str(r.params.get("chat_id")) == str(old_id)
        )
        assert after == before
        # A restart keeps the new id although the config still names the old one.
        await club.restart()
        assert club.services.chats.community_id == NEW_SUPERGROUP_ID


def _help_update(update_id: int, user_id: int, message_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "P"},
            "from": {"id": user_id, "is_bot": False, "first_name": "P"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


def _group_update(
    club: SimulatedClub, update_id: int, user_id: int, message_id: int, text: str
) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": int(club.clock.now().timestamp()),
            "chat": {"id": club.group.id, "type": "supergroup", "title": "Bakery VIP Club"},
            "from": {"id": user_id, "is_bot": False, "first_name": "P"},
            "text": text,
        },
    }


async def test_updates_twice_and_out_of_order_have_one_effect_each(tmp_path: Path) -> None:
    """Webhook retries and replays after a crash deliver duplicates in any order."""
    async with simulated_club(tmp_path / "club.db") as club:
        people = [club.sandbox.create_user(f"P{i}", user_id=2**32 + 40 + i) for i in range(5)]
        for person in people:
            club.sandbox.start_bot(person)
        await club.settle()
        base = 900_000_000
        raws = [_help_update(base + i, p.id, 1000 + i) for i, p in enumerate(people)]
        raws += [
            _group_update(club, base + 10 + i, people[i % 5].id, 5000 + i, f"The rye is great {i}")
            for i in range(20)
        ]
        deliveries = raws + random.Random(7).sample(raws, len(raws))  # every one twice
        random.Random(11).shuffle(deliveries)
        queue = club.app.update_queue
        # Half through the polling path (a getUpdates batch stored first), half as webhook puts.
        half = len(deliveries) // 2
        bot = club.app.bot
        batch = [Update.de_json(json.loads(json.dumps(r)), bot) for r in deliveries[:half]]
        await queue.admit_batch(batch)  # type: ignore[attr-defined]
        for update in batch:
            await queue.put(update)
        for raw in deliveries[half:]:
            await queue.put(Update.de_json(json.loads(json.dumps(raw)), club.app.bot))
        await club.settle()
        for person in people:
            answers = [t for t in _texts(club, person) if "/help" in t]
            assert len(answers) == 1, person.first_name
        row = await club.services.db.fetchone(
            "SELECT COUNT(*) FROM feedback_messages WHERE chat_id = ? AND message_id >= 5000",
            (club.group.id,),
        )
        assert row is not None and row[0] == 20
        pending = await club.services.db.fetchone(
            "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL"
        )
        assert pending is not None and pending[0] == 0
