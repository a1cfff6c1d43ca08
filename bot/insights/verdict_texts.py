"""The verdict card a preview gets: every sentence of it, with every number's n.

A pure function of a :class:`Verdict`; quotes are worded by ``bot.insights.texts``.
"""

from __future__ import annotations

from bot.core.i18n import N_, Html, Translator, html_join, translator
from bot.core.messaging import escape
from bot.insights.records import RatingSummary, Verdict
from bot.insights.texts import quote_html

# Callers outside a club (tests, the command line) read English.
_ENGLISH = translator("en")

STAR = "★"


def _stars(tr: Translator, value: float) -> str:
    return f"{tr.decimal(value)}{STAR}"


def unanimous_text(v: Verdict, tr: Translator) -> Html:
    """The plain words for a unanimous verdict, such as "all 5 raters gave 5★"."""
    stars = tr.integer(v.unanimous_stars or 0) + STAR
    return tr.n_("{n} rater gave {stars}", "all {n} raters gave {stars}", v.raters, stars=stars)


def _rank(v: Verdict, tr: Translator) -> Html:
    if v.rank is None or not v.previous:
        return Html("")
    last = len(v.previous) + 1
    if v.rank == 1:
        return tr._(", the best of the last {n}", n=last)
    return tr._(", #{rank} of the last {n}", rank=v.rank, n=last)


def verdict_text(v: Verdict, tr: Translator = _ENGLISH) -> str:
    lines: list[str] = [tr._("🧾 <b>Verdict: {label}</b>", label=v.label)]
    spread = " ".join(f"{n}{STAR}:{tr.integer(c)}" for n, c in enumerate(v.distribution, start=1))
    summary = v.summary
    if summary is RatingSummary.NONE:
        lines.append(
            tr._("No ratings (n = 0); too few ratings to tell (need {min}).", min=v.min_ratings)
        )
    elif summary is RatingSummary.TOO_FEW:
        lines.append(
            tr._(
                "{ratings} ({spread}): too few ratings to tell (need {min}).",
                ratings=tr.n_("{n} rating", "{n} ratings", v.raters),
                spread=spread,
                min=v.min_ratings,
            )
        )
    elif summary is RatingSummary.UNANIMOUS:
        # No spread to estimate an interval from: the counts are the whole honest story.
        lines.append(Html(f"<b>{unanimous_text(v, tr)}</b>{_rank(v, tr)}"))
    else:
        assert v.interval is not None  # RatingSummary.INTERVAL
        iv = v.interval
        lines.append(
            tr._(
                "<b>{mean}</b> from {raters} (95% interval {low}–{high}){rank}",
                mean=_stars(tr, iv.mean),
                raters=tr.n_("{n} rater", "{n} raters", v.raters),
                low=tr.decimal(iv.low),
                high=_stars(tr, iv.high),
                rank=_rank(v, tr),
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
    summary = v.summary
    if summary is RatingSummary.INTERVAL:
        return tr._(
            "{label}: ratings (n = {n}) with the 95% interval of the mean",
            label=v.label,
            n=tr.integer(v.raters),
        )
    if summary is RatingSummary.UNANIMOUS:
        found = unanimous_text(v, tr)
    else:  # the chart shows the counts and says as much; no interval is drawn
        found = tr._("too few ratings to tell (need {min})", min=v.min_ratings)
    return tr._(
        "{label}: ratings (n = {n}), {found}",
        label=v.label,
        n=tr.integer(v.raters),
        found=found,
    )
