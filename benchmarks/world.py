"""The sandbox in its own process, driven over stdin/stdout (one JSON object per line).

``python -m benchmarks.world`` starts a sandbox with the simulated club's chats and prints
``{"base_url": ...}``. Then it reads commands and answers each with one line:

* ``{"op": "members", "first_id": ID, "n": N}``: N people, members of the group;
* ``{"op": "users", "first_id": ID, "n": N}``: N people, not members;
* ``{"op": "chat", "first_id": ID, "members": M, "n": N}``: N group messages from the first
  M members (round robin), queued at once;
* ``{"op": "join_wave", "first_id": ID, "n": N, "spread": S}``: N join requests through a
  shared link, evenly over S seconds; answers with the latencies from request to the
  approval's arrival, measured here, in real time;
* ``{"op": "stop"}``.

Why a process of its own: in one process the sandbox, the simulated people and the bot share
one event loop and one core, and the figure is the world's as much as the bot's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import time
from typing import Any

from bot.demo.simulation import BRAND_CHAT_ID, COMMUNITY_CHAT_ID, TOKEN


async def main() -> None:
    from benchmarks.ingest import benchmark_texts
    from bot.sandbox import Sandbox

    sb = Sandbox(token=TOKEN, bot_username="club_bot", bot_first_name="Club Bot")
    await sb.start()
    group = sb.create_supergroup("Bakery VIP Club", chat_id=COMMUNITY_CHAT_ID)
    brand = sb.create_supergroup("Brand team", chat_id=BRAND_CHAT_ID)
    owner = sb.create_user("Olivia", username="olivia_owner")
    sb.add_member(group, owner, status="creator")
    sb.make_bot_admin(
        group,
        can_invite_users=True,
        can_restrict_members=True,
        can_pin_messages=True,
        can_delete_messages=True,
    )
    sb.make_bot_admin(brand)
    sb.rate_limits(True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    def say(obj: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    say({"base_url": sb.base_url})
    while line := await reader.readline():
        command = json.loads(line)
        op = command["op"]
        if op == "stop":
            break
        first, n = int(command.get("first_id", 0)), int(command.get("n", 0))
        if op in ("members", "users"):
            for i in range(n):
                user = sb.create_user(f"P{i}", user_id=first + i)
                if op == "members":
                    sb.add_member(group, user)
            say({"ok": True})
        elif op == "chat":
            members = int(command["members"])
            people = [sb.world.users[first + i] for i in range(members)]
            for i, text in enumerate(benchmark_texts(n)):
                sb.send_text(people[i % members], group, text)
            say({"ok": True})
        elif op == "join_wave":
            say(await join_wave(sb, group, owner, first, n, float(command["spread"])))
        else:
            say({"error": f"unknown op {op!r}"})
    await sb.stop()


async def join_wave(sb: Any, group: Any, owner: Any, first: int, n: int, spread: float) -> Any:
    shared = sb.world.new_invite_link(group, owner, creates_join_request=True)
    people = [sb.world.users[first + i] for i in range(n)]
    asked: dict[int, float] = {}
    approved: dict[int, float] = {}
    seen = len(sb.requests)

    async def watch() -> None:
        nonlocal seen
        while len(approved) < n:
            await sb.server.wait_change(0.05)
            now = time.perf_counter()
            while seen < len(sb.requests) and sb.requests[seen].status is not None:
                record = sb.requests[seen]
                seen += 1
                if record.method == "approveChatJoinRequest" and record.status == 200:
                    approved.setdefault(int(str(record.params["user_id"])), now)

    watcher = asyncio.create_task(watch())
    start = time.perf_counter()
    for i, person in enumerate(people):
        delay = start + spread * i / n - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        asked[person.id] = time.perf_counter()
        sb.request_join(person, shared.link)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(watcher, timeout=spread + 120)
    latencies = sorted((approved[u] - asked[u]) * 1000 for u in approved)
    members = sum(1 for status in sb.members(group).values() if status == "member")
    return {
        "approved": len(approved),
        "p50_ms": statistics.median(latencies) if latencies else None,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else None,
        "max_ms": latencies[-1] if latencies else None,
        "members": members,
        "rate_violations": len(sb.rate_violations),
    }


if __name__ == "__main__":
    asyncio.run(main())
