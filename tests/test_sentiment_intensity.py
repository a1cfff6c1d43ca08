"""VADER's intensity rules inside the English scorer, and the tables shared across scorers."""

from __future__ import annotations

import pytest

from bot.sentiment import Analyzer, SentimentScorer, intensity, packs
from bot.sentiment import lexicon as lx
from bot.sentiment.scorer import split_sentences, tokenize


def vader(text: str) -> float:
    """The rules' compound alone, on the scorer's tokens (no blend, no question damping)."""
    items = [t for s in split_sentences(text) for t in tokenize(s) if t[0] != "p"]
    return intensity.compound(
        items, intensity.valence_table(), (), text.count("!"), text.count("?")
    )


@pytest.mark.skipif(not intensity.vader_valences(), reason="vaderSentiment not installed")
class TestRules:
    def test_negation_within_three_words_flips(self) -> None:
        assert vader("the cake was good") > 0
        assert vader("the cake was not good") < 0
        assert vader("the cake wasn't very good") < 0
        assert vader("the cake isn't really that good") < 0

    def test_never_so_and_never_this_strengthen(self) -> None:
        assert vader("it has never been good") < 0
        assert vader("it has never been this good") > vader("it has been good")

    def test_degree_adverbs_add_or_take_a_step(self) -> None:
        good = vader("the cake was good")
        assert vader("the cake was very good") > good
        assert vader("the cake was kind of good") < good
        assert vader("the cake was slightly good") < good
        bad = vader("the cake was bad")
        assert vader("the cake was very bad") < bad

    def test_capitals_count_only_among_lower_case_words(self) -> None:
        assert vader("the cake was GOOD") > vader("the cake was good")
        # A message in capitals throughout shouts everything: no word stands out.
        assert vader("THE CAKE WAS GOOD") == pytest.approx(vader("the cake was good"))

    def test_but_shifts_the_weight_to_what_follows(self) -> None:
        assert vader("the cake was great but the coffee was awful") < 0
        assert vader("the coffee was awful but the cake was great") > 0

    def test_least_negates_except_at_least(self) -> None:
        assert vader("the least interesting cake") < 0
        assert vader("at least interesting") > 0

    def test_no_before_an_opinion_word_negates_it(self) -> None:
        assert vader("no fun at all") < 0
        assert vader("no fun or joy") < 0

    def test_exclamations_and_question_marks_amplify(self) -> None:
        assert vader("good!!") > vader("good!") > vader("good")
        assert vader("bad!!!") < vader("bad")
        assert vader("really??") == 0.0  # no opinion word: nothing to amplify

    def test_idioms_replace_their_words(self) -> None:
        assert vader("this cake is to die for") > 0.5
        assert vader("yeah right") < 0

    def test_emoticons_emoji_and_ratings_carry_valence(self) -> None:
        assert vader("see you there :)") > 0
        assert vader("see you there :(") < 0
        assert vader("😍") > 0
        assert vader("3/10") < 0 < vader("9/10")

    def test_normalisation_is_bounded(self) -> None:
        value = vader(" ".join(["great"] * 50) + "!!!!!!")
        assert 0.99 < value <= 1.0


@pytest.mark.skipif(not intensity.vader_valences(), reason="vaderSentiment not installed")
def test_english_polarity_blends_both_signals() -> None:
    text = "The croissants were absolutely amazing!!"
    blended = SentimentScorer().score(text).polarity
    ours = SentimentScorer(english_blend=1.0).score(text).polarity
    rules = SentimentScorer(english_blend=0.0).score(text).polarity
    assert rules == pytest.approx(vader(text))
    assert ours != pytest.approx(rules)
    weight = intensity.BLEND_WEIGHT
    assert 0.0 < weight < 1.0
    assert blended == pytest.approx(weight * ours + (1.0 - weight) * rules)
    with pytest.raises(ValueError):
        SentimentScorer(english_blend=1.5)


