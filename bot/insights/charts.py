"""Pictures for the brand team: a verdict's rating distribution, cohort retention curves.

matplotlib (Agg, no pyplot) imported lazily, as in bot/digest/chart.py; PNG bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.i18n import SOURCE_LANGUAGE, Translator, translator
from bot.core.messaging import html_to_plain
from bot.gate import label_text
from bot.insights.records import RatingSummary, Verdict
from bot.insights.verdict_texts import unanimous_text

if TYPE_CHECKING:
    from bot.insights.cohorts import Cohort

_BAR = "#c9b8a6"
_LINE = "#2a6f97"


def _png(fig: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")  # type: ignore[attr-defined]
    fig.clear()  # type: ignore[attr-defined]
    return buffer.getvalue()


def verdict_chart(verdict: Verdict, tr: Translator | None = None) -> bytes:
    from matplotlib.figure import Figure

    tr = tr or translator(SOURCE_LANGUAGE)

    fig = Figure(figsize=(6.4, 3.6), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    stars = [1, 2, 3, 4, 5]
    ax.bar(stars, verdict.distribution, color=_BAR, edgecolor="#8a7560")
    for x, n in zip(stars, verdict.distribution, strict=True):
        if n:
            ax.annotate(tr.integer(n), (x, n), ha="center", va="bottom", fontsize=9)
    top = max(verdict.distribution) or 1
    summary = verdict.summary
    if summary is RatingSummary.INTERVAL and verdict.interval is not None:
        iv = verdict.interval
        y = top * 1.15
        legend = tr._(
            "mean {mean}★, 95% interval {low}–{high}★",
            mean=tr.decimal(iv.mean), low=tr.decimal(iv.low), high=tr.decimal(iv.high),
        )  # fmt: skip
        ax.errorbar(
            [iv.mean], [y], xerr=[[iv.mean - iv.low], [iv.high - iv.mean]],
            fmt="o", color=_LINE, capsize=5, label=html_to_plain(legend),
        )  # fmt: skip
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    elif verdict.raters:
        if summary is RatingSummary.UNANIMOUS:
            note = unanimous_text(verdict, tr)  # no spread, so no interval to draw
        else:
            note = tr._("too few ratings to tell (n = {n})", n=tr.integer(verdict.raters))
        ax.text(
            3, top * 1.15, html_to_plain(note), ha="center", color="#666666", fontsize=9,
        )  # fmt: skip
    from matplotlib.ticker import MaxNLocator

    ax.set_ylim(0, top * 1.35)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # raters are whole people
    ax.set_xticks(stars, [f"{s}★" for s in stars])
    ax.set_ylabel(html_to_plain(tr._("raters")))
    title = tr._("{label}: ratings (n = {n})", label=verdict.label, n=tr.integer(verdict.raters))
    ax.set_title(html_to_plain(title), fontsize=10)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _png(fig)


def retention_chart(cohorts: Sequence[Cohort], title: str, tr: Translator | None = None) -> bytes:
    tr = tr or translator(SOURCE_LANGUAGE)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 4.0), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    drawn = 0
    for cohort in cohorts:
        points = [(w, s) for w, s, n in cohort.weekly_active if n > 0]
        if not points:
            continue
        ax.plot(
            [w + 1 for w, _ in points], [s * 100 for _, s in points], marker="o",
            label=f"{label_text(cohort.label, tr)} (n = {tr.integer(cohort.joined)})",
        )  # fmt: skip
        drawn += 1
    if not drawn:
        empty = html_to_plain(tr._("no cohorts yet"))
        ax.text(0.5, 0.5, empty, ha="center", transform=ax.transAxes)
    ax.set_xlabel(html_to_plain(tr._("week since joining (1 = the first week)")))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(html_to_plain(tr._("% of the cohort active that week")))
    ax.set_ylim(0, 100)
    ax.set_title(title, fontsize=10)
    if drawn:
        ax.legend(fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _png(fig)
