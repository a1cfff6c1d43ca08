"""The translator: language choice, escaping exactly once, plurals, locale formats, and a
catalog edited since the install still read."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import CommunitySettings
from bot.core import i18n
from bot.core.i18n import Explained, Html, compile_po, pick_language, translator
from bot.gate.moderator_texts import codes_table
from bot.gate.records import Code


@pytest.mark.parametrize(
    ("code", "expected"),
    [("de", "de"), ("de-AT", "de"), ("DE_ch", "de"), ("en-GB", "en"), ("fr", "nl"), (None, "nl")],
)
def test_a_persons_language_or_the_clubs(code: str | None, expected: str) -> None:
    # "nl" stands in for a club language here: pick_language only passes the fallback on.
    assert pick_language(code, "nl") == expected


def test_values_are_escaped_once_and_html_is_left_alone() -> None:
    tr = translator("de")
    inner = tr._("<b>Rules of {club}</b>\n{rules}", club="A&B", rules="1. <3 sein")
    assert inner == "<b>Regeln von A&amp;B</b>\n1. &lt;3 sein"
    # A finished message inserted into another is not escaped a second time.
    outer = tr._("Usage: {usage}", usage=inner)
    assert outer == "So geht’s: <b>Regeln von A&amp;B</b>\n1. &lt;3 sein"
    assert isinstance(outer, Html)


def test_german_plurals_and_an_english_fallback_for_unknown_ids() -> None:
    de, en = translator("de"), translator("en")
    assert de.n_("{n} member voted.", "{n} members voted.", 1) == "1 Mitglied hat abgestimmt."
    assert de.n_("{n} member voted.", "{n} members voted.", 3) == "3 Mitglieder haben abgestimmt."
    assert en.n_("{n} member voted.", "{n} members voted.", 1) == "1 member voted."
    assert de._("not in any catalog") == "not in any catalog"


def test_locale_formats() -> None:
    de, en = translator("de"), translator("en")
    day = dt.date(2026, 12, 1)
    assert de.date(day) == "Dienstag, 1. Dezember 2026"
    assert en.date(day) == "Tuesday, December 1, 2026"
    assert de.decimal(4.72) == "4,7" and en.decimal(4.72) == "4.7"
    assert de.percent(2 / 3) == "67\xa0%" and en.percent(2 / 3) == "67%"
    assert de.timezone("Europe/Berlin") == "Mitteleuropäische Zeit"
    assert de.weekday(1) == "Dienstag"
    assert de.time(dt.time(9, 0)) == "09:00"
    assert de.duration(dt.timedelta(minutes=90)) == "1 Stunde und 30 Minuten"
    assert de.integer(1234) == "1.234"
    assert de.signed(-0.25) == "−0,25"


def test_an_explained_error_is_english_in_logs_and_translated_where_shown() -> None:
    error = Explained("Reason: {reason}", reason=Explained("the duration must be more than zero"))
    assert str(error) == "Reason: the duration must be more than zero"
    assert error.text(translator("de")) == "Grund: die Dauer muss größer als null sein"
    # Opening a reply, the problem starts with a capital; inside a sentence it stays as is.
    problem = Explained("the duration must be more than zero")
    assert problem.sentence(translator("de")) == "Die Dauer muss größer als null sein"
    assert problem.text(translator("de")) == "die Dauer muss größer als null sein"


def test_a_catalog_newer_than_its_compiled_file_is_compiled_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po"
    po = folder / "messages.po"
    shutil.copy(source, po)
    # A stale .mo (from an older install) must lose to the edited .po.
    (folder / "messages.mo").write_bytes(b"")
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgstr "Es wurde nichts gelöscht."', 'msgstr "Nichts gelöscht."'
        ),
        encoding="utf-8",
    )
    os.utime(folder / "messages.mo", (0, 0))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    catalog = i18n._load_catalog("de")
    assert catalog.gettext("Nothing was erased.") == "Nichts gelöscht."
    assert compile_po(po).gettext("Cancel") == "Abbrechen"


def test_the_club_language_must_be_one_we_speak() -> None:
    assert CommunitySettings(language="de").language == "de"
    with pytest.raises(ValidationError, match="must be one of en, de"):
        CommunitySettings(language="fr")
    with pytest.raises(ValueError, match="unsupported language"):
        translator("fr")


def test_the_time_until_something_takes_the_case_after_in() -> None:
    de, en = translator("de"), translator("en")
    # German: dative after "in" ("in 14 Tagen", never "in 14 Tage"); both units counted.
    assert de.duration_ahead(dt.timedelta(days=14)) == "in 14 Tagen"
    assert de.duration_ahead(dt.timedelta(days=1)) == "in 1 Tag"
    assert de.duration_ahead(dt.timedelta(days=13, hours=23)) == "in 13 Tagen und 23 Stunden"
    assert en.duration_ahead(dt.timedelta(days=14)) == "in 14 days"
    assert de.duration(dt.timedelta(days=14)) == "14 Tage"  # without "in": nominative


def test_codes_expiry_in_german_reads_in_14_tagen() -> None:
    now = 1_800_000_000
    code = Code(7, "flyer", 1, 0, now + 14 * 86400, now, None, None)
    (line,) = codes_table([code], now, translator("de"))
    assert "(in 14 Tagen)" in line, line


@pytest.mark.parametrize("language", ["en", "de"])
def test_zones_without_a_name_are_told_by_their_offset(language: str) -> None:
    tr = translator(language)
    # POSIX signs are inverted: Etc/GMT-2 is two hours ahead of UTC.
    assert tr.timezone("Etc/GMT-2") == "UTC+2"
    assert tr.timezone("Etc/GMT+5") == "UTC−5"
    for utc in ("UTC", "Etc/UTC", "Etc/GMT", "Zulu"):
        assert tr.timezone(utc) == "UTC"
    # Summer time but no country: no one offset is right all year, so the zone's own name.
    assert tr.timezone("PST8PDT") == "PST8PDT"
    # Zones Babel names keep their names.
    assert tr.timezone("Asia/Kolkata") == {"en": "India Time", "de": "Indien (Ortszeit)"}[language]
    assert tr.timezone("CET") != "CET"
