"""Launch waves and raids through the sandbox (issue 18).

People tap the club's shared join-request link at a steady rate. Fans hold a valid code and
answer the bot's question a moment after it arrives (0.3-1.2 s, uniformly); raiders never
answer. Measured from the world's side (the sandbox's request log), in real time:

* wave: share of fans asked, share approved, p50/p99 from request to approval;
* raid: private messages sent to raiders (within everyone's 5-minute window), approvals,
  group messages;
* always: seats over the cap and sends over Telegram's limits.

The bot and the sandbox share one FakeClock, so the 30 s of silence and the 5-minute windows
are moved by hand after the wave (``advance``), while latencies are real time.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
from datetime import timedelta
from typing import Any

ASK_MARK = "reply with your invite code"


async def measure(fans: int, rate: float, raiders: int = 0, seed: int = 18) -> dict[str, float]:
    from bot.demo.simulation import simulated_club

    rng = random.Random(seed)
    seats = max(fans, 1)
    async with simulated_club(
        community={"max_members": seats},
        runtime={"scheduler_seconds": 3600, "polling_timeout": 1, "log_level": "ERROR"},
    ) as club:
        sb = club.sandbox
        sb.rate_limits(True)
        gate = club.features.gate
        codes = await gate.create_codes(1, max(fans, 1), "launch", None, None) if fans else []
        shared = sb.world.new_invite_link(club.group, club.owner, creates_join_request=True)
        fan_users = [sb.create_user(f"Fan{i}", user_id=2**32 + 80_000 + i) for i in range(fans)]
        raid_users = [
            sb.create_user("Free Stuff", user_id=2**32 + 90_000 + i) for i in range(raiders)
        ]
        # Raiders spread evenly among the fans.
        arrivals: list[tuple[Any, bool]] = [(u, True) for u in fan_users]
        for i, raider in enumerate(raid_users):
            arrivals.insert((i * (len(arrivals) + 1)) // max(raiders, 1), (raider, False))
        fan_ids = {u.id for u in fan_users}
        raider_ids = {u.id for u in raid_users}
        by_id = {u.id: u for u in fan_users}

        requested: dict[int, float] = {}
        asked: dict[int, float] = {}
        approved: dict[int, float] = {}
        dms_to_raiders = 0
        approvals_of_raiders = 0
        seen = len(sb.requests)
        loop = asyncio.get_running_loop()

        def answer(user_id: int) -> None:
            sb.send_text(by_id[user_id], by_id[user_id], codes[0])

        async def watch() -> None:
            nonlocal seen, dms_to_raiders, approvals_of_raiders
            while True:
                await sb.server.wait_change(0.05)
                now = time.perf_counter()
                while seen < len(sb.requests) and sb.requests[seen].status is not None:
                    record = sb.requests[seen]
                    seen += 1
                    if record.status != 200:
                        continue
                    target = record.params.get(
                        "user_id" if record.method == "approveChatJoinRequest" else "chat_id"
                    )
                    uid = int(str(target)) if target is not None else 0
                    if record.method == "sendMessage":
                        if uid in raider_ids:
                            dms_to_raiders += 1
                        elif (
                            uid in fan_ids
                            and uid not in asked
                            and ASK_MARK in str(record.params.get("text", ""))
                        ):
                            asked[uid] = now
                            loop.call_later(rng.uniform(0.3, 1.2), answer, uid)
                    elif record.method == "approveChatJoinRequest":
                        if uid in raider_ids:
                            approvals_of_raiders += 1
                        elif uid in fan_ids:
                            approved.setdefault(uid, now)

        watcher = asyncio.create_task(watch())
        start = time.perf_counter()
        for i, (user, _is_fan) in enumerate(arrivals):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            requested[user.id] = time.perf_counter()
            sb.request_join(user, shared.link)
        deadline = time.perf_counter() + 60 + len(arrivals) / rate
        while len(approved) < fans and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await club.settle(timeout=60)
        # Everyone's 5 minutes, moved by hand: silence turns into a raid, probes, declines.
        await club.advance(timedelta(seconds=31))
        for _ in range(5):
            await club.advance(timedelta(minutes=1))
        await club.settle(timeout=60)
        watcher.cancel()
        members = sum(1 for s in sb.members(club.group).values() if s == "member")
        group_messages = len(sb.bot_messages(club.group))
        violations = len(sb.rate_violations)
        if violations:  # stderr: stdout may be the --json object
            print(sb.rate_violations[:3], file=sys.stderr)
        unasked = gate.asker.counts.unasked_declined
    latencies = sorted((approved[u] - requested[u]) * 1000 for u in approved)
    ask_delays = sorted((asked[u] - requested[u]) * 1000 for u in asked)
    result: dict[str, float] = {
        "fans": float(fans),
        "raiders": float(raiders),
        "rate_per_s": rate,
        "over_cap": float(max(0, members - 1 - seats)),  # the owner holds no seat
        "rate_violations": float(violations),
        "group_messages": float(group_messages),
        "unasked_declined": float(unasked),
    }
    if fans:
        result.update(
            asked_share=len([u for u in asked if u in fan_ids]) / fans,
            approved_share=len(approved) / fans,
            ask_p50_ms=statistics.median(ask_delays) if ask_delays else float("nan"),
            ask_max_ms=ask_delays[-1] if ask_delays else float("nan"),
            p50_ms=statistics.median(latencies) if latencies else float("nan"),
            p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            if latencies
            else float("nan"),
        )
    if raiders:
        result.update(
            dms_to_raiders=float(dms_to_raiders), approvals_of_raiders=float(approvals_of_raiders)
        )
    return result


def run(quick: bool = False) -> dict[str, Any]:
    n = 100 if quick else 300
    out: dict[str, Any] = {}
    scenarios = {
        "wave_30": (n, 30.0, 0),
        "wave_100": (n, 100.0, 0),
        "raid": (0, 30.0, n),
        "mixed": (n, 30.0, n // 3),
    }
    for name, (fans, rate, raiders) in scenarios.items():
        figures = asyncio.run(measure(fans, rate, raiders))
        for key, value in figures.items():
            out[f"waves_{name}_{key}"] = value
    return out


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
