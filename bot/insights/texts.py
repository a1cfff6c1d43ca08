"""Every sentence the insights feature shows people, kept apart from the logic.

Functions here take plain data (outcomes, figures) and return HTML with every inserted
value escaped. Numbers carry their n; below the thresholds they say "too few to tell".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.insights.detector import ALL, Decision
from bot.messaging import escape

QUOTE_CHARS = 160
MUTE_BUTTON = "🔕 Mute these alerts for a day"
NOT_ALLOWED_MUTE = "Only the brand team and moderators can mute alerts."
NOT_THIS_ALERT = "This button does not belong to that alert."
UNKNOWN_ALERT = "That alert is no longer known."


@dataclass(frozen=True, slots=True)
class QuoteLine:
    author: str  # "Member #4"
    text: str
    link: str | None  # https://t.me/c/... or None when the chat has no public form


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
        f"(negative share {decision.baseline_share:.0%} over 28 days; now "
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
