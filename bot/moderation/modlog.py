"""The moderation log as the moderators read it (``/modlog``): one line per action.

Apart from the service because it is rendering, not moderating; ``mention`` lives here too
as the one way this feature names a person in HTML.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.core.i18n import N_, Html, escape, html_join
from bot.core.services import Services
from bot.moderation import reasons
from bot.moderation.records import LogEntry
from bot.moderation.repo import ModerationRepository

NameOf = Callable[[int], Awaitable[str | None]]

# One log line per action: who did it to whom (a verb each, so a language can reorder).
LOG_LINES = {
    "warn": N_("{actor} warned {target}"),
    "mute": N_("{actor} muted {target}"),
    "unmute": N_("{actor} unmuted {target}"),
    "kick": N_("{actor} removed {target}"),
    "ban": N_("{actor} banned {target}"),
    "unban": N_("{actor} unbanned {target}"),
    "flood": N_("{actor} muted {target} for flooding"),
}


def mention(user_id: int, name: str | None) -> Html:
    label = escape(name) if name else str(user_id)
    return Html(f'<a href="tg://user?id={user_id}">{label}</a>')


def describe_actor(services: Services, actor_id: int | None) -> str:
    """Who acted, when it was not a person we can mention."""
    tr = services.tr
    if actor_id is None:
        return tr._("the bot")
    if actor_id == services.chats.community_id:
        return tr._("an anonymous admin")
    return str(actor_id)


async def modlog_text(
    services: Services, repo: ModerationRepository, name_of: NameOf, limit: int
) -> str:
    tr = services.tr
    entries = await repo.latest(limit)
    if not entries:
        return tr._("The moderation log is empty.")
    lines: list[str] = [tr._("<b>Moderation log</b> (latest {count})", count=len(entries))]
    for entry in entries:
        lines.append(await _format_entry(services, name_of, entry))
    return "\n".join(lines)


async def _format_entry(services: Services, name_of: NameOf, entry: LogEntry) -> str:
    tr = services.tr
    tz = services.settings.community.tz
    when = tr.datetime(datetime.fromtimestamp(entry.created_at, tz))
    if entry.actor_id is None or entry.actor_id == services.chats.community_id:
        actor = escape(describe_actor(services, entry.actor_id))
    else:
        actor = mention(entry.actor_id, await name_of(entry.actor_id))
    target = mention(entry.target_id, await name_of(entry.target_id))
    done = (
        tr._(LOG_LINES[entry.action], actor=actor, target=target)
        if entry.action in LOG_LINES
        else html_join(" ", [actor, entry.action, target])
    )
    line = f"{escape(when)} · {done} (<code>{entry.target_id}</code>)"
    if entry.until_at is not None:
        until = tr.datetime(datetime.fromtimestamp(entry.until_at, tz))
        line += " " + tr._("until {until}", until=until)
    if entry.reason:
        # The bot's own reasons are records, shown in the club's language; a person's words
        # as they wrote them.
        own = reasons.shown(entry.reason, tr) if entry.actor_id is None else None
        line += f": {own if own is not None else escape(entry.reason)}"
    return line
