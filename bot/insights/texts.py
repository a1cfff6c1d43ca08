"""Every sentence the insights feature shows people, kept apart from the logic.

Functions here take plain data (outcomes, figures) and return HTML with every inserted
value escaped. Numbers carry their n; below the thresholds they say "too few to tell".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.messaging import escape
from bot.insights.detector import ALL, Decision
from bot.insights.records import QuoteLine, Verdict

if TYPE_CHECKING:
    from bot.insights.cohorts import Cohort

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


def share_text(part: int, whole: int) -> str:
    if whole == 0:
        return "n/a (n = 0)"
    if whole < SMALL_N:
        return f"{part} of {whole}"
    return f"{part / whole:.0%} of {whole}"


def cohort_lines(cohorts: Sequence[Cohort]) -> list[str]:
    if not cohorts:
        return ["No members have joined with a code yet."]
    lines = []
    for c in cohorts:
        retention = " · ".join(
            f"{r.days} d: {share_text(r.still, r.eligible)}" for r in c.retention if r.eligible
        )
        week = next((w for w in reversed(c.weekly_active) if w[2]), None)
        first = c.weekly_active[0] if c.weekly_active else None
        lines.append(f"<b>{escape(c.label)}</b>: joined {c.joined}, members now {c.members_now}")
        if retention:
            lines.append(f"  still members after {retention}")
        if first is not None:
            lines.append(
                f"  active in week 1: {share_text(round(first[1] * first[2]), first[2])}"
                + (
                    f" · week {week[0] + 1}: {share_text(round(week[1] * week[2]), week[2])}"
                    if week is not None and week[0] > 0
                    else ""
                )
            )
        sentiment = (
            f"{c.mean_sentiment:+.2f} over {c.scored_messages} messages"
            if c.mean_sentiment is not None
            else "no scored messages"
        )
        per = c.ratings_per_member
        lines.append(
            f"  ratings per member {per:.1f} ({c.ratings} rating{'s' if c.ratings != 1 else ''})"
            if per is not None
            else ""
        )
        lines.append(f"  mean sentiment {sentiment}")
    return [line for line in lines if line]


SEGMENT_NAMES = {
    "advocate": "Advocates",
    "newcomer": "Newcomers",
    "at_risk": "At risk",
    "quiet": "Quiet",
    "regular": "Regulars",
}


def segment_count_line(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return (
        " · ".join(f"{SEGMENT_NAMES[key]} {counts.get(key, 0)}" for key in SEGMENT_NAMES)
        + f" (of {total} members)"
    )


def segment_list_text(named: dict[str, list[str]], counts: dict[str, int]) -> str:
    lines = ["👥 <b>Member segments</b>", escape(segment_count_line(counts))]
    for key in ("advocate", "at_risk", "newcomer", "quiet"):
        people = named.get(key, [])
        lines.append("")
        lines.append(f"<b>{SEGMENT_NAMES[key]}</b> ({len(people)})")
        shown = people[:50]
        lines.extend(f"• {escape(p)}" for p in shown)
        if len(people) > len(shown):
            lines.append(f"… and {len(people) - len(shown)} more")
    return "\n".join(lines)
