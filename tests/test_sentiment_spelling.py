"""Short messages and spellings without umlauts or accents: read in their language.

German typed "ae/oe/ue/ss", French typed without accents, and one- or two-word reactions whose
only evidence of a language is an opinion word; the club's language breaks ties. The
sentences are written for these tests (review 4b's probes are kept apart).
"""

from __future__ import annotations

import pytest

from bot.config import SentimentSettings
from bot.feedback import build_analyzer
from bot.sentiment import SentimentScorer, detect_language, score


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Koestlich", "positive"),
        ("Ueberragend!", "positive"),
        ("Unverschaemt", "negative"),
    ],
)
def test_one_word_german_reactions_are_german(text: str, label: str) -> None:
    result = score(text)
    assert (result.language, result.label) == ("de", label), result


def test_short_german_is_not_dropped_as_another_language() -> None:
    for text in ("Nie mehr wieder.", "Alle waren freundlich"):
        result = score(text)
        assert result.language == "de" and result.label != "unscored", (text, result)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Le pain etait delicieux", "positive"),
        ("Tres decue par la commande", "negative"),
        ("C'etait genial", "positive"),
        ("Le vendeur etait desagreable", "negative"),
        ("Decevante", "negative"),
    ],
)
def test_french_without_accents_is_read(text: str, label: str) -> None:
    result = score(text)
    assert (result.language, result.label) == ("fr", label), result


def test_folded_spellings_do_not_replace_words_of_their_own() -> None:
    # "arrive" is a verb of its own, not "arrivé"; "tailles" is not "taillés".
    assert score("Le colis arrive jeudi").label == "neutral"
    assert score("Le guide des tailles est complètement faux").polarity < -0.4


def test_the_club_language_breaks_ties_for_short_messages() -> None:
    # No word of the message says which language it is.
    assert detect_language("Hmm") == "en"
    assert detect_language("Hmm", "de") == "de"
    # English evidence stays English in a German club, and an English club is unchanged.
    assert detect_language("ok lol", "de") == "en"
    assert detect_language("Nice one", "de") == "en"
    german_club = SentimentScorer(language="de")
    english_club = SentimentScorer()
    for text in ("Great stuff", "meh", "so good!!", "Top!"):
        assert english_club.score(text).language == "en", text
    assert german_club.score("Great stuff").language == "en"


def test_the_analyzer_takes_the_club_language() -> None:
    analyzer = build_analyzer(SentimentSettings(), "de")
    assert analyzer.scorer.score("Hmm").language == "de"
    assert build_analyzer(SentimentSettings()).scorer.score("Hmm").language == "en"


def test_a_german_club_reads_a_short_english_complaint_in_english() -> None:
    # No word says which language these are, so the club's language is tried first; German
    # reads "bad" as "Bad" (a bath) and finds no opinion: the English reading decides.
    german_club = SentimentScorer(language="de")
    for text in ("bad service", "Bad coffee", "so bad", "Bad!", "Bad quality"):
        result = german_club.score(text)
        assert (result.label, result.language) == ("negative", "en"), text
    # A German reading that finds an opinion keeps it, and German evidence stays German.
    assert german_club.score("Schlecht.").language == "de"
    assert german_club.score("Top!").language == "de"
    assert german_club.score("Das Bad war kalt").language == "de"
    assert german_club.score("Hmm").language == "de"  # no opinion in either reading
