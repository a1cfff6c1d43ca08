"""Aspects, topics and the one-pass Analyzer."""

from __future__ import annotations

import pytest

from bot.sentiment.analyzer import Analysis, Analyzer
from bot.sentiment.aspects import AspectMatcher, match_aspects
from bot.sentiment.lexicon import singularize

ASPECTS = {
    "price": ["price", "expensive", "value for money"],
    "staff": ["staff", "barista"],
    "pastry": ["croissant", "cinnamon bun"],
    "app": ["click and collect", "app"],
}


def test_aspects_whole_words_plurals_and_phrases() -> None:
    result = match_aspects(
        "The prices went up again, ridiculous. The barista's smile was lovely!", ASPECTS
    )
    assert set(result) == {"price", "staff"}
    assert result["price"] < 0 < result["staff"]
    assert match_aspects("Cinnamon Buns were dry", ASPECTS)["pastry"] < 0
    assert match_aspects("my click and collect order was wrong", ASPECTS)["app"] < 0
    assert match_aspects("great value for money", ASPECTS)["price"] > 0
    # whole words only: "apple" is not "app", "priceless" is not "price"
    assert match_aspects("apple turnover was priceless", ASPECTS) == {}
    assert match_aspects("click the button", ASPECTS) == {}


def test_aspect_polarity_is_mean_of_its_sentences() -> None:
    result = match_aspects("The croissant was great. The croissant was awful.", ASPECTS)
    assert result["pastry"] == pytest.approx(0.5 * (0.8 - 1.0))


def test_aspect_name_counts_as_keyword_and_empty_config() -> None:
    assert "staff" in match_aspects("friendly staff", {"staff": []})
    assert not AspectMatcher({})
    assert match_aspects("great staff", {}) == {}


def test_aspects_empty_for_unscored() -> None:
    assert match_aspects("Der Preis ist zu hoch", ASPECTS) == {}
    assert match_aspects("", ASPECTS) == {}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("omg the festive bake is sooo good 😍", "festive bake"),
        ("Loooove the new vegan roll!!", "vegan roll"),
        ("the cinnamon buns were kinda dry today", "cinnamon bun"),
        ("best almond croissant in town", "almond croissant"),
        ("you nailed the hot cross buns this year", "hot cross bun"),
        ("the brownies are so good", "brownie"),
        ("fresh loaves every morning", "loaf"),
        ("nope, the new sourdough is not good", "sourdough"),
    ],
)
def test_topics(text: str, topic: str) -> None:
    topics = Analyzer().analyze(text).topics
    assert topic in topics
    assert all(t == t.lower() for t in topics)


def test_topics_skip_opinion_and_filler_words() -> None:
    topics = Analyzer().analyze("Loooove it, amazing, lol, today was great tbh").topics
    assert topics == ()
    assert "leeds" in Analyzer().analyze("Any plans for a shop in Leeds?").topics


def test_singularize() -> None:
    cases = {
        "buns": "bun", "loaves": "loaf", "brownies": "brownie", "pastries": "pastry",
        "sandwiches": "sandwich", "glasses": "glass", "bus": "bus", "men": "man",
        "focaccia": "focaccia", "cookies": "cookie", "barista's": "barista",
    }  # fmt: skip
    for plural, singular in cases.items():
        assert singularize(plural) == singular


def test_analyzer_one_pass() -> None:
    analyzer = Analyzer(lexicon={"festive bake": 0.6}, aspects=ASPECTS)
    result = analyzer.analyze("The festive bake is lovely! But the barista was rude.")
    assert isinstance(result, Analysis)
    assert result.score.language == "en"
    assert result.aspects["staff"] < 0
    assert "festive bake" in result.topics
    assert analyzer.scorer.score("festive bake").label == "positive"


def test_analyzer_unscored_and_emoji_only() -> None:
    analyzer = Analyzer(aspects=ASPECTS)
    foreign = analyzer.analyze("¡El pan de masa madre está buenísimo!")
    assert foreign.score.label == "unscored" and foreign.score.language == "es"
    assert foreign.aspects == {} and foreign.topics == ()
    emoji = analyzer.analyze("😍😍")
    assert emoji.score.label == "positive" and emoji.topics == () and emoji.aspects == {}


def test_analyzer_max_topics_and_huge_input() -> None:
    text = "the croissant and the bun and the loaf and the scone and the tart. " * 2000
    result = Analyzer(aspects=ASPECTS, max_topics=3).analyze(text)
    assert len(result.topics) == 3
    assert "pastry" in result.aspects
    for text in ["x" * 100_000, "<b>" * 5000, "\u200b" * 10_000, "😍" * 10_000, ""]:
        Analyzer(aspects=ASPECTS).analyze(text)
