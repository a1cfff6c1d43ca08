"""``/preview [now | in 2h | at 2026-12-01 09:00] [--title NAME] [--poll "Q | A | B"]
[--notify]``: pure parsing, no Telegram, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import N_, Explained
from bot.core.timeparse import TimeParseError, parse_moment
from bot.polls import PollParseError, parse_question_and_options, telegram_length

PREVIEW_USAGE = N_(
    "Usage: write the preview to me here (text, photo, video or album), then reply to it "
    "with\n/preview [now | in 2h | at 2026-12-01 09:00] [--title NAME] "
    '[--poll "Question | A | B"] [--notify]\n'
    "--notify also sends members a short teaser in their private chat."
)
MAX_TITLE = 64

_FLAG = re.compile(r"(?<!\S)--([A-Za-z][A-Za-z_-]*)")
_QUOTES = ('"', "'", "“", "”", "«", "»")


class PreviewParseError(Explained):
    """Not a preview command we can schedule; the message (an English id) says why."""


@dataclass(frozen=True, slots=True)
class PreviewSpec:
    publish_at: datetime
    title: str | None = None
    poll_question: str | None = None
    poll_options: tuple[str, ...] = ()
    notify: bool = False


def _unquote(value: str) -> str:
    value = value.strip()
    while value and value[0] in _QUOTES:
        value = value[1:]
    while value and value[-1] in _QUOTES:
        value = value[:-1]
    return value.strip()


def parse_preview(args: str, *, now: datetime, tz: ZoneInfo) -> PreviewSpec:
    """Parse the text after ``/preview``; raises PreviewParseError with a reason."""
    matches = list(_FLAG.finditer(args))
    when = args[: matches[0].start()] if matches else args
    values: dict[str, str] = {}
    for index, match in enumerate(matches):
        flag = match.group(1).lower()
        end = matches[index + 1].start() if index + 1 < len(matches) else len(args)
        if flag not in ("title", "poll", "notify"):
            raise PreviewParseError(N_("Unknown option --{flag}."), flag=flag)
        if flag in values:
            raise PreviewParseError(N_("--{flag} is given twice."), flag=flag)
        values[flag] = _unquote(args[match.end() : end])
    try:
        publish_at = parse_moment(when, now=now, tz=tz)
    except TimeParseError as exc:
        raise PreviewParseError(N_("{reason}."), reason=exc) from None
    if publish_at < now:
        raise PreviewParseError(N_("That time is in the past; pick a later time."))

    title = values.get("title")
    if title is not None:
        if not title:
            raise PreviewParseError(N_("--title needs a name, like --title Winter croissant."))
        if telegram_length(title) > MAX_TITLE:
            raise PreviewParseError(
                N_("The title is too long (at most {limit} characters)."), limit=MAX_TITLE
            )

    question: str | None = None
    options: tuple[str, ...] = ()
    if "poll" in values:
        try:
            question, options = parse_question_and_options(values["poll"])
        except PollParseError as exc:
            raise PreviewParseError(N_("--poll: {reason}"), reason=exc) from None

    if values.get("notify"):
        raise PreviewParseError(N_("--notify takes no value."))
    return PreviewSpec(publish_at, title, question, options, "notify" in values)
