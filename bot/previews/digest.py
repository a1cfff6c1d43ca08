"""The digest's previews section: ratings, reactions, reply sentiment and quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import Html, Translator, translator
from bot.core.messaging import escape
from bot.db import Database
from bot.previews.reads import display_names, feedback_for, previews_for_window
from bot.previews.replies import Reply, member_numbers
from bot.previews.service import replies_of
from bot.previews.texts import rating_text, reactions_text, sentiment_text

QUOTE_CHARS = 200


async def previews_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    records = await previews_for_window(db, window.start, window.end)
    if not records:
        return None
    tr = translator(settings.community.language)
    lines: list[str] = []
    owned: list[tuple[int, str]] = []
    data: list[dict[str, Any]] = []
    for record in records:
        feedback = await feedback_for(db, record.id)
        replies = await replies_of(db, record)
        quotes = await _quotes(db, replies, settings, tr)
        lines.append(f"<b>{escape(record.label)}</b>")
        lines.append(rating_text(feedback, tr))
        if feedback.reactions:
            lines.append(tr._("Reactions: {list}", list=Html(reactions_text(feedback.reactions))))
        if replies:
            lines.append(tr._("Replies: {list}", list=Html(sentiment_text(replies, tr))))
        for quote in quotes:
            line = _quote_line(tr, quote.text, quote.author)
            lines.append(line)
            owned.append((quote.user_id, line))
        data.append(
            {
                "id": record.id,
                "title": record.title,
                "published_at": record.published_at,
                "rating_average": feedback.average,
                "rating_distribution": list(feedback.distribution),
                "ratings": feedback.votes,
                "reactions": feedback.reactions,
                "replies": len(replies),
                "reply_labels": {
                    label: sum(1 for r in replies if r.label == label)
                    for label in ("positive", "neutral", "negative", "unscored")
                },
                "poll_id": record.poll_id,
            }
        )
    return DigestSection(
        key="previews",
        title=tr._("Previews"),
        lines=lines,
        data={"previews": data},
        owned_lines=owned,
    )


def _quote_line(tr: Translator, text: str, author: str) -> str:
    # The quote marks are the language's own: „…“ in German, “…” in English.
    return tr._("“{quote}” — {author}", quote=text, author=author)


# Stand for the quote and the author in signed_quote_line: no member's text holds them.
_QUOTE_SLOT, _AUTHOR_SLOT = "\x00", "\x01"


def signed_quote_line(tr: Translator, author: str) -> re.Pattern[str]:
    """A whole quote line of this section signed by ``author`` (a regular expression:
    ``re.escape`` a name; ``\\d+`` stands for any number).

    Digests stored by a release that did not yet record whose these lines are are searched
    with it, by "Member #N": a number no one else ever gets."""
    before, _, after = _quote_line(tr, _QUOTE_SLOT, _AUTHOR_SLOT).partition(_QUOTE_SLOT)
    head, _, tail = after.partition(_AUTHOR_SLOT)
    return re.compile(re.escape(before) + ".*" + re.escape(head) + author + re.escape(tail))


def pseudonym_pattern(tr: Translator, number: int | None = None) -> str:
    """ "Member #N" as a regular expression: of this number, or of any (None)."""
    if number is not None:
        return re.escape(tr._("Member #{n}", n=number))
    return re.escape(tr._("Member #{n}", n=_QUOTE_SLOT)).replace(_QUOTE_SLOT, r"\d+")


@dataclass(frozen=True, slots=True)
class _Quote:
    text: str
    author: str
    user_id: int  # whose words: the stored digest records it for /forgetme


async def _quotes(
    db: Database, replies: list[Reply], settings: Settings, tr: Translator
) -> list[_Quote]:
    """The strongest opinions (most positive and most negative first)."""
    count = settings.digest.quotes
    scored = [r for r in replies if r.label in ("positive", "negative") and r.text.strip()]
    if not count or not scored:
        return []
    chosen = sorted(scored, key=lambda r: abs(r.polarity), reverse=True)[:count]
    names: dict[int, str]
    if settings.digest.show_names:
        names = await display_names(db, [r.user_id for r in chosen])
    else:
        numbers = await member_numbers(db, [r.user_id for r in chosen])
        names = {uid: tr._("Member #{n}", n=n) for uid, n in numbers.items()}
    out = []
    for reply in chosen:
        # One line, as the digest's other quotes: a line of the digest is a line of a message.
        text = " ".join(reply.text.split())
        if len(text) > QUOTE_CHARS:
            text = text[: QUOTE_CHARS - 1] + "…"
        out.append(_Quote(text, names.get(reply.user_id) or tr._("a member"), reply.user_id))
    return out
