"""``/poll Question? | Option A | Option B [| ...] [--multi] [--public] [--closes 24h]``.

Pure parsing: no Telegram, no database. Telegram's own limits are checked here, up front,
so a moderator gets a plain sentence instead of a poll that fails at sendPoll.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.core.i18n import N_, Explained
from bot.core.timeparse import TimeParseError, parse_duration

# sendPoll: "Poll question, 1-300 characters"; "A JSON-serialized list of 2-12 answer
# options"; InputPollOption.text: "Option text, 1-100 characters".
MAX_QUESTION = 300
MIN_OPTIONS = 2
MAX_OPTIONS = 12
MAX_OPTION = 100
# We close polls ourselves (stopPoll) so that results can be posted; a deadline shorter than
# a minute is almost certainly a typo ("--closes 30s" for 30 minutes).
MIN_OPEN = timedelta(minutes=1)

POLL_USAGE = N_(
    "Usage: /poll Question? | Option A | Option B [| more options] "
    "[--multi] [--public] [--closes 24h]\n"
    "--multi lets members pick several options, --public shows who voted, "
    "--closes sets a deadline (30m, 24h, 3d)."
)

_FLAG = re.compile(r"(?<!\S)--([A-Za-z][A-Za-z_-]*)")


class PollParseError(Explained):
    """The command is not a poll we can post; the message says why, for the moderator."""


@dataclass(frozen=True, slots=True)
class PollSpec:
    question: str
    options: tuple[str, ...]
    multiple: bool = False
    public: bool = False
    closes_in: timedelta | None = None


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def parse_question_and_options(text: str) -> tuple[str, tuple[str, ...]]:
    """``Question | A | B`` → (question, options), with Telegram's limits checked."""
    parts = [part.strip() for part in text.split("|")]
    question, options = parts[0], tuple(parts[1:])
    if not question:
        raise PollParseError(N_("The question is missing: write it before the first |."))
    if telegram_length(question) > MAX_QUESTION:
        raise PollParseError(
            N_("The question is {length} characters long; Telegram allows at most {limit}."),
            length=telegram_length(question),
            limit=MAX_QUESTION,
        )
    if any(not option for option in options):
        raise PollParseError(N_("One of the options is empty: check for a doubled or trailing |."))
    if len(options) < MIN_OPTIONS:
        raise PollParseError(
            N_("A poll needs at least {count} options, separated by |."), count=MIN_OPTIONS
        )
    if len(options) > MAX_OPTIONS:
        raise PollParseError(
            N_("Too many options ({count}): Telegram allows at most {limit}."),
            count=len(options),
            limit=MAX_OPTIONS,
        )
    for number, option in enumerate(options, start=1):
        if telegram_length(option) > MAX_OPTION:
            raise PollParseError(
                N_(
                    "Option {number} is {length} characters long; Telegram allows at most {limit}."
                ),
                number=number,
                length=telegram_length(option),
                limit=MAX_OPTION,
            )
    seen: set[str] = set()
    for option in options:
        key = option.casefold()
        if key in seen:
            raise PollParseError(
                N_("The option '{option}' appears twice; options must differ."), option=option
            )
        seen.add(key)
    return question, options


def parse_poll(args: str) -> PollSpec:
    """Parse the text after ``/poll``; raises PollParseError with a reason."""
    if not args.strip():
        raise PollParseError(N_("Write the question and the options."))
    multiple = public = False
    closes_in: timedelta | None = None
    kept: list[str] = []
    position = 0
    for match in _FLAG.finditer(args):
        if match.start() < position:
            continue  # inside a value we already consumed
        kept.append(args[position : match.start()])
        flag = match.group(1).lower()
        position = match.end()
        if flag == "multi":
            multiple = True
        elif flag == "public":
            public = True
        elif flag == "closes":
            value = re.match(r"\s+([^\s|]+)", args[position:])
            if value is None:
                raise PollParseError(N_("--closes needs a duration, like --closes 24h."))
            try:
                closes_in = parse_duration(value.group(1))
            except TimeParseError as exc:
                raise PollParseError(N_("--closes: {reason}."), reason=exc) from None
            if closes_in < MIN_OPEN:
                raise PollParseError(N_("--closes must be at least 1m."))
            position += value.end()
        else:
            raise PollParseError(N_("Unknown option --{flag}."), flag=flag)
    kept.append(args[position:])
    question, options = parse_question_and_options("".join(kept))
    return PollSpec(question, options, multiple, public, closes_in)
