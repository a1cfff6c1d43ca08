"""Pure rendering of a Digest: Telegram HTML, plain text, JSON and CSV.

Every value that comes from data (names, quotes, topics, aspects, the community's name) goes
through ``escape``; each HTML line closes the tags it opens, so ``split_message`` can cut the
digest between any two lines. Plain text is the HTML with the tags removed, so both always
say the same thing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from bot.core.digest_api import DigestSection
from bot.core.messaging import TEXT_LIMIT, escape, html_to_plain, split_message
from bot.digest.build import AspectFigures, Digest, Quote

_ARROWS = {
    "up": "▲ up",
    "down": "▼ down",
    "steady": "► steady",
    "new": "new (not mentioned in the 7 days before)",
}


def signed(value: float | None) -> str:
    if value is None:
        return "n/a"
    text = f"{value:+.2f}"
    return "±0.00" if text in ("+0.00", "-0.00") else text.replace("-", "−")


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _trend(change: float | None, clear: bool | None = True) -> str:
    if change is None:
        return "n/a"
    if clear is False:
        return "no clear change"  # smaller than the noise for these n (bot/insights/honest.py)
    arrow = "▲" if change > 0.005 else "▼" if change < -0.005 else "►"
    return f"{signed(change)} {arrow}"


def _aspect_trend(aspect: AspectFigures) -> str:
    if aspect.direction in ("up", "down") and aspect.clear is False:
        return "no clear change"  # the move is within the noise of its mentions
    return _ARROWS.get(aspect.direction, aspect.direction)


# Fewer scored messages than this: counts, not percentages of a handful.
SMALL_N = 10


def _shares(digest: Digest) -> str:
    if digest.scored >= SMALL_N:
        return (
            f"Positive {percent(digest.positive_share)} · neutral "
            f"{percent(digest.neutral_share)} · negative {percent(digest.negative_share)}"
        )
    counts = [
        round((share or 0) * digest.scored)
        for share in (digest.positive_share, digest.neutral_share, digest.negative_share)
    ]
    return (
        f"Positive {counts[0]} · neutral {counts[1]} · negative {counts[2]} "
        f"(of {digest.scored}: too few for percentages)"
    )


def _mood(mean: float | None, positive: float = 0.1, negative: float = -0.1) -> str:
    if mean is None:
        return ""
    return " 😊" if mean > positive else " 😞" if mean < negative else " 😐"


def _section(title: str, lines: Iterable[str]) -> list[str]:
    return ["", f"<b>{escape(title)}</b>", *lines]


def _quote_line(quote: Quote) -> str:
    return f"“{escape(quote.text)}” — <i>{escape(quote.author)}</i> ({signed(quote.polarity)})"


def _aspect_line(aspect: AspectFigures) -> str:
    mentions = "mention" if aspect.mentions == 1 else "mentions"
    line = (
        f"• <b>{escape(aspect.name)}</b>: {aspect.mentions} {mentions}, "
        f"sentiment {signed(aspect.mean)}, {_aspect_trend(aspect)}"
    )
    if aspect.previous_mean is not None:
        line += f" (7 days before: {signed(aspect.previous_mean)} in {aspect.previous_mentions})"
    return line


def _provider_section(section: DigestSection) -> list[str]:
    # Provider lines are HTML already (escaped by their feature); only the title is ours.
    return _section(section.title, section.lines or ["—"])


def render_html(digest: Digest) -> str:
    day = digest.day
    lines = [
        f"<b>📊 Daily digest · {escape(digest.community)}</b>",
        f"<b>{escape(day.strftime('%A'))} {day.day} {escape(day.strftime('%B %Y'))}</b> "
        f"({escape(digest.timezone)})",
    ]
    if digest.late:
        lines.append("<i>⏰ Sent late: the bot was not running at the usual time.</i>")

    by_key = {s.key: s for s in digest.sections}
    if "members" in by_key:
        lines += _provider_section(by_key["members"])

    activity = [
        f"Messages: <b>{digest.messages}</b> from <b>{digest.active_members}</b> "
        f"member{'s' if digest.active_members != 1 else ''}"
    ]
    if digest.brand_posts:
        activity.append(f"Brand posts (anonymous admin): {digest.brand_posts}")
    if digest.busiest_hours:
        activity.append(
            "Busiest hours: "
            + ", ".join(f"{escape(hour)} ({n})" for hour, n in digest.busiest_hours)
        )
    lines += _section("Activity", activity)

    if digest.scored:
        sentiment = [
            f"Mean: <b>{signed(digest.mean)}</b>{_mood(digest.mean)} over {digest.scored} "
            "scored messages",
            _shares(digest),
            f"Change vs the day before: "
            f"{_trend(digest.change_vs_yesterday, digest.change_vs_yesterday_clear)} · "
            f"vs the 7-day average: {_trend(digest.change_vs_week, digest.change_vs_week_clear)}",
        ]
    else:
        sentiment = ["No scored messages this day."]
    if digest.unscored:
        languages = ", ".join(
            f"{escape(code)} {n}" for code, n in digest.unscored_languages.items()
        )
        sentiment.append(
            f"Not scored (another language, or no words): {digest.unscored}"
            + (f" ({languages})" if languages else "")
        )
    lines += _section("Sentiment", sentiment)

    if digest.aspects:
        lines += _section("Aspects", [_aspect_line(a) for a in digest.aspects])
    if digest.topics:
        lines += _section(
            "Top topics", [" · ".join(f"{escape(t)} ({n})" for t, n in digest.topics)]
        )
    if digest.positive_quotes:
        lines += _section("Most positive", [_quote_line(q) for q in digest.positive_quotes])
    if digest.negative_quotes:
        lines += _section("Most negative", [_quote_line(q) for q in digest.negative_quotes])

    for section in digest.sections:
        if section.key != "members":
            lines += _provider_section(section)
    return "\n".join(lines)


def quote_lines(digest: Digest) -> list[tuple[int, str]]:
    """(author's user id, the exact line as rendered) for every quote in the digest."""
    quotes = digest.positive_quotes + digest.negative_quotes
    return [(quote.user_id, _quote_line(quote)) for quote in quotes]


def html_parts(digest: Digest, limit: int = TEXT_LIMIT) -> list[str]:
    """The HTML digest as Telegram messages, each within ``limit`` characters."""
    return split_message(render_html(digest), limit)


def render_text(digest: Digest) -> str:
    return html_to_plain(render_html(digest)) + "\n"


def render_json(digest: Digest) -> str:
    return json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) + "\n"