@pytest.mark.parametrize(
    "text",
    [
        "Die Zimtschnecken heute waren der Hammer 😍",
        "Les croissants étaient vraiment dégueu",
        "De broodjes waren echt heel lekker!",
    ],
)
def test_other_languages_do_not_use_the_english_rules(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scorer = SentimentScorer()

    def refuse(*_args: object) -> float:
        raise AssertionError("English rules called for a non-English message")

    monkeypatch.setattr(intensity, "compound", refuse)
    assert scorer.score(text).label != "unscored"


def test_questions_are_damped_in_both_signals() -> None:
    scorer = SentimentScorer()
    assert scorer.score("Are the sandwiches made fresh each morning?").label == "neutral"
    assert scorer.score("Is the new croissant good?").label == "neutral"
    assert scorer.score("The new croissant is good").label == "positive"


def test_chat_logistics_words_carry_no_valence() -> None:
    table = intensity.valence_table()
    for word in ("vip", "save", "ok", "like"):
        assert word not in table, word
    assert table["bussin"] > 0  # slang VADER lacks comes from the chat layer
    assert SentimentScorer().score("on my way, save me a seat lol").label == "neutral"


def test_laughter_is_light_hearted_not_praise() -> None:
    table = intensity.valence_table()
    assert 0 < table["lol"] == intensity.LAUGHTER_VALENCE < intensity.vader_valences()["lol"]
    scorer = SentimentScorer()
    assert scorer.score("see you there lol").polarity > scorer.score("see you there").polarity
    assert scorer.score("lol").label == "neutral"


def rules(text: str) -> float:
    """The rules' part as the scorer computes it (sentences, questions and all)."""
    return SentimentScorer(english_blend=0.0).score(text).polarity


@pytest.mark.skipif(not intensity.vader_valences(), reason="vaderSentiment not installed")
class TestRulesInTheScorer:
    def test_a_negation_does_not_reach_into_the_next_sentence(self) -> None:
        assert rules("Pretty sure that isn't it. :P") > 0
        assert rules("that isn't it :P") < 0  # the same words in one sentence do negate

    def test_pretty_is_an_adverb_before_an_adjective_and_praise_before_a_noun(self) -> None:
        assert rules("pretty horses") > 0
        assert rules("the stollen was pretty average") == pytest.approx(
            rules("the stollen was average")
        )
        assert rules("pretty good") > rules("good") > 0

    def test_a_stretched_word_is_read_and_stressed(self) -> None:
        assert rules("the cake was goooood") > rules("the cake was good") > 0
        assert rules("sooo goood") > rules("good")
        assert rules("baaad") < 0

    def test_one_letter_is_no_opinion_word(self) -> None:
        assert "l" not in intensity.valence_table()
        assert rules("I lost my fave pen. :l") < rules("I lost my fave pen.") + 1e-9


def test_an_exclamation_with_a_question_mark_is_not_a_question() -> None:
    scorer = SentimentScorer()
    assert scorer.score("Is the croissant awful?").label == "neutral"
    assert scorer.score("WTF, the croissant is awful?!").label == "negative"
    assert (
        scorer.score("the croissant is awful?!").polarity
        < scorer.score("the croissant is awful?").polarity
    )


def test_brand_words_reach_the_rules_without_touching_shared_tables() -> None:
    base = intensity.valence_table()
    before = dict(base)
    brand = SentimentScorer({"soggy": 0.9, "festive bake": 0.6})
    assert brand.score("the soggy bun").label == "positive"
    assert SentimentScorer().score("the soggy bun").label == "negative"
    assert intensity.valence_table() is base
    assert base == before
    assert lx.word_table()["soggy"][0] < 0
    assert "festive" not in packs.english_phrase_index()
    assert brand.score("loved the festive bake").polarity > 0


def test_brand_phrases_merge_into_copies_of_the_built_in_indexes() -> None:
    index = packs.english_phrase_index()
    merged = packs.merge_phrases(index, {("never", "again"): 0.4, ("pan", "au", "choc"): 0.5})
    assert merged is not index
    assert dict(merged["never"])[("again",)] == 0.4
    assert dict(index["never"])[("again",)] == lx.PHRASES["never again"]
    assert "pan" not in index
    assert packs.merge_phrases(index, {}) is index


def test_analyzers_share_the_immutable_tables() -> None:
    first = Analyzer()
    second = Analyzer(aspects={"pastry": ["croissant"]})
    assert first.scorer.opinion_words is second.scorer.opinion_words
    for code in ("de", "fr", "nl"):
        assert first.scorer.pack(code).phrases is second.scorer.pack(code).phrases
        assert first.scorer.pack(code).words is second.scorer.pack(code).words
    # A brand word makes its own copy of each language's table, never a change to the shared.
    brand = Analyzer(lexicon={"lecker": -0.5})
    assert brand.scorer.opinion_words is not first.scorer.opinion_words
    assert brand.scorer.pack("de").words is not first.scorer.pack("de").words
    assert first.scorer.pack("de").words["lecker"][0] > 0
    assert brand.scorer.score("Die Schnecken sind lecker").label == "negative"
    assert first.scorer.score("Die Schnecken sind lecker").label == "positive"
