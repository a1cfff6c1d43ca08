"""Durations and moments as people type them: ``30m``, ``2h``, ``14d``, ``in 2h``,
``at 2026-12-01 09:00``, ``now``. Shared by every command that takes a time."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.i18n import N_, Explained

_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d{1,6})\s*(s|m|min|h|d|w)\s*$", re.IGNORECASE)
_AT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")

# Longer than any sensible expiry or mute; also keeps timedelta arithmetic far from overflow.
MAX_DURATION = timedelta(days=366)


class TimeParseError(Explained):
    """The text is not a time we understand; the message says what we expected."""


def parse_duration(text: str, *, maximum: timedelta = MAX_DURATION) -> timedelta:
    """``90s``, ``30m``, ``2h``, ``14d``, ``1w`` → timedelta (positive, at most ``maximum``)."""
    match = _DURATION.match(text)
    if not match:
        raise TimeParseError(
            N_("'{text}' is not a duration: use a number and a unit, like 30m, 2h, 14d or 1w"),
            text=text.strip()[:20],
        )
    amount = int(match.group(1))
    duration = timedelta(seconds=amount * _UNITS[match.group(2).lower()])
    if duration <= timedelta(0):
        raise TimeParseError(N_("the duration must be more than zero"))
    if duration > maximum:
        raise TimeParseError(
            N_("the duration is too long (at most {days} days)"), days=maximum.days
        )
    return duration


def parse_moment(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """``now`` | ``in 2h`` | ``at 2026-12-01 09:00`` (local time in ``tz``) → aware UTC time.

    A moment in the past is refused: scheduling something "yesterday" is always a typo.
    """
    cleaned = " ".join(text.split()).lower()
    if cleaned in ("", "now"):
        return now
    if cleaned.startswith("in "):
        return now + parse_duration(cleaned[3:])
    if cleaned.startswith("at "):
        raw = cleaned[3:].upper()
        for fmt in _AT_FORMATS:
            try:
                local = datetime.strptime(raw, fmt)
            except ValueError:
                continue
            try:
                moment = local.replace(tzinfo=tz).astimezone(now.tzinfo)
                if moment < now:
                    # In the hour clocks go back, 02:30 happens twice; the second one may
                    # still be ahead (fold=1 is it; for any other time it is the same).
                    moment = local.replace(tzinfo=tz, fold=1).astimezone(now.tzinfo)
            except OverflowError:  # year 1 east of UTC, year 9999 west of it
                break
            if moment < now:
                raise TimeParseError(
                    N_("{moment} ({zone}) is in the past; pick a later time"),
                    moment=f"{local:%Y-%m-%d %H:%M}",
                    zone=tz.key,
                )
            return moment
        raise TimeParseError(
            N_("'{text}' is not a date and time: use YYYY-MM-DD HH:MM"), text=cleaned[3:][:30]
        )
    raise TimeParseError(
        N_("'{text}' is not a time: use 'now', 'in 2h' or 'at 2026-12-01 09:00'"),
        text=text.strip()[:30],
    )


def format_duration(duration: timedelta) -> str:
    """Short human form: ``2h 30m``, ``14d``, ``45s``."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    if seconds or not parts:
        parts.append(f"{seconds}s")
    return " ".join(parts[:2])
