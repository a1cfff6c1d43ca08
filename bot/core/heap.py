"""The interpreter's heap after start-up (``python -m bot run``)."""

from __future__ import annotations

import gc


def freeze_heap_after_start() -> None:
    """Collect once, then exempt every object alive now from later collections.

    What start-up builds (modules, PTB's handlers, the sentiment lexicons kept for scoring a
    batch here when the worker fails, the caches) lives as long as the process, yet every
    full collection walks all of it again; parsing an update allocates ~200 objects, so
    collections run every few updates. Frozen, they cost the event loop 13-29 µs less a
    message (docs/benchmarks.md). The price: a frozen object that later becomes cyclic
    garbage is never freed, which for start-up state is the process's lifetime anyway. Not
    for code that starts many bots in one process (the tests): each would freeze the last.
    """
    gc.collect()
    gc.freeze()
