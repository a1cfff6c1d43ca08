"""Where this bot's event-loop time goes per group message, over real HTTP.

Run: ``.venv/bin/python -m benchmarks.profile_e2e [N] [--cumulative]``: the e2e benchmark's
bot (``benchmarks.separate.e2e_ours``, the sandbox in its own process) once to warm up, then
again under cProfile, which profiles the event loop's thread only (SQLite's and the scoring
worker's time are not in it). Prints the top functions.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import sys

from benchmarks.separate import e2e_ours


def profile(n: int = 2_000, sort: str = "tottime", top: int = 45) -> str:
    asyncio.run(e2e_ours(200))  # imports and caches outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(e2e_ours(n))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
    return out.getvalue()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sort = "cumulative" if "--cumulative" in sys.argv else "tottime"
    print(profile(int(args[0]) if args else 2_000, sort=sort))
