"""Two clubs tease their members at the same time: one bot, one global sending budget.

Several clubs in one process are not built yet, so the two clubs are two lanes of one bot:
two teaser broadcasts of the same bot run at once, each under ``sending_for(<club>)``
(bot/core/lanes.py), exactly as a club's own services will set it. Meanwhile a third person
asks ``/help`` in private once a second (the default lane, interactive), to show that
replies are not starved by either broadcast.

Figures (measured by arrival at the sandbox, in real time):

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
from typing import Any
from unittest.mock import patch

from bot.core.lanes import DEFAULT_LANE, Priority
from bot.db import Database
from bot.sandbox import limits

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
    from bot.core.lanes import sending_for
    from bot.demo.simulation import simulated_club
    from bot.previews.teaser import run_teaser

    async with simulated_club() as club:
        sb, bruno, services = club.sandbox, club.brand_manager, club.services
        members = {
            lane: [
                sb.create_user(f"{lane} {i}", user_id=2**32 + 200_000 + c * per_club + i)
                for i in range(per_club)
            ]
            for c, lane in enumerate(CLUBS)
        }
        now, people = services.now_ts(), services.people
        everyone = [m for group in members.values() for m in group]
        for member in everyone:
            sb.add_member(club.group, member)
            sb.world.started.add(member.id)
            people.defer_upsert(member.id, member.first_name, None, None, "en", False, now)
        await services.db.flush()
        for member in everyone:
            await people.mark_started(member.id, now)
        prober = sb.create_user("Petra")
        sb.start_bot(prober)
        sb.start_bot(bruno)
        previews = club.features.previews
        for lane in CLUBS:  # published now, teased below (no --notify: we start it per lane)
            photo = sb.send_photo(bruno, bruno, caption=f"Croissant of {lane}")
            sb.send_text(bruno, bruno, f"/preview now --title {lane}", reply_to=photo)
        await club.settle(timeout=30)
        records = {r.title: r for r in await previews.repo.published()}

        lane_of = {m.id: lane for lane, group in members.items() for m in group}
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
                            last_arrival[lane] = at

        async def tease(lane: str) -> None:
            ids = [m.id for m in members[lane]]

            async def source(db: Database) -> Iterable[int]:
                return ids

            with sending_for(lane):
                await run_teaser(services, previews.links, previews.repo, records[lane], source)

        replies_ms: list[float] = []

        async def probe(broadcasts: asyncio.Future[Any]) -> None:
            chat = sb.world.private_chat(prober)
            while not broadcasts.done():
                # Petra's /help and the bot's answer: two new messages in her chat.
                expected, asked = len(chat.messages) + 2, time.perf_counter()
                sb.send_text(prober, prober, "/help")
                await sb.wait_for(partial(answered, chat, expected), timeout=60)
                replies_ms.append((time.perf_counter() - asked) * 1000)
                await asyncio.sleep(1.0)

        watcher = asyncio.create_task(watch())
        broadcasts = asyncio.gather(*(tease(lane) for lane in CLUBS))
        await asyncio.gather(broadcasts, probe(broadcasts))
        await sb.server.wait_change(0.1)
        watcher.cancel()
        violations = len(sb.rate_violations)

    fair = fair_finish_times({lane: per_club for lane in CLUBS}, limits.GLOBAL_MSGS_PER_SECOND)
    results: dict[str, float] = {
        "two_club_members_per_club": float(per_club),
        "two_club_broadcast_violations": float(violations),
        "two_club_both_finished": float(all(lane in last_arrival for lane in CLUBS)),
    }
    ratios = []
    for lane in CLUBS:
        finished = last_arrival.get(lane, float("inf")) - start
        key = lane.replace("-", "_")
        results[f"two_club_{key}_finish_s"] = finished
        results[f"two_club_{key}_fair_share_s"] = fair[lane]
        ratios.append(finished / fair[lane])
    results["two_club_max_wait_vs_fair_share"] = max(ratios)
    results["two_club_reply_p50_ms"] = statistics.median(replies_ms) if replies_ms else -1.0
    results["two_club_reply_max_ms"] = max(replies_ms, default=-1.0)
    return results


def run(quick: bool = False) -> dict[str, float]:
    return asyncio.run(measure(300 if quick else 5_000))


if __name__ == "__main__":
    import sys

    per_club = 300 if "--quick" in sys.argv else 5_000
    figures = asyncio.run(measure(per_club, lanes="--no-lanes" not in sys.argv))
    for name, value in figures.items():
        print(f"{name:<36} {value:,.3f}")
