"""Sentiment scorer: accuracy against plain TextBlob on the labeled set, plus focused rules."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.sentiment import SentimentScore, SentimentScorer, score
from bot.sentiment.language import detect_language

ROOT = Path(__file__).resolve().parent.parent


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sentiment_accuracy_bench", ROOT / "benchmarks" / "sentiment_accuracy.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_labeled_set_is_big_and_balanced() -> None:
    rows = _benchmark().load_rows()
    counts = {
        label: sum(1 for _t, lab in rows if lab == label) for label in {lab for _, lab in rows}
    }
    english = sum(counts[c] for c in ("positive", "neutral", "negative"))
    assert english >= 160
    assert counts["unscored"] >= 5
    for cls in ("positive", "neutral", "negative"):
        assert english / 3 * 0.8 <= counts[cls] <= english / 3 * 1.2


def test_scorer_beats_plain_textblob_on_labeled_set() -> None:
    bench = _benchmark()
    scorer = SentimentScorer()
    rows = [(t, lab) for t, lab in bench.load_rows() if lab in bench.CLASSES]
    ours = bench.macro_f1([(lab, scorer.score(t).label) for t, lab in rows])
    baseline = bench.macro_f1([(lab, bench.textblob_label(t)) for t, lab in rows])
    assert ours >= 0.85
    assert ours - baseline >= 0.15


def test_labeled_foreign_messages_are_unscored() -> None:
    for text, label in _benchmark().load_rows():
        if label == "unscored":
            result = score(text)
            assert result.label == "unscored", text
            assert result.language not in ("en", "und"), text
            assert result.polarity == 0.0 and result.subjectivity == 0.0


def test_score_shape() -> None:
    result = score("the croissant was great")
    assert isinstance(result, SentimentScore)
    assert result.label == "positive" and result.language == "en"
    assert -1.0 <= result.polarity <= 1.0 and 0.0 <= result.subjectivity <= 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.polarity = 0.0  # type: ignore[misc]
    assert not hasattr(result, "__dict__")  # slots


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("not bad", "positive"),
        ("not good", "negative"),
        ("the latte isn't great", "negative"),
        ("never again", "negative"),
        ("not a very good bun", "negative"),
        ("not cheap but really tasty", "positive"),
        ("the croissants used to be so much better", "negative"),
        ("the festive bake isn't what it used to be", "negative"),
    ],
)
def test_negation(text: str, label: str) -> None:
    assert score(text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("😍", "positive"),
        ("👍", "positive"),
        ("🔥🔥", "positive"),
        ("❤️", "positive"),
        ("the bun 🥰", "positive"),
        ("😡", "negative"),
        ("👎", "negative"),
        ("the sandwich 🤮", "negative"),
        ("😢", "negative"),
        ("thanks :)", "positive"),
        ("sold out again :(", "negative"),
        ("haha :D", "positive"),
        ("<3", "positive"),
    ],
)
def test_emoji_and_emoticons(text: str, label: str) -> None:
    assert score(text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("this sourdough slaps", "positive"),
        ("the rye is fire", "positive"),
        ("bussin", "positive"),
        ("yum", "positive"),
        ("lowkey the best bun", "positive"),
        ("meh", "negative"),
        ("the new cookie is mid tbh", "negative"),
        ("that loaf is trash ngl", "negative"),
    ],
)
def test_slang(text: str, label: str) -> None:
    assert score(text).label == label


def test_intensifiers_caps_and_exclamations_raise_magnitude() -> None:
    plain = score("the bun is good").polarity
    assert score("the bun is really good").polarity > plain
    assert score("the bun is GOOD").polarity > plain
    assert score("the bun is good!").polarity > plain
    assert score("the bun is kinda dry").polarity > score("the bun is dry").polarity


def test_elongation() -> None:
    assert score("sooo goooood").label == "positive"
    assert score("loooove it").label == "positive"
    assert score("sooo goooood").polarity > score("good").polarity
    assert score("yummmm").label == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "what time do you open tomorrow?",
        "is the vegan roll back?",
        "Is the new croissant good?",
        "Are the sandwiches made fresh each morning?",
        "The new opening hours start on Monday",
        "do you do gluten free bread?",
        "ok",
    ],
)
def test_questions_and_logistics_are_neutral(text: str) -> None:
    assert score(text).label == "neutral"


def test_why_question_still_complains() -> None:
    assert score("why is the coffee always cold?").label == "negative"


def test_brand_lexicon_overrides_and_phrases() -> None:
    scorer = SentimentScorer(lexicon={"Festive Bake": 0.6, "soggy": -0.7, "crumbly": 0.5})
    assert scorer.score("got the FESTIVE bake").label == "positive"
    assert score("got the festive bake").label == "neutral"
    assert scorer.score("so crumbly").label == "positive"
    assert scorer.score("a bit soggy").polarity < 0
    assert SentimentScorer(lexicon={"good": -0.8}).score("good").label == "negative"


def test_brand_lexicon_rejects_nan() -> None:
    with pytest.raises(ValueError):
        SentimentScorer(lexicon={"x": float("nan")})


def test_thresholds_are_configurable() -> None:
    assert score("fine").label == "positive"
    strict = SentimentScorer(positive_threshold=0.5, negative_threshold=-0.5)
    assert strict.score("fine").label == "neutral"
    assert strict.score("kinda dry").label == "neutral"
    assert strict.score("terrible").label == "negative"
    assert strict.positive_threshold == 0.5 and strict.negative_threshold == -0.5
    with pytest.raises(ValueError):
        SentimentScorer(positive_threshold=-0.2, negative_threshold=0.2)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿A qué hora abren mañana?", "es"),
        ("Il cornetto era buonissimo, grazie", "it"),
        ("O pão estava muito bom", "pt"),
        ("Очень вкусно, спасибо! 😍", "ru"),
        ("Дуже смачні булочки", "uk"),
        ("Το ψωμί ήταν υπέροχο", "el"),
        ("الخبز لذيذ جدا", "ar"),
        ("הלחם היה טעים", "he"),
        ("パンがとても美味しかったです", "ja"),
        ("面包很好吃", "zh"),
        ("빵이 정말 맛있어요", "ko"),
        ("रोटी बहुत अच्छी थी", "hi"),
        ("ขนมปังอร่อยมาก", "th"),
    ],
)
def test_other_languages_are_unscored(text: str, language: str) -> None:
    result = score(text)
    assert result == SentimentScore(0.0, 0.0, "unscored", language)


@pytest.mark.parametrize(
    "text",
    ["ok", "meh", "yum 😋", "ngl mid", "pain au chocolat was perfect", "lol", "tbh"],
)
def test_short_english_defaults_to_english(text: str) -> None:
    assert detect_language(text) == "en"
    assert score(text).language == "en"


def test_emoji_only_and_empty_messages() -> None:
    assert score("😍😍") == SentimentScore(score("😍😍").polarity, 1.0, "positive", "und")
    assert score("😍😍").polarity > 0.5
    assert score("🥐").label == "neutral" and score("🥐").language == "und"
    assert score("10/10").label == "positive"
    for text in ("", "   ", "?!...", "12345", "https://example.com/x", "<b></b>", "/start"):
        assert score(text) == SentimentScore(0.0, 0.0, "unscored", "und"), text


def test_mixed_language_and_emoji() -> None:
    assert score("the bun was great 😍 merci").label == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "x" * 100_000,
        "good " * 20_000,
        "😍" * 50_000,
        "<b>great</b> &amp; <i>tasty</i> https://t.me/x @someone /start",
        "gre\u200bat b\u200dun \u202egood\u202c \ufeff",
        "الخبز great לחם 😍",
        "\x00\x01\x02 nul bytes",
        "\ud800 lone surrogate",
        "!!!???...,,,",
        ":" * 5000 + ")" * 5000,
        "<" * 10_000,
        "&" * 10_000 + "amp;",
    ],
)
def test_bad_inputs_never_raise(text: str) -> None:
    result = score(text)
    assert result.label in ("positive", "neutral", "negative", "unscored")
    assert -1.0 <= result.polarity <= 1.0 and 0.0 <= result.subjectivity <= 1.0


def test_markup_is_stripped() -> None:
    assert score("<b>amazing</b> babka &lt;3").label == "positive"
    assert score("@bad_user /terrible_command the bun was great").label == "positive"
    assert score("gre\u200bat bun").label == "positive"
