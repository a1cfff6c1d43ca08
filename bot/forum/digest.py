"""The digest's per-topic section: in a forum club, the day's activity and mood per topic."""

from __future__ import annotations

from bot.config import Settings
from bot.core.digest_api import DayWindow, DigestSection
from bot.core.i18n import N_, Translator, translator
from bot.core.messaging import escape
from bot.db import Database
from bot.forum.repo import TopicDay, knows_topics, topic_days, topic_names
from bot.insights import community_chat_id

# Below this many scored messages a topic's mean says little: the section gives counts and
# says so, as the digest does for the whole day's shares (bot/digest/render.py SMALL_N).
TOO_FEW_SCORED = 10
# The data keeps the English name (a machine field); the line a person reads translates it.
GENERAL = N_("General")


async def topics_section(
    db: Database, window: DayWindow, settings: Settings
) -> DigestSection | None:
    chat = await community_chat_id(db, settings.telegram.community_chat_id)
    days = await topic_days(db, chat, window.start, window.end)
    in_topics = any(day.thread_id is not None for day in days)
    if not days or not (in_topics or await knows_topics(db, chat)):
        return None  # not a forum club, or a quiet day
    names = await topic_names(db, chat)
    tr = translator(settings.community.language)
    lines: list[str] = []
    data = []
    for day in days:
        name = _name(day.thread_id, names)
        shown = tr._(name) if day.thread_id is None else _shown_name(day.thread_id, names, tr)
        lines.append(f"<b>{escape(shown)}</b>: {_figures(day, tr)}")
        data.append(
            {
                "thread_id": day.thread_id,
                "name": name,
                "messages": day.messages,
                "members": day.members,
                "scored": day.scored,
                "positive": day.positive,
                "negative": day.negative,
                "mean_polarity": round(day.mean, 3) if day.mean is not None else None,
                "too_few": day.scored < TOO_FEW_SCORED,
            }
        )
    return DigestSection(key="topics", title=tr._("Topics"), lines=lines, data={"topics": data})


def _name(thread_id: int | None, names: dict[int, str]) -> str:
    if thread_id is None:
        return GENERAL
    # A topic made before the bot joined, never renamed since: the bot never saw its name.
    return names.get(thread_id, f"Topic #{thread_id}")


def _shown_name(thread_id: int, names: dict[int, str], tr: Translator) -> str:
    """A topic's own name as its members wrote it, else its number in the reader's words."""
    return names.get(thread_id) or tr._("Topic #{n}", n=thread_id)


def _figures(day: TopicDay, tr: Translator) -> str:
    head = tr._(
        "{messages} {from_members}",
        messages=tr.n_("{n} message", "{n} messages", day.messages),
        from_members=tr.n_("from {n} member", "from {n} members", day.members),
    )
    if day.scored == 0:
        return tr._("{head}; none could be scored", head=head)
    if day.scored < TOO_FEW_SCORED or day.mean is None:
        return tr._(
            "{head}; {positive} positive, {negative} negative of {scored} scored "
            "(too few to tell the mood)",
            head=head,
            positive=tr.integer(day.positive),
            negative=tr.integer(day.negative),
            scored=tr.integer(day.scored),
        )
    return tr._(
        "{head}; mean sentiment {mean} (n={n})",
        head=head,
        mean=tr.signed(day.mean),
        n=tr.integer(day.scored),
    )
