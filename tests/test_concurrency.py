"""The keyed update processor: different people at once, one person's updates in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import CallbackQuery, Chat, ChatJoinRequest, Message, MessageEntity, Update, User

from bot.core.concurrency import KeyedLocks, KeyedUpdateProcessor, update_keys

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
GROUP = Chat(-1001, Chat.SUPERGROUP)


def person(user_id: int) -> User:
    return User(user_id, f"P{user_id}", is_bot=False)


def group_message(update_id: int, user_id: int, reply_to: int | None = None) -> Update:
    replied = (
        Message(1, NOW, GROUP, from_user=person(reply_to), text="hi")
        if reply_to is not None
        else None
    )
    message = Message(
        update_id, NOW, GROUP, from_user=person(user_id), text="x", reply_to_message=replied
    )
    return Update(update_id, message=message)


def test_keys_name_the_person_the_member_and_the_button_message() -> None:
    assert update_keys(group_message(1, 7)) == (("user", 7),)
    # A moderator's reply-command is ordered with the member it is about.
    assert update_keys(group_message(2, 7, reply_to=9)) == (("user", 7), ("user", 9))
    request = ChatJoinRequest(GROUP, person(5), NOW, user_chat_id=5)
    assert update_keys(Update(3, chat_join_request=request)) == (("user", 5),)
    preview = Message(44, NOW, GROUP, text="rate me")
    tap = CallbackQuery("q", person(8), "instance", message=preview, data="v1:rate:1:5")
    assert update_keys(Update(4, callback_query=tap)) == (("user", 8), ("message", -1001, 44))
    assert update_keys(object()) == (("global",),)


def command(update_id: int, user_id: int, text: str, *mentions: MessageEntity) -> Update:
    entities = (MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0])), *mentions)
    message = Message(
        update_id,
        NOW,
        Chat(user_id, Chat.PRIVATE),
        from_user=person(user_id),
        text=text,
        entities=entities,
    )
    return Update(update_id, message=message)


def test_a_command_naming_a_member_by_id_or_mention_is_ordered_with_them() -> None:
    # Two moderators' /kick 9 and /ban 9 in their private chats share the member's key.
    assert update_keys(command(1, 7, "/ban 9 spam")) == (("user", 7), ("user", 9))
    assert update_keys(command(2, 8, "/kick@club_bot 9")) == (("user", 8), ("user", 9))
    mention = MessageEntity(MessageEntity.TEXT_MENTION, 5, 3, user=person(9))
    assert update_keys(command(3, 7, "/ban Eve spam", mention)) == (("user", 7), ("user", 9))
    # Not a person: words, a number too long to be an id, a plain message with a number.
    assert update_keys(command(4, 7, "/join 7K3Q-M9XP-4HRT")) == (("user", 7),)
    assert update_keys(command(5, 7, "/ban " + "9" * 5000)) == (("user", 7),)
    assert update_keys(command(6, 7, "/rules")) == (("user", 7),)
    plain = Message(7, NOW, GROUP, from_user=person(7), text="9 of us came")
    assert update_keys(Update(7, message=plain)) == (("user", 7),)


async def test_keyed_locks_run_one_keys_holders_in_turn_and_forget_idle_keys() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(key: int, name: str, pause: float) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(hold(1, "a", 0.02), hold(1, "b", 0), hold(2, "c", 0))
    # b waits for a (same key); c (another key) does not wait for either.
    assert order.index("a out") < order.index("b in")
    assert order.index("c out") < order.index("a out")
    assert len(locks) == 0


async def run_like_ptb(
    processor: KeyedUpdateProcessor, updates: list[Update], gates: dict[int, asyncio.Event]
) -> list[tuple[str, int]]:
    """Start one task per update in queue order, as PTB's update fetcher does."""
    log: list[tuple[str, int]] = []

    async def handle(update: Update) -> None:
        log.append(("start", update.update_id))
        await gates[update.update_id].wait()
        log.append(("end", update.update_id))

    tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in updates]
    # Let every task run as far as it can, then open the gates one by one, newest first:
    # an update that could start early would finish before the older ones of its key.
    for _ in range(5):
        await asyncio.sleep(0)
    for update in reversed(updates):
        gates[update.update_id].set()
        for _ in range(5):
            await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    return log


