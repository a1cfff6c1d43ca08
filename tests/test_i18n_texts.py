"""The texts converted last read naturally in German: plurals, locale numbers, and the
reasons and errors that are built from parts (look-alike names, preview options, alerts)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import translator
from bot.digest import chart
from bot.digest.build import DayPoint
from bot.forum.digest import _figures
from bot.forum.repo import TopicDay
from bot.insights.detector import Decision
from bot.insights.texts import alert_text, muted_text
from bot.moderation.lookalike import resemblance
from bot.previews.parse import PreviewParseError, parse_preview

DE = translator("de")
EN = translator("en")


def test_look_alike_reasons_name_the_scripts_in_the_readers_words() -> None:
    reasons = resemblance("\u041eliviа", "Olivia")  # Cyrillic О and а
    assert reasons is not None
    assert [str(r) for r in reasons] == ["mixed scripts (Cyrillic, Latin)"]
    assert [r.text(DE) for r in reasons] == ["gemischte Schriften (kyrillisch, lateinisch)"]
    hidden = resemblance("Oli\u200bvia", "Olivia")
    assert hidden is not None and hidden[0].text(DE) == "unsichtbare Zeichen"


def test_a_preview_option_error_is_worded_for_the_reader() -> None:
    import datetime as dt

    now = dt.datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    with pytest.raises(PreviewParseError) as caught:
        parse_preview("--title A --title B", now=now, tz=now.tzinfo)  # type: ignore[arg-type]
    assert str(caught.value) == "--title is given twice."
    assert caught.value.text(DE) == "--title ist doppelt angegeben."


def _decision(observed: int, members: int, messages: int) -> Decision:
    return Decision(
        key="Geschmack", observed=observed, counted=observed, expected=0.4, messages=messages,
        members=members,
        share=observed / messages, baseline_share=0.05, baseline_messages=1424,
        p_count=1e-5, p_share=1e-5, spike=True,
    )  # fmt: skip


def test_the_alert_counts_people_and_messages_with_german_plurals_and_numbers() -> None:
    tz = ZoneInfo("Europe/Berlin")
    start = 1_796_112_000  # Tuesday, 1 December 2026, 09:00 in Berlin
    text = alert_text(
        _decision(5, 1, 12), [], window_start=start, window_end=start + 3600, tz=tz,
        drivers=[], topics=[("Charge", 2)], quotes=[], tr=DE,
    )  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == "🚨 <b>Mehr negative Stimmen zu Geschmack als sonst</b>"
    assert lines[1] == (
        "09:00–10:00 (Mitteleuropäische Zeit): <b>5</b> negative Nachrichten von einem "
        "Mitglied (12 Nachrichten insgesamt)."
    )
    assert "Üblich an einem Dienstag um diese Zeit: 0,4 (Anteil negativ 5\u00a0% von 1.424" in text
    assert "Das ist das 12,5-Fache des Üblichen" in text
    assert "Themen: Charge (2)" in text
    english = alert_text(
        _decision(1, 1, 1), [], window_start=start, window_end=start + 3600, tz=tz,
        drivers=[], topics=[], quotes=[], tr=EN,
    )  # fmt: skip
    assert "<b>1</b> negative message from 1 member (1 message in all)." in english
    muted = muted_text(("Geschmack",), start + 86400, tz, DE)
    assert muted == "Warnungen für Geschmack stumm bis Mittwoch, 09:00 (Mitteleuropäische Zeit)."


def test_a_forum_topics_day_in_german() -> None:
    quiet = TopicDay(thread_id=None, messages=1, members=1, scored=1, positive=1, negative=0,
                     polarity_sum=0.4)  # fmt: skip
    assert _figures(quiet, DE) == (
        "eine Nachricht von einem Mitglied; 1 positiv, 0 negativ von 1 ausgewerteten "
        "(zu wenige für eine Aussage über die Stimmung)"
    )
    busy = TopicDay(thread_id=7, messages=12, members=4, scored=12, positive=9, negative=3,
                    polarity_sum=3.6)  # fmt: skip
    assert _figures(busy, DE) == "12 Nachrichten von 4 Mitgliedern; mittlere Stimmung +0,30 (n=12)"


def test_the_bots_own_campaign_labels_are_shown_in_the_readers_language() -> None:
    from bot.gate import label_text
    from bot.gate.membership import ADDED_BY_ADMIN, NO_CODE

    assert ADDED_BY_ADMIN == "added by admin"  # stored as written: exports and filters
    assert label_text(ADDED_BY_ADMIN, DE) == "von Admin hinzugefügt"
    assert label_text(NO_CODE, DE) == "ohne Code"
    assert label_text("newsletter", DE) == "newsletter"  # a moderator's own label
    assert label_text(NO_CODE, EN) == "no code"


def test_the_german_digest_chart_writes_its_axis_numbers_in_german() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # A quiet fortnight (at most 2 messages a day) and a mean sentiment near zero.
    history = [DayPoint(f"2026-11-{d:02d}", d % 3, 0.1 * (d % 5 - 2)) for d in range(16, 30)]
    fig = Figure(figsize=(8, 4.2))
    FigureCanvasAgg(fig)
    chart._draw(fig, history, "Bäckerei-Club", translator("de"))
    fig.canvas.draw()
    volume, sentiment = fig.axes
    # Only ticks inside the axis' limits (no clipped "−1,25"), with the decimal comma.
    assert [t.get_text() for t in sentiment.get_yticklabels()] == [
        "−1,0",
        "−0,5",
        "0,0",
        "+0,5",
        "+1,0",
    ]
    # Whole messages: no "0.5" step on a quiet chart (ticks above the axis are not drawn).
    low, high = volume.get_ylim()
    drawn = [t.get_text() for t in volume.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert drawn == ["0", "1", "2"]
