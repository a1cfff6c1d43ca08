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
from bot.core.i18n import N_, SOURCE_LANGUAGE, Translator, html_join, translator
from bot.core.messaging import TEXT_LIMIT, escape, html_to_plain, split_message
from bot.digest.build import AspectFigures, Digest, Quote

_ARROWS = {
    "up": N_("▲ up"),
    "down": N_("▼ down"),
    "steady": N_("► steady"),
    "new": N_("new (not mentioned in the 7 days before)"),
}


def signed(value: float | None, tr: Translator | None = None) -> str:
    tr = tr or translator(SOURCE_LANGUAGE)
    if value is None:
        return tr._("n/a")
    if round(value, 2) == 0:
        return "±" + tr.decimal(0, 2)
    return tr.signed(value, 2)


def percent(value: float | None, tr: Translator | None = None) -> str:
    tr = tr or translator(SOURCE_LANGUAGE)
    return tr._("n/a") if value is None else tr.percent(value)


def _trend(tr: Translator, change: float | None, clear: bool | None = True) -> str:
    if change is None:
        return tr._("n/a")
    if clear is False:
        # Smaller than the noise for these n (bot/insights/honest.py).
        return tr._("no clear change")
    arrow = "▲" if change > 0.005 else "▼" if change < -0.005 else "►"
    return f"{signed(change, tr)} {arrow}"


def _aspect_trend(tr: Translator, aspect: AspectFigures) -> str:
    if aspect.direction in ("up", "down") and aspect.clear is False:
        return tr._("no clear change")  # the move is within the noise of its mentions
    return tr._(_ARROWS[aspect.direction]) if aspect.direction in _ARROWS else aspect.direction


# Fewer scored messages than this: counts, not percentages of a handful.
SMALL_N = 10


def _shares(tr: Translator, digest: Digest) -> str:
    if digest.scored >= SMALL_N:
        return tr._(
            "Positive {positive} · neutral {neutral} · negative {negative}",
            positive=percent(digest.positive_share, tr),
            neutral=percent(digest.neutral_share, tr),
            negative=percent(digest.negative_share, tr),
        )
    counts = [
        round((share or 0) * digest.scored)
        for share in (digest.positive_share, digest.neutral_share, digest.negative_share)
    ]
    return tr._(
        "Positive {positive} · neutral {neutral} · negative {negative} "
        "(of {scored}: too few for percentages)",
        positive=counts[0],
        neutral=counts[1],
        negative=counts[2],
        scored=digest.scored,
    )


_FACES = {"positive": " 😊", "neutral": " 😐", "negative": " 😞"}


def _mood(label: str | None) -> str:
    return _FACES.get(label, "") if label else ""


def _section(title: str, lines: Iterable[str]) -> list[str]:
    return ["", f"<b>{escape(title)}</b>", *lines]


def _quote_line(quote: Quote, tr: Translator | None = None) -> str:
    tr = tr or translator(SOURCE_LANGUAGE)
    # Members' words stay as they wrote them; only the frame is the club's language.
    return tr._(
        "“{text}” — <i>{author}</i> ({polarity})",
        text=quote.text,
        author=quote.author,
        polarity=signed(quote.polarity, tr),
    )


def _aspect_line(tr: Translator, aspect: AspectFigures) -> str:
    line: str = tr.n_(
        "• <b>{aspect}</b>: {n} mention, sentiment {mean}, {trend}",
        "• <b>{aspect}</b>: {n} mentions, sentiment {mean}, {trend}",
        aspect.mentions,
        aspect=aspect.name,
        mean=signed(aspect.mean, tr),
        trend=_aspect_trend(tr, aspect),
    )
    if aspect.previous_mean is not None:
        line += " " + tr._(
            "(7 days before: {mean} in {mentions})",
            mean=signed(aspect.previous_mean, tr),
            mentions=aspect.previous_mentions,
        )
    return line


def _provider_section(section: DigestSection) -> list[str]:
    # Provider lines are HTML already (escaped by their feature); only the title is ours.
    return _section(section.title, section.lines or ["—"])


