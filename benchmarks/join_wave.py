"""A join wave: people who redeemed a code all tap the club's join-request link at once.

Setup (not timed): ``n`` people redeem valid codes (consent accepted, seat reserved).
Then their join requests arrive spread evenly over ``spread`` seconds; for each we time
request -> ``approveChatJoinRequest`` answered by the server, through the real bot over HTTP
(long polling, inbox, gate transaction, approval call).
"""

from __future__ import annotations

import asyncio
import statistics
import time


async def measure(n: int, spread: float) -> dict[str, float]:
    from bot.demo.simulation import simulated_club

    async with simulated_club(community={"max_members": n + 10}) as club:
        sb = club.sandbox
        gate = club.features.gate
        codes = await gate.create_codes(min(n, 200), max(1, n // 200 + 1), "wave", None, None)
        people = [sb.create_user(f"J{i}", user_id=2**32 + 70_000 + i) for i in range(n)]
        for i, person in enumerate(people):
            reply = await gate.begin(person.id, codes[i % len(codes)])
            assert reply.attempt_id is not None, reply.text
            await gate.accept(person.id, reply.attempt_id)
        await club.settle()
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)

        asked: dict[int, float] = {}
        approved: dict[int, float] = {}
        seen = len(sb.requests)

        async def watch() -> None:
            nonlocal seen
            while len(approved) < n:
                await sb.server.wait_change(0.05)
                now = time.perf_counter()
                for record in sb.requests[seen:]:
                    if record.method == "approveChatJoinRequest" and record.status == 200:
                        approved.setdefault(int(str(record.params["user_id"])), now)
                # Requests still being answered have no status yet: look at them again.
                while seen < len(sb.requests) and sb.requests[seen].status is not None:
                    seen += 1

        watcher = asyncio.create_task(watch())
        start = time.perf_counter()
        for i, person in enumerate(people):
            target = start + spread * i / n
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            asked[person.id] = time.perf_counter()
            sb.request_join(person, shared.link)
        await asyncio.wait_for(watcher, timeout=spread + 120)
        latencies = sorted((approved[uid] - asked[uid]) * 1000 for uid in asked)
    return {
        "join_wave_requests": float(n),
        "join_wave_p50_ms": statistics.median(latencies),
        "join_wave_p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "join_wave_max_ms": latencies[-1],
    }


def run(quick: bool = False) -> dict[str, float]:
    return asyncio.run(measure(300, 3.0) if quick else measure(1_000, 10.0))


if __name__ == "__main__":
    import sys

    print(run(quick="--quick" in sys.argv))
