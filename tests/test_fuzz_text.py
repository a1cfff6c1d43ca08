"""Fuzzing message text: scoring any member message, and splitting any bot message.

* ``Analyzer.analyze`` must score whatever people post (emoji, other scripts, control
  characters, megabytes of one letter) without raising, within its documented ranges.
* ``escape`` + ``split_message`` must turn any text into chunks Telegram accepts: each
  within 4096 visible characters (UTF-16 units, as Telegram counts) and each valid HTML for
  Telegram's parser (checked with the sandbox's parser, which mirrors Telegram's errors).
"""

from __future__ import annotations

import html

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.messaging import TEXT_LIMIT, escape, split_message, visible_length
from bot.sandbox.errors import ApiError
from bot.sandbox.formatting import parse_html, utf16_len
from bot.sentiment import Analyzer

# max_examples comes from the profile in tests/conftest.py: a quick pass in the default set,
# a thorough one in the slow set.
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANALYZER = Analyzer(aspects={"price": ["price", "expensive"], "taste": ["taste", "bland"]})
LABELS = {"positive", "neutral", "negative", "unscored"}

CHATTY = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "I love the rye!",
                "too expensive :(",
                "not bad",
                "🥐🥐🥐",
                "NOT. GOOD.",
                "!!!",
                "Die Brötchen sind toll",
                "хлеб",
                "<b>",
                "&amp;",
                "\x00",
                "\u202e",
                "\n\n",
            ]
        ),
    ),
    max_size=15,
).map(" ".join)


@FUZZ
@given(CHATTY)
@example("")
@example("a" * 20_000)
@example("\x00\x01\x02")
def test_any_message_gets_a_score_in_range(text: str) -> None:
    analysis = ANALYZER.analyze(text)
    score = analysis.score
    assert -1.0 <= score.polarity <= 1.0
    assert 0.0 <= score.subjectivity <= 1.0
    assert score.label in LABELS
    assert all(-1.0 <= value <= 1.0 for value in analysis.aspects.values())


def _assert_telegram_accepts(chunks: list[str], limit: int) -> None:
    for chunk in chunks:
        assert chunk.strip()
        plain, _ = parse_html(chunk)  # raises ApiError "can't parse entities" if invalid
        assert utf16_len(plain) <= limit
        assert visible_length(chunk) <= limit


@FUZZ
@given(st.text(max_size=300), st.integers(min_value=2, max_value=80))
@example("<b>" * 50, 10)
@example("😀" * 30, 3)
@example("a\n" * 40, 5)
def test_escaped_text_splits_into_valid_chunks(text: str, limit: int) -> None:
    chunks = split_message(escape(text), limit=limit)
    _assert_telegram_accepts(chunks, limit)
    # Nothing visible is lost: only line breaks and blank lines may go at the cuts.
    joined = "".join(html.unescape(c) for c in chunks)
    assert "".join(joined.split()) == "".join(text.split())


LINE = st.tuples(st.sampled_from(["", "b", "i", "u", "s", "code"]), st.text(max_size=60)).map(
    lambda pair: f"<{pair[0]}>{escape(pair[1])}</{pair[0]}>" if pair[0] else escape(pair[1])
)


@FUZZ
@given(st.lists(LINE, max_size=40), st.integers(min_value=2, max_value=120))
def test_tag_balanced_lines_split_into_valid_chunks(lines: list[str], limit: int) -> None:
    chunks = split_message("\n".join(lines), limit=limit)
    _assert_telegram_accepts(chunks, limit)


@settings(max_examples=20, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=5), st.integers(min_value=200, max_value=2_000))
def test_long_digest_splits_at_telegram_limit(lines: list[str], repeat: int) -> None:
    text = "\n".join(lines * repeat)
    chunks = split_message(text)
    _assert_telegram_accepts(chunks, TEXT_LIMIT)


def test_parse_html_rejects_what_split_must_avoid() -> None:
    """The check above can fail: the sandbox parser refuses a cut tag."""
    try:
        parse_html("<b>half")
    except ApiError:
        return
    raise AssertionError("an unclosed tag was accepted")
