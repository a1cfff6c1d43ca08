"""A fetched batch of updates parsed without PTB's attribute guard, the larger half of its cost.

PTB builds every Telegram object by assigning its attributes one by one, each through
``TelegramObject.__setattr__``: a guard in Python that refuses assignments to a *frozen*
object. PTB freezes an object at the end of its ``__init__``, so while a batch is parsed the
guard is only ever asked about objects still being built, and only ever says yes. Being a
Python call it still costs ~0.2 µs per attribute, some 200 per group message: ~40 of the
~120 µs PTB spends parsing one, the largest single item of this bot's event-loop time in the
e2e benchmark (a py-spy profile put the guard at 22% of the event loop's busy time).

``lift_guard`` swaps the guard for ``object.__setattr__`` (the same assignment, done in C)
when getUpdates' answer has arrived, and ``restore_guard`` puts it back once PTB has parsed
it. The answer is parsed right after ``_post`` returns it, with no await in between
(``DurableBot._poll``: ``BatchParser.parse``; PTB's own ``get_updates`` for any other
call: ``Update.de_list``; then the callback data), so no other
code runs while the guard is off, and the objects come out identical and frozen as always
(``tests/test_update_parsing.py``). ``DurableBot`` also has the event loop's next turn put
the guard back, so a getUpdates answer nobody parses (a raw API call) cannot leave it off.
Only the polling path uses it; a webhook update and a replayed one are parsed with the guard
on, as before.

The batch itself is parsed by ``bot.core.batch_parser``, which builds common messages without
PTB's field-by-field detour.
"""

from __future__ import annotations

from typing import Any

from telegram import TelegramObject

_GUARD: Any = TelegramObject.__dict__["__setattr__"]


def lift_guard() -> None:
    """Build Telegram objects with plain attribute assignment until ``restore_guard``."""
    if TelegramObject.__dict__.get("__setattr__") is _GUARD:
        # object's own slot: CPython then assigns in C, without a Python call per attribute.
        TelegramObject.__setattr__ = object.__setattr__  # type: ignore[method-assign,assignment]


def restore_guard() -> None:
    """Frozen Telegram objects refuse assignments again (a no-op if the guard is on)."""
    if TelegramObject.__dict__.get("__setattr__") is not _GUARD:
        TelegramObject.__setattr__ = _GUARD  # type: ignore[method-assign]


def guard_is_on() -> bool:
    return TelegramObject.__dict__.get("__setattr__") is _GUARD
