"""A preview teaser (``/preview now --notify``) to many members, through the rate limiter.

Telegram's guidance is about 30 messages per second overall; the goal is to sit just under
it and never over. The sandbox's rate checker records every send beyond the guidance
(``rate_violations``), measured by arrival time at the server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

from bot.db import Database


async def measure(members_n: int) -> dict[str, float]:
    from bot.demo.simulation import simulated_club

    async with simulated_club() as club:
        sb, bruno = club.sandbox, club.brand_manager
        members = [
            sb.create_user(f"Member {i}", user_id=2**32 + 90_000 + i) for i in range(members_n)
        ]
        people = club.services.people
        now = club.services.now_ts()
        for member in members:
            sb.add_member(club.group, member)
            sb.world.started.add(member.id)  # started the bot earlier
            people.defer_upsert(member.id, member.first_name, None, None, "en", False, now)
        await club.services.db.flush()
        for member in members:
            await people.mark_started(member.id, now)

        async def member_ids(db: Database) -> Iterable[int]:
            return [m.id for m in members]

        club.features.previews.members = member_ids
        sb.start_bot(bruno)
        await club.settle()
        sb.rate_limits(True)
        original = sb.send_photo(bruno, bruno, caption="Winter croissant")
        sent_before = sum(1 for r in sb.requests if r.method == "sendMessage")
        start = time.perf_counter()
        sb.send_text(bruno, bruno, "/preview now --title Croissant --notify", reply_to=original)
        ids = {m.id for m in members}

        def teased() -> int:
            return sum(1 for m in members if sb.world.private_chat(m).messages)

        await sb.wait_for(lambda: teased() >= members_n, timeout=members_n / 20 + 60)
        elapsed = time.perf_counter() - start
        sends = sum(
            1
            for r in sb.requests[sent_before:]
            if r.method == "sendMessage" and int(str(r.params.get("chat_id", 0))) in ids
        )
        violations = len(sb.rate_violations)
    return {
        "broadcast_members": float(members_n),
        "broadcast_msgs_per_s": sends / elapsed,
        "broadcast_rate_violations": float(violations),
    }


def run(quick: bool = False) -> dict[str, float]:
    return asyncio.run(measure(300 if quick else 10_000))


if __name__ == "__main__":
    import sys

    print(run(quick="--quick" in sys.argv))
