"""Every sentence the insights feature shows people, kept apart from the logic.

Functions here take plain data (outcomes, figures) and return HTML with every inserted
value escaped. Numbers carry their n; below the thresholds they say "too few to tell".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.i18n import N_, Html, Translator, translator
from bot.core.messaging import escape, html_to_plain
from bot.insights.detector import ALL, Decision
from bot.insights.records import QuoteLine, Verdict

if TYPE_CHECKING:
    from bot.insights.cohorts import Cohort

# Callers outside a club (tests, the command line) read English.
_ENGLISH = translator("en")
QUOTE_CHARS = 160
MUTE_BUTTON = "🔕 Mute these alerts for a day"
NOT_ALLOWED_MUTE = "Only the brand team and moderators can mute alerts."
NOT_THIS_ALERT = "This button does not belong to that alert."
UNKNOWN_ALERT = "That alert is no longer known."


def message_link(chat_id: int, message_id: int) -> str | None:
    """The t.me/c/ link of a supergroup message (members of the group can open it)."""
    raw = str(chat_id)
    if not raw.startswith("-100"):
        return None  # a basic group's messages have no link
    return f"https://t.me/c/{raw[4:]}/{message_id}"


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quote_html(quote: QuoteLine) -> str:
    body = f"“{escape(shorten(quote.text))}” — {escape(quote.author)}"
    if quote.link:
        body += f' (<a href="{escape(quote.link)}">message</a>)'
    return body


def key_label(key: str) -> str:
    return "all topics" if key == ALL else key


def chance_text(p: float) -> str:
    """How unlikely, in words a brand manager reads without statistics."""
    if p <= 0:
        return "practically never"
    if p < 1e-6:
        return "less than 1 in a million"
    odds = round(1 / p)
    return f"about 1 in {odds:,}"


def times_text(observed: int, expected: float) -> str:
    if expected <= 0.05:
        return "far above normal (normally close to none)"
    return f"{observed / expected:.1f}× normal"


def alert_text(
    decision: Decision,
    also: Sequence[Decision],
    *,
    window_start: int,
    window_end: int,
    tz: ZoneInfo,
    drivers: Sequence[tuple[str, int]],
    topics: Sequence[tuple[str, int]],
    quotes: Sequence[QuoteLine],
) -> str:
    start = datetime.fromtimestamp(window_start, tz)
    end = datetime.fromtimestamp(window_end, tz)
    what = "Negative talk" if decision.key == ALL else f"Negative talk about {decision.key}"
    lines = [
        f"🚨 <b>{escape(what)} is up</b>",
        f"{start:%H:%M}–{end:%H:%M} ({escape(tz.key)}): <b>{decision.observed}</b> negative "
        f"messages from {decision.members} members, of {decision.messages} messages.",
        f"Normal for a {start:%A} at this time: {decision.expected:.1f} "
        f"(negative share {decision.baseline_share:.0%} of {decision.baseline_messages:,} "
        f"messages over 28 days; now "
        f"{decision.share:.0%} of {decision.messages}).",
        f"That is {times_text(decision.observed, decision.expected)}; by the club's usual "
        f"pattern a window like this happens {chance_text(decision.p_value)}.",
    ]
    for other in also:
        lines.append(
            f"Also {escape(key_label(other.key))}: {other.observed} negative "
            f"(normal {other.expected:.1f})."
        )
    if drivers:
        lines.append("Driving it: " + " · ".join(f"{escape(name)} {n}" for name, n in drivers))
    if topics:
        lines.append("Topics: " + " · ".join(f"{escape(name)} ({n})" for name, n in topics))
    if quotes:
        lines.append("")
        lines.extend(quote_html(q) for q in quotes)
    return "\n".join(lines)


def muted_text(keys: Sequence[str], until: int, tz: ZoneInfo) -> str:
    when = datetime.fromtimestamp(until, tz)
    names = ", ".join(key_label(k) for k in keys)
    return f"Muted alerts for {names} until {when:%a %H:%M} ({tz.key})."


def muted_note(keys: Sequence[str], until: int, tz: ZoneInfo) -> str:
    return f"\n\n<i>{escape(muted_text(keys, until, tz))}</i>"


# --- verdict cards ---------------------------------------------------------------------

STAR = "★"


def verdict_text(v: Verdict) -> str:
    lines = [f"🧾 <b>Verdict: {escape(v.label)}</b>"]
    spread = " ".join(f"{n}{STAR}:{c}" for n, c in enumerate(v.distribution, start=1))
    if not v.raters:
        lines.append(f"No ratings (n = 0); too few ratings to tell (need {v.min_ratings}).")
    elif not v.enough or v.interval is None:
        lines.append(
            f"{v.raters} rating{'s' if v.raters != 1 else ''} ({spread}): too few ratings to "
            f"tell (need {v.min_ratings})."
        )
    else:
        iv = v.interval
        rank = ""
        if v.rank is not None and v.previous:
            rank = (
                f", the best of the last {len(v.previous) + 1}"
                if v.rank == 1
                else f", #{v.rank} of the last {len(v.previous) + 1}"
            )
        lines.append(
            f"<b>{iv.mean:.1f}{STAR}</b> from {v.raters} raters (95% interval "
            f"{iv.low:.1f}–{iv.high:.1f}{STAR}){escape(rank)}"
        )
        lines.append(f"Ratings: {spread}")
    if v.previous:
        lines.append(
            "Previous: "
            + " · ".join(
                f"{escape(c.label)} {c.mean:.1f}{STAR} (n={c.raters})" for c in v.previous
            )
        )
    if v.poll_question:
        total = v.poll_voters
        parts = " · ".join(
            f"{escape(opt)} {n}" + (f" ({n / total:.0%})" if total >= 10 else "")
            for opt, n in v.poll_options
        )
        lines.append(f"Poll “{escape(v.poll_question)}” (n={total}): {parts}")
        if 0 < total < 10:
            lines.append("<i>Fewer than 10 voters: counts only, no percentages.</i>")
    if v.reactions:
        lines.append("Reactions: " + " ".join(f"{escape(k)} {n}" for k, n in v.reactions.items()))
    if v.replies:
        labels = ", ".join(f"{n} {k}" for k, n in v.reply_labels.items() if n)
        lines.append(f"Replies: {v.replies} from {v.repliers} members ({labels})")
    else:
        lines.append("Replies: none")
    for a in v.aspects:
        lines.append(
            f"• {escape(a.name)}: mentioned by {a.repliers} of {v.repliers} repliers; "
            f"negative {a.negative}, positive {a.positive}"
        )
    if v.themes:
        lines.append("Top themes:")
        for t in v.themes:
            line = f"• {escape(t.topic)} ({t.mentions})"
            if t.quote is not None:
                line += f": {quote_html(t.quote)}"
            lines.append(line)
    return "\n".join(lines)


def verdict_caption(v: Verdict) -> str:
    return escape(f"{v.label}: ratings (n = {v.raters}) with the 95% interval of the mean")


# --- cohorts and segments --------------------------------------------------------------

SMALL_N = 10  # below this many people a share is shown as a count, not a percentage
NOT_MODERATOR = "Only the community's moderators can see this."
NOT_BRAND_TEAM = "Only the brand team and moderators can see verdicts."
PRIVATE_ONLY = "I answer this in a private chat only, since it names members. Write me there."
VERDICT_USAGE = "Usage: /verdict ID (the preview number /previews shows, e.g. 3)"


def share_text(part: int, whole: int, tr: Translator = _ENGLISH) -> str:
    if whole == 0:
        return tr._("n/a (n = 0)")
    if whole < SMALL_N:
        return tr._("{part} of {whole}", part=tr.integer(part), whole=tr.integer(whole))
    return tr._("{part} of {whole}", part=tr.percent(part / whole), whole=tr.integer(whole))


def cohort_lines(cohorts: Sequence[Cohort], tr: Translator = _ENGLISH) -> list[str]:
    if not cohorts:
        return [tr._("No members have joined with a code yet.")]
    lines: list[str] = []
    for c in cohorts:
        retention = " · ".join(
            tr._("{days} d: {share}", days=r.days, share=Html(share_text(r.still, r.eligible, tr)))
            for r in c.retention
            if r.eligible
        )
        week = next((w for w in reversed(c.weekly_active) if w[2]), None)
        first = c.weekly_active[0] if c.weekly_active else None
        lines.append(
            tr._(
                "<b>{label}</b>: joined {joined}, members now {now}",
                label=c.label,
                joined=tr.integer(c.joined),
                now=tr.integer(c.members_now),
            )
        )
        if retention:
            lines.append("  " + tr._("still members after {list}", list=Html(retention)))
        if first is not None:
            active: str = tr._(
                "active in week 1: {share}",
                share=Html(share_text(round(first[1] * first[2]), first[2], tr)),
            )
            if week is not None and week[0] > 0:
                active += " · " + tr._(
                    "week {n}: {share}",
                    n=week[0] + 1,
                    share=Html(share_text(round(week[1] * week[2]), week[2], tr)),
                )
            lines.append("  " + active)
        per = c.ratings_per_member
        if per is not None:
            ratings = tr.n_("{n} rating", "{n} ratings", c.ratings)
            lines.append(
                "  "
                + tr._(
                    "ratings per member {per} ({ratings})", per=tr.decimal(per), ratings=ratings
                )
            )
        if c.mean_sentiment is not None:
            sentiment = tr.n_(
                "mean sentiment {mean} over {n} message",
                "mean sentiment {mean} over {n} messages",
                c.scored_messages,
                mean=tr.signed(c.mean_sentiment),
            )
        else:
            sentiment = tr._("mean sentiment: no scored messages")
        lines.append("  " + sentiment)
    return lines


SEGMENT_NAMES = {
    "advocate": N_("Advocates"),
    "newcomer": N_("Newcomers"),
    "at_risk": N_("At risk"),
    "quiet": N_("Quiet"),
    "regular": N_("Regulars"),
}


def segment_count_line(counts: dict[str, int], tr: Translator = _ENGLISH) -> str:
    """Plain text: the segments' sizes."""
    total = sum(counts.values())
    parts = " · ".join(f"{tr._(SEGMENT_NAMES[key])} {counts.get(key, 0)}" for key in SEGMENT_NAMES)
    of = tr.n_("(of {n} member)", "(of {n} members)", total)
    return html_to_plain(f"{parts} {of}")


def segment_list_text(
    named: dict[str, list[str]], counts: dict[str, int], tr: Translator = _ENGLISH
) -> str:
    lines = [tr._("👥 <b>Member segments</b>"), escape(segment_count_line(counts, tr))]
    for key in ("advocate", "at_risk", "newcomer", "quiet"):
        people = named.get(key, [])
        lines.append("")
        lines.append(f"<b>{tr._(SEGMENT_NAMES[key])}</b> ({len(people)})")
        shown = people[:50]
        lines.extend(f"• {escape(p)}" for p in shown)
        if len(people) > len(shown):
            lines.append(tr._("… and {n} more", n=len(people) - len(shown)))
    return "\n".join(lines)
