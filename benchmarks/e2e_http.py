"""The ingest path over real HTTP: members chat in the sandbox, the bot long-polls.

Everything the ingest benchmark measures plus getUpdates round trips (100 updates a batch),
JSON parsing and the inbox write of each batch, through PTB's updater as in production.
"""

from __future__ import annotations

import asyncio
import time

from benchmarks.ingest import benchmark_texts

MEMBERS = 1_000  # enough people that nobody posts 8 messages in 10 s (the flood guard)


async def measure(n: int) -> float:
    from bot.demo.simulation import simulated_club

    async with simulated_club(
        runtime={"polling_timeout": 10, "scheduler_seconds": 3600, "log_level": "WARNING"}
    ) as club:
        sb = club.sandbox
        people = [sb.create_user(f"M{i}", user_id=2**32 + 50_000 + i) for i in range(MEMBERS)]
        for person in people:
            sb.add_member(club.group, person)
        feedback = club.features.feedback
        texts = benchmark_texts(n)
        before = feedback.counts["stored"]
        start = time.perf_counter()
        for i, text in enumerate(texts):
            sb.send_text(people[i % MEMBERS], club.group, text)
            if i % 100 == 99:
                await asyncio.sleep(0)  # let the bot fetch while members keep typing
        while feedback.counts["stored"] - before < n or club.services.db.deferred_count:
            await sb.server.wait_change(0.01)
        await club.services.db.fetchone("SELECT 1")  # the last batch's write has finished
        elapsed = time.perf_counter() - start
        row = await club.services.db.fetchone(
            "SELECT COUNT(*) FROM feedback_messages WHERE chat_id = ?", (club.group.id,)
        )
        if row is None or row[0] < n:
            raise RuntimeError(f"only {row and row[0]} of {n} messages stored")
    return elapsed


def run(quick: bool = False) -> dict[str, float]:
    n = 2_000 if quick else 10_000
    elapsed = asyncio.run(measure(n))
    return {"e2e_http_msgs_per_s": n / elapsed, "e2e_http_messages": n}


if __name__ == "__main__":
    import sys

    print(run(quick="--quick" in sys.argv))