def csv_rows(digest: Digest) -> list[tuple[str, str, str]]:
    """(section, key, value) rows: one figure per row, easy to pivot in a spreadsheet."""
    rows: list[tuple[str, str, str]] = [
        ("digest", "day", digest.day.isoformat()),
        ("digest", "timezone", digest.timezone),
        ("digest", "late", str(digest.late).lower()),
        ("activity", "messages", str(digest.messages)),
        ("activity", "active_members", str(digest.active_members)),
        ("activity", "brand_posts", str(digest.brand_posts)),
    ]
    rows += [("busiest_hours", hour, str(n)) for hour, n in digest.busiest_hours]

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    rows += [
        ("sentiment", "scored", str(digest.scored)),
        ("sentiment", "unscored", str(digest.unscored)),
        ("sentiment", "mean", number(digest.mean)),
        ("sentiment", "positive_share", number(digest.positive_share)),
        ("sentiment", "neutral_share", number(digest.neutral_share)),
        ("sentiment", "negative_share", number(digest.negative_share)),
        ("sentiment", "change_vs_yesterday", number(digest.change_vs_yesterday)),
        ("sentiment", "change_vs_week", number(digest.change_vs_week)),
    ]
    rows += [("unscored_language", code, str(n)) for code, n in digest.unscored_languages.items()]
    for a in digest.aspects:
        rows += [
            (f"aspect:{a.name}", "mentions", str(a.mentions)),
            (f"aspect:{a.name}", "mean", number(a.mean)),
            (f"aspect:{a.name}", "previous_mean", number(a.previous_mean)),
            (f"aspect:{a.name}", "direction", a.direction),
        ]
    rows += [("topic", topic, str(n)) for topic, n in digest.topics]
    rows += [("quote:positive", q.author, q.text) for q in digest.positive_quotes]
    rows += [("quote:negative", q.author, q.text) for q in digest.negative_quotes]
    rows += [("history", p.day, f"{p.messages};{number(p.mean)}") for p in digest.history]
    for section in digest.sections:
        rows += [
            (
                f"section:{section.key}",
                str(key),
                json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value,
            )
            for key, value in section.data.items()
        ]
    return rows


def render_csv(digest: Digest) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("section", "key", "value"))
    for row in csv_rows(digest):
        # A leading = + - @ would be read as a formula by spreadsheets: keep member words inert.
        writer.writerow(tuple(_inert(cell) for cell in row))
    return buffer.getvalue()


def _inert(cell: str) -> str:
    return (
        "'" + cell
        if cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and not _is_number(cell))
        else cell
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


RENDERERS = {"text": render_text, "html": render_html, "json": render_json, "csv": render_csv}
