"""Texts in the reader's language: gettext catalogs compiled by Babel, and locale formatting.

Every sentence a person reads is an English message id in the code, looked up in
``bot/locale/<lang>/LC_MESSAGES/messages.po`` (compiled to ``.mo`` by the install, see
``hatch_build.py``). Placeholders are named, ``{name}``, so a translator can reorder them.

HTML is escaped exactly once: a value inserted into a message is escaped unless it is
already ``Html`` (the result of another lookup, or a fragment built with ``html_join``), so
neither a member's ``<3`` nor a nested message is ever escaped twice or not at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import html
import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.core import get_global

log = logging.getLogger(__name__)

# The languages the bot writes. English is the source language (the message ids themselves).
SOURCE_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "de")
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Html(str):
    """Text that is already valid Telegram HTML: inserted into another message as it is."""

    __slots__ = ()


def escape(value: object) -> Html:
    """A plain value made safe for Telegram's HTML parse mode (once)."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(str(value), quote=False))


def html_join(separator: str, parts: Iterable[object]) -> Html:
    """Join parts into HTML, escaping the plain ones (the separator is taken as HTML)."""
    return Html(separator.join(escape(part) for part in parts))


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translate it where it is used."""
    return message


class Explained(ValueError):
    """An error a person reads: an English message id and its values, translated where shown.

    ``str(error)`` is the English text (logs, the command line); ``error.text(tr)`` the
    reader's. A value that is itself ``Explained`` is translated too.
    """

    def __init__(self, message: str, /, **values: object) -> None:
        super().__init__(message.format_map({k: str(v) for k, v in values.items()}))
        self.message = message
        self.values = values

    def text(self, tr: Translator) -> Html:
        values = {k: v.text(tr) if isinstance(v, Explained) else v for k, v in self.values.items()}
        return tr._(self.message, **values)

    def sentence(self, tr: Translator) -> Html:
        """The text opening a reply: "Sag, wie viele Codes …". ``text`` keeps its first
        letter as written, for a place inside another sentence ("Grund: die Dauer …")."""
        text = self.text(tr)
        return Html(text[:1].upper() + text[1:])


def pick_language(language_code: str | None, fallback: str) -> str:
    """The supported language for Telegram's ``language_code`` (an IETF tag), else fallback.

    Telegram sends tags like "de", "de-AT" or "pt-br"; the bot has one German, so the
    primary subtag decides.
    """
    if language_code:
        primary = language_code.replace("_", "-").split("-", 1)[0].lower()
        if primary in SUPPORTED_LANGUAGES:
            return primary
    return fallback


class Translator:
    """One language's messages and formats. Get it from ``translator(language)`` (cached)."""

    def __init__(self, language: str, catalog: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self._gettext = catalog.gettext
        self._ngettext = catalog.ngettext

    def _(self, message: str, /, **values: object) -> Html:
        """The message in this language, with ``values`` escaped and filled in."""
        text = self._gettext(message)
        if not values:
            return Html(text)
        return Html(text.format_map({k: escape(v) for k, v in values.items()}))

    def n_(self, singular: str, plural: str, n: int, /, **values: object) -> Html:
        """The singular or plural form for ``n`` (this language's rule); ``{n}`` is filled in."""
        text = self._ngettext(singular, plural, n)
        filled = {k: escape(v) for k, v in values.items()}
        filled.setdefault("n", escape(self.integer(n)))
        return Html(text.format_map(filled))

    # Locale formats. They return plain text, escaped when inserted into a message.

    def date(self, value: dt.date, width: str = "full") -> str:
        """In German "Dienstag, 1. Dezember 2026" (full), "01.12.2026" (short)."""
        return str(dates.format_date(value, format=width, locale=self.locale))

    def day_and_month(self, value: dt.date) -> str:
        """A date within the week being reported: "Di., 1. Dez.", "Tue, Dec 1"."""
        return str(dates.format_skeleton("MMMEd", value, locale=self.locale))

    def short_day(self, value: dt.date) -> str:
        """A chart's axis tick: "1. Dez.", "Dec 1"."""
        return str(dates.format_skeleton("MMMd", value, locale=self.locale))

    def time(self, value: dt.time | dt.datetime) -> str:
        """In German "09:00", "9:00 AM" in English."""
        return str(dates.format_time(value, format="short", locale=self.locale))

    def datetime(self, value: dt.datetime) -> str:
        """A moment without seconds, in the zone ``value`` carries: "01.12.2026, 09:00"."""
        day = dates.format_date(value, format="medium", locale=self.locale)
        clock = dates.format_time(value, format="short", locale=self.locale)
        # The locale's own joining pattern ("{1}, {0}" in both languages; "{1} 'um' {0}" in
        # some): date and time in the order its readers expect.
        pattern = str(self.locale.datetime_formats["medium"]).replace("'", "")
        return pattern.format(clock, day)

    def duration(self, value: dt.timedelta) -> str:
        """At most two units, as people say it: "2 Stunden und 30 Minuten", "14 days"."""
        return self._duration(value, ahead=False)

    def duration_ahead(self, value: dt.timedelta) -> str:
        """The time until something, with its preposition: "in 14 Tagen", "in 14 days".

        German puts the count after "in" in the dative ("in 14 Tagen", not "in 14 Tage");
        the locale's relative pattern has it, so "in" is never written around ``duration``.
        """
        return self._duration(value, ahead=True)

    def _duration(self, value: dt.timedelta, *, ahead: bool) -> str:
        seconds = int(value.total_seconds())
        parts: list[str] = []
        units: tuple[tuple[Literal["day", "hour", "minute", "second"], int], ...] = (
            ("day", 86400),
            ("hour", 3600),
            ("minute", 60),
            ("second", 1),
        )
        for unit, size in units:
            if seconds >= size or (unit == "second" and not parts):
                amount = dt.timedelta(seconds=seconds // size * size)
                # A threshold no count reaches keeps Babel from rounding up to a bigger unit.
                # The direction goes on the first (biggest) unit only: "in 13 Tagen und 23
                # Stunden" (a smaller unit, hours to seconds, has one plural in both cases).
                parts.append(
                    dates.format_timedelta(
                        amount,
                        granularity=unit,
                        threshold=10**9,
                        add_direction=ahead and not parts,
                        locale=self.locale,
                    )
                )
                seconds %= size
        if len(parts) == 1:
            return str(parts[0])
        # "{0} and {1}" / "{0} und {1}": the locale's way of joining two items.
        return str(self.locale.list_patterns["standard"]["2"]).format(*parts[:2])

    def weekday(self, index: int) -> str:
        """The weekday's name, Monday = 0 (Python's ``weekday()``)."""
        return str(self.locale.days["format"]["wide"][index])

    def integer(self, value: int) -> str:
        """In German "1.234": for counts people read, never for ids."""
        return str(numbers.format_decimal(value, locale=self.locale))

    def decimal(self, value: float, digits: int = 1) -> str:
        """In German "4,7", "4.7" in English, with exactly ``digits`` decimals."""
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return str(numbers.format_decimal(value, format=pattern, locale=self.locale))

    def signed(self, value: float, digits: int = 2) -> str:
        """A polarity or a change with its sign: in German "+0,25", "−0,25"."""
        body = self.decimal(abs(value), digits)
        return ("+" if value >= 0 else "−") + body

    def percent(self, share: float) -> str:
        """In German "67 %", "67%" in English, for a share between 0 and 1."""
        return str(numbers.format_percent(share, locale=self.locale))

    def timezone(self, name: str) -> str:
        """The zone as people call it: "Mitteleuropäische Zeit", "Central European Time";
        a zone with no name of its own by its offset: "UTC", "UTC+2"."""
        zone = ZoneInfo(name)
        named = str(dates.get_timezone_name(zone, width="long", locale=self.locale))
        if not _unnamed(name, zone, named, self.locale):
            return named
        # Babel names zones of no country after their "region": "Unknown Region (GMT-2)
        # Time" for Etc/GMT-2, whose POSIX sign is the opposite of its offset (UTC+2).
        offset = _fixed_offset(zone)
        return _utc_offset(offset) if offset is not None else name


def _unnamed(name: str, zone: ZoneInfo, named: str, locale: Locale) -> bool:
    """Babel had no name for the zone and fell back to its location, but it has none: no
    country (CLDR's territory "ZZ" unknown or "001" world: Etc/*, UTC, Factory, PST8PDT)."""
    key = get_global("zone_aliases").get(name, name)
    territory = get_global("zone_territories").get(key)
    if territory not in (None, "001", "ZZ"):
        return False
    return named == str(dates.get_timezone_location(zone, locale=locale))


def _fixed_offset(zone: ZoneInfo) -> dt.timedelta | None:
    """The zone's offset from UTC if it never changes within a year (no summer time)."""
    offsets = {zone.utcoffset(dt.datetime(2026, month, 1)) for month in (1, 4, 7, 10)}
    return offsets.pop() if len(offsets) == 1 else None


def _utc_offset(offset: dt.timedelta) -> str:
    """ "UTC", "UTC+2", "UTC−3:30" (the minus sign, as ``Translator.signed`` writes it)."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


@functools.cache
def translator(language: str) -> Translator:
    """The translator for ``language``, loaded once per process."""
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    return Translator(language, _load_catalog(language))


def _load_catalog(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        # The message ids are English; NullTranslations applies English plurals (n == 1).
        return gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    # A checkout whose catalogs were edited since the install compiled them (or never
    # installed): compile in memory, so a translator sees their change without reinstalling.
    log.info("Compiling %s in memory (no current .mo; `pip install -e .` builds it)", po)
    return compile_po(po)


def compile_po(po: Path) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
