"""The digest's chart: the last 14 days' message volume (bars) and mean sentiment (line).

matplotlib with the Agg backend (no display needed); returns PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.core.i18n import SOURCE_LANGUAGE, Translator, translator
from bot.digest.build import DayPoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_BAR = "#c9b8a6"
_LINE = "#2a6f97"
SENTIMENT_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)


def render_chart(history: Sequence[DayPoint], title: str, tr: Translator | None = None) -> bytes:
    """PNG bytes of the chart for ``history`` (oldest first)."""
    # Imported here: matplotlib takes seconds to import, and only the digest needs it. A bare
    # Figure (no pyplot) draws on the Agg canvas and is freed with the last reference.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.2), dpi=110)
    _draw(fig, history, title, tr or translator(SOURCE_LANGUAGE))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    fig.clear()
    return buffer.getvalue()


def _draw(fig: Figure, history: Sequence[DayPoint], title: str, tr: Translator) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    days = [date.fromisoformat(p.day) for p in history]
    labels = [tr.short_day(d) for d in days]
    x = list(range(len(history)))
    volume_axis = fig.add_subplot(1, 1, 1)
    bars = volume_axis.bar(
        x, [p.messages for p in history], color=_BAR, label=tr._("Messages per day"), zorder=2
    )
    volume_axis.set_ylabel(tr._("Messages per day"))
    volume_axis.set_xlabel(tr._("Day"))
    volume_axis.set_xticks(x, labels, rotation=45, ha="right", fontsize=8)
    volume_axis.set_ylim(0, max([p.messages for p in history] + [1]) * 1.25)
    # Numbers follow the language ("1.234", "−0,5"), as everywhere else the bot writes them;
    # messages are whole, so no "2.5" tick on a quiet fortnight.
    volume_axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    volume_axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: tr.integer(round(v))))
    volume_axis.grid(axis="y", color="#eeeeee", zorder=0)

    sentiment_axis = volume_axis.twinx()
    means = [p.mean for p in history]
    # Days without scored messages leave a gap in the line instead of pretending zero.
    (line,) = sentiment_axis.plot(
        x,
        [float("nan") if m is None else m for m in means],
        color=_LINE,
        marker="o",
        linewidth=2,
        label=tr._("Mean sentiment (−1 … +1)"),
        zorder=3,
    )
    sentiment_axis.axhline(0, color=_LINE, linewidth=0.8, linestyle=":", alpha=0.6)
    sentiment_axis.set_ylim(-1.05, 1.05)
    # Ticks inside the limits only (matplotlib's own put "−1.25" at the clipped edge).
    sentiment_axis.set_yticks(SENTIMENT_TICKS)
    sentiment_axis.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: tr.signed(v, 1) if v else tr.decimal(0, 1))
    )
    sentiment_axis.set_ylabel(tr._("Mean sentiment"), color=_LINE)
    sentiment_axis.tick_params(axis="y", colors=_LINE)

    volume_axis.set_title(title, fontsize=11)
    volume_axis.legend(
        [bars, line],
        [str(bars.get_label()), str(line.get_label())],
        loc="upper left",
        fontsize=8,
        frameon=False,
    )
    fig.tight_layout()
