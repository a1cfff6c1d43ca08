"""Every sentence the insights feature shows people, kept apart from the logic.

Functions here take plain data (outcomes, figures) and return HTML with every inserted
value escaped. Numbers carry their n; below the thresholds they say "too few to tell".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.lists import format_list

from bot.core.i18n import N_, Html, Translator, html_join, translator
from bot.core.messaging import escape, html_to_plain
from bot.gate import label_text
from bot.insights.detector import ALL, Decision
from bot.insights.records import QuoteLine

if TYPE_CHECKING:
    from bot.insights.cohorts import Cohort

# Callers outside a club (tests, the command line) read English.
_ENGLISH = translator("en")
QUOTE_CHARS = 160
# limit: 32 (a button label: a phone shows about that much)
MUTE_BUTTON = N_("🔕 Mute these alerts for a day")
# limit: 200 (answerCallbackQuery)
NOT_ALLOWED_MUTE = N_("Only the brand team and moderators can mute alerts.")
# limit: 200 (answerCallbackQuery)
NOT_THIS_ALERT = N_("This button does not belong to that alert.")
# limit: 200 (answerCallbackQuery)
UNKNOWN_ALERT = N_("That alert is no longer known.")
# limit: 200 (answerCallbackQuery)
OUT_OF_DATE = N_("This button is out of date.")
NO_SUCH_PREVIEW = N_("There is no published preview #{id}. /previews lists them.")


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def pseudonym(number: int | None, tr: Translator = _ENGLISH) -> str:
    """How a quote names its author: "Member #4" ("Mitglied #4"), "a member" without one."""
    return str(tr._("Member #{n}", n=number) if number is not None else tr._("a member"))


def quote_html(quote: QuoteLine, tr: Translator = _ENGLISH) -> str:
    # The quote marks are the language's own: „…“ in German, “…” in English.
    body: str = tr._("“{quote}” — {author}", quote=shorten(quote.text), author=quote.author)
    if quote.link:
        body += " " + tr._('(<a href="{link}">message</a>)', link=quote.link)
    return body


def key_label(key: str, tr: Translator = _ENGLISH) -> str:
    return tr._("all topics") if key == ALL else escape(key)


def chance_text(p: float, tr: Translator = _ENGLISH) -> str:
    """How unlikely, in words a brand manager reads without statistics."""
    if p <= 0:
        return tr._("practically never")
    if p < 1e-6:
        return tr._("less than once in a million windows")
    return tr._("about once in {odds} windows", odds=tr.integer(round(1 / p)))


def times_text(observed: int, expected: float, tr: Translator = _ENGLISH) -> str:
    if expected <= 0.05:
        return tr._("far above normal (normally close to none)")
    return tr._("{times}× normal", times=tr.decimal(observed / expected))


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
    tr: Translator = _ENGLISH,
) -> str:
    start = datetime.fromtimestamp(window_start, tz)
    end = datetime.fromtimestamp(window_end, tz)
    d = decision
    if d.key == ALL:
        title = tr._("🚨 <b>Negative talk is up</b>")
    else:
        title = tr._("🚨 <b>Negative talk about {aspect} is up</b>", aspect=d.key)
    lines: list[str] = [
        title,
        tr._(
            "{start}–{end} ({zone}): {negative} {from_members} ({total} in all).",
            start=tr.time(start),
            end=tr.time(end),
            zone=tr.timezone(tz.key),
            negative=tr.n_(
                "<b>{n}</b> negative message", "<b>{n}</b> negative messages", d.observed
            ),
            from_members=tr.n_("from {n} member", "from {n} members", d.members),
            total=tr.n_("{n} message", "{n} messages", d.messages),
        ),
        tr._(
            "Normal on a {weekday} at this time: {expected} (negative share {share} "
            "{of_messages} over 28 days; now {now} of {messages}).",
            weekday=tr.weekday(start.weekday()),
            expected=tr.decimal(d.expected),
            share=tr.percent(d.baseline_share),
            of_messages=tr.n_("of {n} message", "of {n} messages", d.baseline_messages),
            now=tr.percent(d.share),
            messages=tr.integer(d.messages),
        ),
        tr._(
            "That is {times}; by the club's usual pattern a window like this happens {chance}.",
            times=Html(times_text(d.observed, d.expected, tr)),
            chance=Html(chance_text(d.p_value, tr)),
        ),
    ]
    for other in also:
        lines.append(
            tr._(
                "Also {topic}: {observed} negative (normal {expected}).",
                topic=Html(key_label(other.key, tr)),
                observed=tr.integer(other.observed),
                expected=tr.decimal(other.expected),
            )
        )
    if drivers:
        listed = html_join(" · ", (f"{escape(name)} {tr.integer(n)}" for name, n in drivers))
        lines.append(tr._("Driving it: {list}", list=listed))
    if topics:
        listed = html_join(" · ", (f"{escape(name)} ({tr.integer(n)})" for name, n in topics))
        lines.append(tr._("Topics: {list}", list=listed))
    if quotes:
        lines.append("")
        lines.extend(quote_html(q, tr) for q in quotes)
    return "\n".join(lines)


def muted_text(keys: Sequence[str], until: int, tz: ZoneInfo, tr: Translator = _ENGLISH) -> str:
    """Plain text (a button-press answer shows no HTML)."""
    when = datetime.fromtimestamp(until, tz)
    return html_to_plain(
        tr._(
            "Muted alerts for {topics} until {weekday} {time} ({zone}).",
            # "taste and all topics", "Geschmack und alle Themen": the locale's own list.
            topics=Html(format_list([key_label(k, tr) for k in keys], locale=tr.locale)),
            weekday=tr.weekday(when.weekday()),
            time=tr.time(when),
            zone=tr.timezone(tz.key),
        )
    )


def muted_note(keys: Sequence[str], until: int, tz: ZoneInfo, tr: Translator = _ENGLISH) -> str:
    return f"\n\n<i>{escape(muted_text(keys, until, tz, tr))}</i>"


# --- cohorts and segments --------------------------------------------------------------

SMALL_N = 10  # below this many people a share is shown as a count, not a percentage
NOT_MODERATOR = N_("Only the community's moderators can see this.")
NOT_BRAND_TEAM = N_("Only the brand team and moderators can see verdicts.")
PRIVATE_ONLY = N_("I answer this in a private chat only, since it names members. Write me there.")
VERDICT_USAGE = N_("Usage: /verdict ID (the preview number /previews shows, e.g. 3)")
VERDICT_SENT_PRIVATELY = N_("I sent you the verdict card in a private chat.")
VERDICT_NOT_HERE = N_(
    "The verdict card quotes members, so it is not shown in this group. Start a private chat "
    "with me and ask again, or ask in the brand team's chat."
)


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
                label=label_text(c.label, tr),
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