async def test_same_person_in_order_different_people_at_once() -> None:
    processor = KeyedUpdateProcessor(8)
    # Ada (1) and Ben (2) alternate; Cy (3) once.
    updates = [group_message(i, user) for i, user in enumerate([1, 2, 1, 2, 3, 1], start=1)]
    gates = {u.update_id: asyncio.Event() for u in updates}
    log = await run_like_ptb(processor, updates, gates)
    ends = [uid for kind, uid in log if kind == "end"]
    by_user: dict[int, list[int]] = {}
    for uid in ends:
        by_user.setdefault(updates[uid - 1].effective_user.id, []).append(uid)  # type: ignore[union-attr]
    assert by_user == {1: [1, 3, 6], 2: [2, 4], 3: [5]}
    # The first update of each person started before any gate opened: they overlapped.
    assert log[:3] == [("start", 1), ("start", 2), ("start", 5)]
    assert processor.max_seen == 3


async def test_keys_the_update_does_not_say_itself_order_it_too() -> None:
    # A "Which club?" tap (Mo, 7) runs a /ban of member 9 (bot.context.routing.replay_keys):
    # member 9's own update that came after it waits for it.
    processor = KeyedUpdateProcessor(8)
    processor.more_keys = lambda update: (("user", 9),) if update.update_id == 1 else ()  # type: ignore[attr-defined]
    updates = [group_message(1, 7), group_message(2, 9)]
    gates = {u.update_id: asyncio.Event() for u in updates}
    log = await run_like_ptb(processor, updates, gates)
    assert log == [("start", 1), ("end", 1), ("start", 2), ("end", 2)]


async def test_more_updates_than_slots_neither_deadlocks_nor_reorders() -> None:
    processor = KeyedUpdateProcessor(2)
    users = [1, 1, 2, 1, 3, 2, 1, 3, 3, 1]
    updates = [group_message(i, user) for i, user in enumerate(users, start=1)]
    gates = {u.update_id: asyncio.Event() for u in updates}
    log = await asyncio.wait_for(run_like_ptb(processor, updates, gates), timeout=5)
    starts = [uid for kind, uid in log if kind == "start"]
    for user in set(users):
        mine = [u.update_id for u in updates if u.effective_user.id == user]  # type: ignore[union-attr]
        assert [uid for uid in starts if uid in mine] == mine
    assert processor.max_seen <= 2
    assert processor.current_concurrent_updates == 0


async def test_a_cancelled_waiting_update_does_not_block_the_next() -> None:
    processor = KeyedUpdateProcessor(4)
    first, second, third = (group_message(i, 1) for i in (1, 2, 3))
    release = asyncio.Event()
    ran: list[int] = []

    async def handle(update: Update, wait: bool) -> None:
        if wait:
            await release.wait()
        ran.append(update.update_id)

    t1 = asyncio.create_task(processor.process_update(first, handle(first, True)))
    t2 = asyncio.create_task(processor.process_update(second, handle(second, False)))
    t3 = asyncio.create_task(processor.process_update(third, handle(third, False)))
    await asyncio.sleep(0)
    t2.cancel()
    release.set()
    await asyncio.gather(t1, t3)
    assert t2.cancelled()
    assert ran == [1, 3]


async def test_chat_ending_side_by_side_is_written_without_a_tick() -> None:
    """The ingest path with concurrency on: every stored message reaches SQLite although the
    fake clock never fires the scheduler (it waited forever for a tick before)."""
    from benchmarks.ingest import benchmark_texts, time_ingest

    elapsed = await asyncio.wait_for(time_ingest(benchmark_texts(300)), timeout=60)
    assert elapsed > 0
