"""Honest changes for the digest: a change is reported only when it beats the noise of its n.

"Sentiment down 0.2" from 6 messages against 20 is mostly chance: two samples of message
polarities have a standard error of sqrt(sd_a^2/n_a + sd_b^2/n_b), and a change smaller than
~2 of those (Welch, 95%, conservative df) is "no clear change". The digest shows the number
only when the change is clear.
"""

from __future__ import annotations

import math

from bot.core.digest_api import DayWindow
from bot.db import Database
from bot.insights import reports_repo
from bot.insights.stats import clear_difference

SMALL_N = 10  # fewer scored messages than this: counts, not percentages


def _mean_sd(n: int, total: float, squares: float) -> tuple[float, float]:
    mean = total / n
    var = max(0.0, (squares - n * mean * mean) / (n - 1)) if n > 1 else 0.0
    return mean, math.sqrt(var)


async def clear_changes(
    db: Database, chat_id: int, today: DayWindow, yesterday: DayWindow, week: list[DayWindow]
) -> tuple[bool | None, bool | None]:
    """(vs the day before, vs the 7 days before): True clear, False noise, None no data."""
    n0, s0, q0 = await reports_repo.polarity_moments(db, chat_id, today.start, today.end)
    if n0 == 0:
        return None, None
    mean0, sd0 = _mean_sd(n0, s0, q0)
    out: list[bool | None] = []
    for start, end in ((yesterday.start, yesterday.end), (week[0].start, week[-1].end)):
        n1, s1, q1 = await reports_repo.polarity_moments(db, chat_id, start, end)
        if n1 == 0:
            out.append(None)
            continue
        mean1, sd1 = _mean_sd(n1, s1, q1)
        out.append(clear_difference(mean0, sd0, n0, mean1, sd1, n1))
    return out[0], out[1]


async def clear_aspect_changes(
    db: Database, chat_id: int, today: DayWindow, week: list[DayWindow]
) -> dict[str, bool]:
    """Per aspect mentioned both today and in the 7 days before: does its change beat the
    noise of its mentions?"""
    now = await reports_repo.aspect_moments(db, chat_id, today.start, today.end)
    before = await reports_repo.aspect_moments(db, chat_id, week[0].start, week[-1].end)
    out: dict[str, bool] = {}
    for name, (n0, s0, q0) in now.items():
        if name not in before:
            continue
        n1, s1, q1 = before[name]
        mean0, sd0 = _mean_sd(n0, s0, q0)
        mean1, sd1 = _mean_sd(n1, s1, q1)
        out[name] = clear_difference(mean0, sd0, n0, mean1, sd1, n1)
    return out