def render_html(digest: Digest) -> str:
    tr = translator(digest.language)
    lines: list[str] = [
        tr._("<b>📊 Daily digest · {club}</b>", club=digest.community),
        tr._("<b>{day}</b> ({zone})", day=tr.date(digest.day), zone=tr.timezone(digest.timezone)),
    ]
    if digest.late:
        lines.append(tr._("<i>⏰ Sent late: the bot was not running at the usual time.</i>"))

    by_key = {s.key: s for s in digest.sections}
    if "members" in by_key:
        lines += _provider_section(by_key["members"])

    activity: list[str] = [
        tr.n_(
            "Messages: <b>{messages}</b> from <b>{n}</b> member",
            "Messages: <b>{messages}</b> from <b>{n}</b> members",
            digest.active_members,
            messages=digest.messages,
        )
    ]
    if digest.brand_posts:
        activity.append(tr._("Brand posts: {n}", n=digest.brand_posts))
    if digest.busiest_hours:
        activity.append(
            tr._(
                "Busiest hours: {hours}",
                hours=html_join(", ", (f"{hour} ({n})" for hour, n in digest.busiest_hours)),
            )
        )
    lines += _section(tr._("Activity"), activity)

    if digest.scored:
        sentiment: list[str] = [
            tr.n_(
                "Mean: <b>{mean}</b>{mood} over {n} scored message",
                "Mean: <b>{mean}</b>{mood} over {n} scored messages",
                digest.scored,
                mean=signed(digest.mean, tr),
                mood=_mood(digest.mood),
            ),
            _shares(tr, digest),
            tr._(
                "Change vs the day before: {day} · vs the 7-day average: {week}",
                day=_trend(tr, digest.change_vs_yesterday, digest.change_vs_yesterday_clear),
                week=_trend(tr, digest.change_vs_week, digest.change_vs_week_clear),
            ),
        ]
    else:
        sentiment = [tr._("No scored messages this day.")]
    if digest.unscored:
        languages = ", ".join(
            f"{escape(code)} {n}" for code, n in digest.unscored_languages.items()
        )
        sentiment.append(
            tr._("Not scored (another language, or no words): {n}", n=digest.unscored)
            + (f" ({languages})" if languages else "")
        )
    lines += _section(tr._("Sentiment"), sentiment)

    if digest.aspects:
        lines += _section(tr._("Aspects"), [_aspect_line(tr, a) for a in digest.aspects])
    if digest.topics:
        lines += _section(
            tr._("Top topics"), [" · ".join(f"{escape(t)} ({n})" for t, n in digest.topics)]
        )
    if digest.positive_quotes:
        lines += _section(
            tr._("Most positive"), [_quote_line(q, tr) for q in digest.positive_quotes]
        )
    if digest.negative_quotes:
        lines += _section(
            tr._("Most negative"), [_quote_line(q, tr) for q in digest.negative_quotes]
        )

    for section in digest.sections:
        if section.key != "members":
            lines += _provider_section(section)
    return "\n".join(lines)


def quote_lines(digest: Digest) -> list[tuple[int, str]]:
    """(member's user id, the exact line as rendered) for every line that quotes or names a
    member: the main quotes and the lines the feature sections own."""
    quotes = digest.positive_quotes + digest.negative_quotes
    tr = translator(digest.language)
    owned = [(quote.user_id, _quote_line(quote, tr)) for quote in quotes]
    for section in digest.sections:
        owned += section.owned_lines
    return owned


def html_parts(digest: Digest, limit: int = TEXT_LIMIT, *, heading: str = "") -> list[str]:
    """The HTML digest as Telegram messages, each within ``limit`` characters.

    ``heading`` (HTML, e.g. "Today so far.") goes above the digest before it is split: added
    to a first part that was already split full, it made a message Telegram refuses.
    """
    text = render_html(digest)
    return split_message(f"{heading}\n{text}" if heading else text, limit)


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
