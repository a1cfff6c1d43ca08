"""Two clubs tease their members at the same time: one bot, one global sending budget.

One bot process serves two configured clubs (``simulated_clubs``: Berlin and Hamburg, each
with its own group, brand chat and brand manager). Each club has its own members, and each
brand manager publishes a preview in private with ``/preview now --notify``: the bot routes
the command to that manager's club, and the club's teaser runs in its club's lane of the
shared limiter (bot/app.py sets ``sending_for(club.key)``, nothing here does). Meanwhile a
seated member of Hamburg asks ``/help`` in private once a second, to show that replies are
not starved by either broadcast, her own club's included.

The members stand in for the seat ledger (``previews.members``, as in benchmarks/broadcast.py):
seating 10,000 people through codes and invite links would measure the gate, not the teaser.

Figures (measured by arrival at the sandbox, in real time, from the moment both commands
were sent):

* ``two_club_broadcast_violations``: sends beyond Telegram's limits (the sandbox's checker,
  bot/sandbox/rates.py), goal 0;
* per club, the finish time and its ratio to the fair share: the time it would take if the
  global rate (30 a second) were split equally between the clubs that still send
  (max-min fair, as if by an ideal fluid scheduler); ``two_club_max_wait_vs_fair_share`` is
  the larger ratio, goal ≤ 2;
* ``two_club_reply_p50_ms`` / ``two_club_reply_max_ms``: ``/help`` asked to answer seen.

``python -m benchmarks.broadcast_two_clubs [--quick] [--no-lanes]``; ``--no-lanes`` puts every
send in one lane (the first-come queue of before), for comparison.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from bot.core.lanes import DEFAULT_LANE, Priority
from bot.db import Database
from bot.sandbox import Sandbox, SentMessage, SimUser, limits

if TYPE_CHECKING:
    from bot.demo.simulation import SimulatedClub

# The figures' names for the two clubs (Berlin, Hamburg), stable across versions of this step.
CLUBS = ("club-a", "club-b")


def fair_finish_times(demands: dict[str, int], rate: float) -> dict[str, float]:
    """When each lane would finish if ``rate`` were shared equally among lanes still sending."""
    finish: dict[str, float] = {}
    elapsed, done_before = 0.0, 0
    remaining = sorted(demands.items(), key=lambda item: item[1])
    for i, (lane, sends) in enumerate(remaining):
        sharing = len(remaining) - i  # this lane and every larger one send side by side
        elapsed += (sends - done_before) * sharing / rate
        done_before = sends
        finish[lane] = elapsed
    return finish


def answered(chat: Any, messages: int) -> bool:
    return len(chat.messages) >= messages


async def measure(per_club: int, *, lanes: bool = True) -> dict[str, float]:
    """``lanes=False`` plays the same with every send in one lane and one priority: the
    first-come queue the limiter had before lanes, for comparison in the same run."""
    with contextlib.ExitStack() as stack:
        if not lanes:
            stack.enter_context(patch("bot.core.ratelimit.current_lane", lambda: DEFAULT_LANE))
            stack.enter_context(
                patch("bot.core.ratelimit.current_priority", lambda: Priority.INTERACTIVE)
            )
        return await _measure(per_club)


async def _measure(per_club: int) -> dict[str, float]:
    from bot.demo.simulation import simulated_clubs

    async with simulated_clubs(count=2) as clubs:
        sb = clubs[0].sandbox
        members = {
            lane: [
                sb.create_user(f"{club.key} {i}", user_id=2**32 + 200_000 + c * per_club + i)
                for i in range(per_club)
            ]
            for c, (lane, club) in enumerate(zip(CLUBS, clubs, strict=True))
        }
        for lane, club in zip(CLUBS, clubs, strict=True):
            await _seed_members(club, members[lane])
        prober = await _seated(clubs[1], "Petra")
        for club in clubs:
            sb.start_bot(club.brand_manager)
        await clubs[0].settle(timeout=30)

        lane_of = {m.id: lane for lane, group in members.items() for m in group}
        sent = dict.fromkeys(CLUBS, 0)
        last_arrival: dict[str, float] = {}
        seen = len(sb.requests)
        sb.rate_limits(True)
        start = time.perf_counter()

        async def watch() -> None:
            nonlocal seen
            while True:
                await sb.server.wait_change(0.05)
                at = time.perf_counter()
                while seen < len(sb.requests):
                    request = sb.requests[seen]
                    seen += 1
                    if request.method == "sendMessage":
                        lane = lane_of.get(int(str(request.params.get("chat_id", 0))))
                        if lane is not None:
                            sent[lane] += 1
                            last_arrival[lane] = at

        watcher = asyncio.create_task(watch())
        for club in clubs:
            # Each brand manager publishes in private; the bot picks the club by who asks.
            manager = club.brand_manager
            photo = sb.send_photo(manager, manager, caption=f"Croissant of {club.key}")
            sb.send_text(
                manager, manager, f"/preview now --title {club.key} --notify", reply_to=photo
            )

        def finished() -> bool:
            return all(count >= per_club for count in sent.values())

        replies_ms: list[float] = []

        async def probe(broadcasts: asyncio.Task[None]) -> None:
            chat = sb.world.private_chat(prober)
            while not broadcasts.done():
                # Petra's /help and the bot's answer: two new messages in her chat.
                expected, asked = len(chat.messages) + 2, time.perf_counter()
                sb.send_text(prober, prober, "/help")
                await sb.wait_for(partial(answered, chat, expected), timeout=60)
                replies_ms.append((time.perf_counter() - asked) * 1000)
                await asyncio.sleep(1.0)

        # Fair share plus slack: a run this slow has failed the goal anyway.
        broadcasts = asyncio.create_task(sb.wait_for(finished, timeout=per_club / 10 + 60))
        await asyncio.gather(broadcasts, probe(broadcasts), return_exceptions=True)
        await sb.server.wait_change(0.1)
        watcher.cancel()
        violations = len(sb.rate_violations)

    fair = fair_finish_times({lane: per_club for lane in CLUBS}, limits.GLOBAL_MSGS_PER_SECOND)
    results: dict[str, float] = {
        "two_club_members_per_club": float(per_club),
        "two_club_broadcast_violations": float(violations),
        "two_club_both_finished": float(all(sent[lane] >= per_club for lane in CLUBS)),
    }
    ratios = []
    for lane in CLUBS:
        took = last_arrival.get(lane, float("inf")) - start
        key = lane.replace("-", "_")
        results[f"two_club_{key}_finish_s"] = took
        results[f"two_club_{key}_fair_share_s"] = fair[lane]
        ratios.append(took / fair[lane])
    results["two_club_max_wait_vs_fair_share"] = max(ratios)
    results["two_club_reply_p50_ms"] = statistics.median(replies_ms) if replies_ms else -1.0
    results["two_club_reply_max_ms"] = max(replies_ms, default=-1.0)
    return results


async def _seed_members(club: SimulatedClub, members: list[SimUser]) -> None:
    """``members`` in the club's group, known to its bot, having started it; its teaser
    goes to them."""
    sb, people, now = club.sandbox, club.services.people, club.services.now_ts()
    for member in members:
        sb.add_member(club.group, member)
        sb.world.started.add(member.id)
        people.defer_upsert(member.id, member.first_name, None, None, "en", False, now)
    await club.services.db.flush()
    for member in members:
        await people.mark_started(member.id, now)
    ids = [m.id for m in members]

    async def source(db: Database) -> Iterable[int]:
        return ids

    club.features.previews.members = source


async def _seated(club: SimulatedClub, name: str) -> SimUser:
    """A person seated in ``club`` the real way: a code, the deep link, Accept, the invite
    link. Being in this club only, her private messages are routed to it."""
    sb = club.sandbox
    (code,) = await club.features.gate.create_codes(1, 1, "bench", None, club.owner.id)
    person = sb.create_user(name, username=f"{name.lower()}_bakes")
    sb.start_bot(person, code)
    await club.settle()
    sb.press_button(person, *_last_button(sb, person, "v1:gate:accept:"))
    await club.settle()
    _, invite_link = _last_button(sb, person, "https://")
    sb.join_via_link(person, invite_link)
    await club.settle()
    if sb.member_status(club.group, person) != "member":
        raise RuntimeError(f"{name} could not join {club.key}")
    return person


def _last_button(sb: Sandbox, user: SimUser, prefix: str) -> tuple[SentMessage, str]:
    """The bot's newest message to ``user`` with a button whose data or URL starts so."""
    for msg in reversed(sb.bot_messages(user)):
        for row in (msg.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                target = str(button.get("callback_data") or button.get("url") or "")
                if target.startswith(prefix):
                    return msg, target
    raise RuntimeError(f"no {prefix} button for {user.first_name}")


def run(quick: bool = False) -> dict[str, float]:
    return asyncio.run(measure(300 if quick else 5_000))


if __name__ == "__main__":
    import sys

    per_club = 300 if "--quick" in sys.argv else 5_000
    figures = asyncio.run(measure(per_club, lanes="--no-lanes" not in sys.argv))
    for name, value in figures.items():
        print(f"{name:<36} {value:,.3f}")
