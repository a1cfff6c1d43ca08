"""The verdict card a preview gets: every sentence of it, with every number's n.

A pure function of a :class:`Verdict`; quotes are worded by ``bot.insights.texts``.
"""

from __future__ import annotations

from bot.core.i18n import N_, Html, Translator, html_join, translator
from bot.core.messaging import escape
from bot.insights.records import Verdict
from bot.insights.texts import quote_html

# Callers outside a club (tests, the command line) read English.
_ENGLISH = translator("en")

STAR = "★"


def _stars(tr: Translator, value: float) -> str:
    return f"{tr.decimal(value)}{STAR}"


def verdict_text(v: Verdict, tr: Translator = _ENGLISH) -> str:
    lines: list[str] = [tr._("🧾 <b>Verdict: {label}</b>", label=v.label)]
    spread = " ".join(f"{n}{STAR}:{tr.integer(c)}" for n, c in enumerate(v.distribution, start=1))
    if not v.raters:
        lines.append(
            tr._("No ratings (n = 0); too few ratings to tell (need {min}).", min=v.min_ratings)
        )
    elif not v.enough or v.interval is None:
        lines.append(
            tr._(
                "{ratings} ({spread}): too few ratings to tell (need {min}).",
                ratings=tr.n_("{n} rating", "{n} ratings", v.raters),
                spread=spread,
                min=v.min_ratings,
            )
        )
    else:
        iv = v.interval
        rank: str = ""
        if v.rank is not None and v.previous:
            last = len(v.previous) + 1
            if v.rank == 1:
                rank = tr._(", the best of the last {n}", n=last)
            else:
                rank = tr._(", #{rank} of the last {n}", rank=v.rank, n=last)
        lines.append(
            tr._(
                "<b>{mean}</b> from {raters} (95% interval {low}–{high}){rank}",
                mean=_stars(tr, iv.mean),
                raters=tr.n_("{n} rater", "{n} raters", v.raters),
                low=tr.decimal(iv.low),
                high=_stars(tr, iv.high),
                rank=Html(rank),
            )
        )
        lines.append(tr._("Ratings: {spread}", spread=spread))
    if v.previous:
        listed = html_join(
            " · ",
            (
                Html(f"{escape(c.label)} {_stars(tr, c.mean)} (n={tr.integer(c.raters)})")
                for c in v.previous
            ),
        )
        lines.append(tr._("Previous: {list}", list=listed))
    if v.poll_question:
        total = v.poll_voters
        parts = html_join(
            " · ",
            (
                Html(
                    f"{escape(opt)} {tr.integer(n)}"
                    + (f" ({tr.percent(n / total)})" if total >= 10 else "")
                )
                for opt, n in v.poll_options
            ),
        )
        lines.append(
            tr._(
                "Poll “{question}” (n={n}): {parts}",
                question=v.poll_question,
                n=tr.integer(total),
                parts=parts,
            )
        )
        if 0 < total < 10:
            lines.append(tr._("<i>Fewer than 10 voters: counts only, no percentages.</i>"))
    if v.reactions:
        listed = html_join(" ", (f"{k} {tr.integer(n)}" for k, n in v.reactions.items()))
        lines.append(tr._("Reactions: {list}", list=listed))
    if v.replies:
        labels = html_join(
            ", ",
            (
                Html(tr._(_REPLY_LABELS.get(k, k), n=tr.integer(n)))
                for k, n in v.reply_labels.items()
                if n
            ),
        )
        lines.append(
            tr._(
                "Replies: {replies} {from_members} ({labels})",
                replies=tr.integer(v.replies),
                from_members=tr.n_("from {n} member", "from {n} members", v.repliers),
                labels=labels,
            )
        )
    else:
        lines.append(tr._("Replies: none"))
    for a in v.aspects:
        lines.append(
            tr._(
                "• {aspect}: mentioned by {n} of {repliers} repliers; negative {negative}, "
                "positive {positive}",
                aspect=a.name,
                n=tr.integer(a.repliers),
                repliers=tr.integer(v.repliers),
                negative=tr.integer(a.negative),
                positive=tr.integer(a.positive),
            )
        )
    if v.themes:
        lines.append(tr._("Top themes:"))
        for t in v.themes:
            line = f"• {escape(t.topic)} ({tr.integer(t.mentions)})"
            if t.quote is not None:
                line += f": {quote_html(t.quote, tr)}"
            lines.append(line)
    return "\n".join(lines)


# How a reply's sentiment label is counted on the card ("4 negative").
_REPLY_LABELS = {
    "positive": N_("{n} positive"),
    "neutral": N_("{n} neutral"),
    "negative": N_("{n} negative"),
    "unscored": N_("{n} unscored"),
}


def verdict_caption(v: Verdict, tr: Translator = _ENGLISH) -> str:
    # limit: 1024 (a photo caption)
    return tr._(
        "{label}: ratings (n = {n}) with the 95% interval of the mean",
        label=v.label,
        n=tr.integer(v.raters),
    )
