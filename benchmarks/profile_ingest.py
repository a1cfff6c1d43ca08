"""Where the ingest time goes: cProfile of ``benchmarks.ingest.time_ingest``.

Run: ``.venv/bin/python -m benchmarks.profile_ingest [N] [--sort tottime|cumulative]``.
Prints the top functions; the summary in docs/benchmarks.md comes from this.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import pstats
import sys

from benchmarks.ingest import benchmark_texts, time_ingest


def profile(n: int = 3_000, sort: str = "tottime", top: int = 30) -> str:
    texts = benchmark_texts(n)
    asyncio.run(time_ingest(texts[:200]))  # warm caches and imports outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(time_ingest(texts))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
    return out.getvalue()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sort = "cumulative" if "--cumulative" in sys.argv else "tottime"
    print(profile(int(args[0]) if args else 3_000, sort=sort))
