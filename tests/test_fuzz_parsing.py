"""Fuzzing every command parser: any text gives a result or the parser's own error type.

Members and moderators type anything (emoji, other scripts, superscript digits, huge
numbers, stray quotes and flags). A parser may refuse, but only with its deliberate error
(which the handler turns into a usage reply), never with an unexpected exception.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.timeparse import MAX_DURATION, TimeParseError, parse_duration, parse_moment
from bot.gate.codes import ALPHABET, CODE_SYMBOLS, GateError, generate_code, normalize_code
from bot.gate.handlers import parse_newcodes
from bot.moderation.parse import ACTIONS, UsageError, parse_limit, parse_request, parse_user_id
from bot.polls.parse import PollParseError, parse_poll
from bot.previews.parse import PreviewParseError, parse_preview

# max_examples comes from the profile in tests/conftest.py: a quick pass in the default set,
# a thorough one in the slow set.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")

# Text people type: any unicode, plus the tokens the parsers care about, mixed in.
_TOKENS = st.sampled_from(
    [
        "in",
        "at",
        "now",
        "2h",
        "30m",
        "14d",
        "1w",
        "0m",
        "99999999999999999999d",
        "--closes",
        "--multiple",
        "--public",
        "--title",
        "--poll",
        "--notify",
        "|",
        "||",
        '"',
        "“",
        "»",
        "²",
        "٣",
        "2026-12-01",
        "09:00",
        "24:00",
        "2026-02-30",
        "-5",
        "12345678901234567890",
        "\n",
        "7K3Q-M9XP-4HRT",
        "O0Il",
        " ",
        "🥐",
        "\u200b",
        "\u2014",
    ]
)
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(_TOKENS, st.text(max_size=12)), max_size=12).map(" ".join),
)
WORDS = st.lists(st.one_of(_TOKENS, st.text(min_size=1, max_size=15)), max_size=6)


@FUZZ
@given(TEXT)
@example("99999999999999999999d")
@example("²h")
def test_parse_duration_returns_a_duration_or_refuses(text: str) -> None:
    try:
        duration = parse_duration(text)
    except TimeParseError:
        return
    assert timedelta(0) < duration <= MAX_DURATION


@FUZZ
@given(TEXT)
@example("in 99999999999999999999w")
@example("at 9999-12-31 23:59")
def test_parse_moment_returns_a_future_moment_or_refuses(text: str) -> None:
    try:
        moment = parse_moment(text, now=NOW, tz=TZ)
    except TimeParseError:
        return
    assert moment >= NOW
    assert moment.tzinfo is not None


@FUZZ
@given(TEXT)
def test_normalize_code_is_canonical_or_none(text: str) -> None:
    code = normalize_code(text)
    if code is None:
        return
    assert len(code) == CODE_SYMBOLS and set(code) <= set(ALPHABET)
    assert normalize_code(code) == code  # idempotent


@FUZZ
@given(st.sampled_from(["", " ", "-", "  -- ", "\t"]), st.booleans())
def test_a_generated_code_survives_how_people_retype_it(sep: str, lower: bool) -> None:
    code = generate_code()
    typed = code.replace("-", sep)
    typed = typed.lower() if lower else typed
    assert normalize_code(typed) == code.replace("-", "")


def test_newcodes_with_a_superscript_digit_is_a_usage_error() -> None:
    # "²".isdigit() is True but int("²") raises: COUNT must be a plain decimal number.
    with pytest.raises(GateError):
        parse_newcodes(["²"])


def test_newcodes_takes_a_superscript_digit_as_a_label() -> None:
    assert parse_newcodes(["5", "²"])[2] == "²"


def test_modlog_with_a_superscript_digit_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        parse_limit(["²"])


@FUZZ
@given(WORDS)
def test_parse_newcodes_gives_numbers_or_a_gate_error(words: list[str]) -> None:
    try:
        count, uses, label, _expires = parse_newcodes(words)
    except GateError:
        return
    assert count >= 0 and uses >= 1 and label


@FUZZ
@given(TEXT)
@example("Best bun? | Cinnamon | Cardamom --closes 99999999999999999999d")
def test_parse_poll_gives_a_spec_or_a_poll_error(text: str) -> None:
    try:
        spec = parse_poll(text)
    except PollParseError:
        return
    assert spec.question.strip()
    assert 2 <= len(spec.options) <= 12
    assert len(set(spec.options)) == len(spec.options)


@FUZZ
@given(TEXT)
@example('in 2h --title "Rye" --poll Good? | Yes | No --notify')
@example("in 99999999999999999999w")
def test_parse_preview_gives_a_spec_or_a_preview_error(text: str) -> None:
    try:
        spec = parse_preview(text, now=NOW, tz=TZ)
    except PreviewParseError:
        return
    assert spec.publish_at >= NOW


@FUZZ
@given(st.sampled_from(ACTIONS), WORDS, st.one_of(st.none(), st.integers(1, 2**40)))
@example("mute", ["12345", "99999999999999999999d"], None)
@example("warn", ["²"], None)
def test_parse_request_gives_a_request_or_usage(
    action: str, words: list[str], reply_user_id: int | None
) -> None:
    try:
        request = parse_request(
            action,  # type: ignore[arg-type]
            words,
            reply_user_id,
            default_mute=timedelta(hours=1),
        )
    except UsageError:
        return
    assert request.target_id > 0
    if request.duration is not None:
        assert request.duration > timedelta(0)


@FUZZ
@given(st.text(max_size=30))
@example("²")
def test_parse_user_id_is_positive_or_none(token: str) -> None:
    value = parse_user_id(token)
    assert value is None or value > 0


@FUZZ
@given(WORDS)
def test_parse_limit_is_bounded_or_usage(words: list[str]) -> None:
    try:
        limit = parse_limit(words)
    except UsageError:
        return
    assert 1 <= limit <= 50


@pytest.mark.parametrize(
    ("text", "zone"),
    [("at 0001-01-01 00:00", "Europe/Berlin"), ("at 9999-12-31 23:59", "America/New_York")],
)
def test_a_moment_at_the_edge_of_the_calendar_is_refused_not_raised(text: str, zone: str) -> None:
    # Converting these to UTC leaves the years Python can represent (an OverflowError before).
    with pytest.raises(TimeParseError):
        parse_moment(text, now=NOW, tz=ZoneInfo(zone))


def test_a_moment_in_the_hour_clocks_repeat_is_the_one_still_ahead() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    second_pass = datetime(2026, 10, 25, 1, 10, tzinfo=UTC)  # 02:10 CET, after 02:59 CEST
    # 02:30 comes twice that night: the first has passed, the second is 20 minutes ahead.
    moment = parse_moment("at 2026-10-25 02:30", now=second_pass, tz=berlin)
    assert moment == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    before = datetime(2026, 10, 24, 23, 10, tzinfo=UTC)  # both still ahead: the first one
    assert parse_moment("at 2026-10-25 02:30", now=before, tz=berlin) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
