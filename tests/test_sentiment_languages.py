"""German, French and Dutch scoring, aspects and topics; language identification on chat."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.sentiment import Analyzer, SentimentScorer, detect_language, match_aspects, score

DATA = Path(__file__).resolve().parent / "data"

ASPECTS = {
    "packaging": ["packaging", "bag", "Verpackung", "Tüte", "emballage", "sac", "verpakking"],
    "pastry": ["croissant", "Schnecke", "brioche", "broodje"],
    "price": ["price", "Preis", "prix", "prijs"],
    "staff": ["staff", "Personal", "Verkäuferin", "personnel", "personeel"],
}


@pytest.mark.parametrize(
    ("text", "language", "label"),
    [
        ("Die Zimtschnecken heute waren der Hammer 😍", "de", "positive"),
        ("mega lecker!!", "de", "positive"),
        ("Die Brötchen waren total labbrig", "de", "negative"),
        ("naja, der Kaffee war schon mal besser", "de", "negative"),
        ("Wann macht die Filiale am Bahnhof morgen auf?", "de", "neutral"),
        ("Warum ist die Filiale schon wieder geschlossen??", "de", "negative"),
        ("c'est de ouf, j'adore vos macarons", "fr", "positive"),
        ("bof, le pain était sec", "fr", "negative"),
        ("la nouvelle saveur c'est pas ouf", "fr", "negative"),
        ("À quelle heure ouvre la boutique demain ?", "fr", "neutral"),
        ("zalig, die appeltaart!", "nl", "positive"),
        ("de koffie was vies en lauw", "nl", "negative"),
        ("Hoe laat gaat de winkel morgen open?", "nl", "neutral"),
    ],
)
def test_german_french_dutch_chat_is_scored(text: str, language: str, label: str) -> None:
    result = score(text)
    assert (result.language, result.label) == (language, label), result


@pytest.mark.parametrize(
    ("negated", "plain"),
    [
        ("nicht schlecht, der neue Kaffee", "schlecht, der neue Kaffee"),
        ("gar nicht mal so übel, die vegane Variante", "übel, die vegane Variante"),
        ("pas mal du tout, le nouveau café", "c'est mal, le nouveau café"),
        ("niet slecht, die nieuwe koffie", "slecht, die nieuwe koffie"),
    ],
)
def test_litotes_turn_a_negative_word_mildly_positive(negated: str, plain: str) -> None:
    assert score(plain).polarity < 0
    assert 0 < score(negated).polarity < -score(plain).polarity


def test_negation_reaches_over_a_few_words_and_stops_at_a_comma() -> None:
    assert score("Das Brot war nicht wirklich lecker").label == "negative"
    assert score("Das war gar nicht gut heute").label == "negative"
    assert score("le pain n'est pas bon").label == "negative"
    assert score("dat was echt niet lekker").label == "negative"
    # The negation's scope ends at the comma: "lecker" keeps its sign.
    assert score("Nicht teuer, und lecker").polarity > 0


def test_negation_after_the_verb_in_german_and_dutch() -> None:
    assert score("Das Design gefällt mir nicht.").label == "negative"
    assert score("Das Design gefällt mir.").label == "positive"


def test_intensifiers_dampeners_caps_and_elongation() -> None:
    base = score("Der Kuchen war lecker").polarity
    assert score("Der Kuchen war sehr lecker").polarity > base
    assert (
        score("Der Kuchen war etwas trocken").polarity > score("Der Kuchen war trocken").polarity
    )
    assert score("Der Kuchen war suuuper lecker").polarity >= base
    assert score("Der Kuchen war LECKER").polarity > base
    assert score("c'est très bon").polarity > score("c'est bon").polarity
    assert score("heel lekker").polarity > score("lekker").polarity


def test_too_is_a_complaint_in_every_language() -> None:
    assert score("Viel zu süß für mich").label == "negative"
    assert score("le gâteau est trop sucré").label == "negative"
    assert score("de taart is te zoet").label == "negative"
    # ...but French "trop bon" is chat for "very good".
    assert score("trop bon le pain au chocolat").label == "positive"


def test_questions_ask_unless_they_complain() -> None:
    assert score("Ist der Käsekuchen gut?").label == "neutral"
    assert score("Wieso kostet das Croissant jetzt 3,50??").label == "negative"
    assert score("Pourquoi la boutique est encore fermée ?").label == "negative"
    assert score("Waarom is de winkel alweer dicht?").label == "negative"


def test_german_compounds_inflection_and_spellings() -> None:
    assert score("Scheißservice heute").label == "negative"
    assert score("meine Lieblingsbäckerei").label == "positive"
    assert score("die Brötchen waren steinhart").label == "negative"
    assert score("die leckeren Zimtschnecken").label == "positive"
    # ae/oe/ue/ss typed for umlauts and lower-case nouns.
    assert score("die Tasche ist so schoen").label == "positive"
    assert score("die verkaeuferin war unfreundlich").label == "negative"


def test_code_switched_german_uses_english_words_but_not_false_friends() -> None:
    result = score("Der neue Laden ist so cozy, love it")
    assert (result.language, result.label) == ("de", "positive")
    # German "war" (was), "Gift" (poison), "fast" (almost) are not the English words.
    assert score("Ich war fast da").label == "neutral"


def test_languages_we_cannot_read_stay_unscored_with_their_code() -> None:
    for text, language in [
        ("¿A qué hora abren mañana?", "es"),
        ("Il cornetto era buonissimo, grazie", "it"),
        ("Очень вкусно, спасибо! 😍", "ru"),
    ]:
        result = score(text)
        assert (result.label, result.language, result.polarity) == ("unscored", language, 0.0)


def test_brand_lexicon_applies_in_every_language() -> None:
    scorer = SentimentScorer(lexicon={"Nusszopf": 0.8, "zu trocken": -0.7})
    assert scorer.score("der Nusszopf heute").label == "positive"
    assert scorer.score("le Nusszopf aujourd'hui").label == "positive"


def test_aspects_match_compounds_elision_and_translations() -> None:
    assert match_aspects("Papiertüte ist gerissen, alles am Boden", ASPECTS).keys() == {
        "packaging"
    }
    assert "pastry" in match_aspects("mega lecker, das neue Pistazien-Croissant!", ASPECTS)
    assert match_aspects("Preis-Leistung passt echt", ASPECTS)["price"] > 0
    assert "packaging" in match_aspects("l'emballage est abusé", ASPECTS)
    assert "packaging" in match_aspects("de verpakking is kapot", ASPECTS)
    assert "pastry" in match_aspects("de kaneelbroodjes waren top", ASPECTS)
    assert match_aspects("die Tuete ist schoen", ASPECTS).keys() == {"packaging"}
    # Short keywords never match inside a word: "sac" is not in "Sachertorte".
    assert "packaging" not in match_aspects("Die Sachertorte war lecker", ASPECTS)


def test_topics_are_nouns_and_compounds_not_stop_words() -> None:
    analyzer = Analyzer(aspects=ASPECTS)
    german = analyzer.analyze("Die Zimtschnecken heute waren der Hammer, die Verkäuferin nett")
    assert "Zimtschnecke" in german.topics and "Verkäuferin" in german.topics
    assert not {"die", "heute", "hammer", "nett"} & set(german.topics)
    french = analyzer.analyze("Le pain au chocolat était délicieux")
    assert french.topics == ("pain au chocolat",)
    dutch = analyzer.analyze("De kaneelbroodjes vandaag waren echt top")
    assert dutch.topics == ("kaneelbroodjes",)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_labelled_sets_are_big_balanced_and_disjoint() -> None:
    for language in ("de", "fr", "nl"):
        tune = _rows(f"sentiment_{language}_tune.csv")
        test = _rows(f"sentiment_{language}_test.csv")
        assert len(tune) + len(test) >= 200
        for rows in (tune, test):
            labels = [row["label"] for row in rows]
            assert {labels.count(c) for c in ("positive", "neutral", "negative")} == {35}
        assert not {r["text"] for r in tune} & {r["text"] for r in test}


def test_language_id_on_short_chat_messages_of_scored_languages() -> None:
    rows = [r for r in _rows("language_id.csv") if r["language"] in ("en", "de", "fr", "nl")]
    right = sum(detect_language(r["text"]) == r["language"] for r in rows)
    assert right / len(rows) >= 0.95, right


def test_spoken_french_negates_after_the_verb() -> None:
    assert score("l'appli marche pas").label == "negative"
    assert score("l'appli marche").label == "positive"
    assert score("le service client répond jamais").label == "negative"
    # "sans" only negates forwards: "sans hésiter" does not turn the praise round.
    assert score("meilleure boulangerie du coin sans hésiter").label == "positive"


def test_commentary_words_are_not_what_a_later_negation_negates() -> None:
    # "leider" keeps its sign; "nicht mehr" negates "stimmt".
    assert score("Preis-Leistung stimmt leider überhaupt nicht mehr").label == "negative"
    assert score("prijs-kwaliteit klopt helaas helemaal niet meer").label == "negative"


def test_what_follows_but_weighs_more() -> None:
    mixed = score("Der Kuchen war lecker, aber der Kaffee war kalt")
    reversed_ = score("Der Kaffee war kalt, aber der Kuchen war lecker")
    assert mixed.polarity < 0 < reversed_.polarity


def test_excess_without_an_adjective_is_a_complaint_but_a_preposition_is_not() -> None:
    assert score("7 Euro für einen Kaffee ist einfach zu viel").label == "negative"
    assert score("7 euro voor een koffie is echt te veel").label == "negative"
    assert score("Wir sind zu dritt morgen").label == "neutral"
    assert score("me too").label == "neutral"


def test_information_questions_are_neutral() -> None:
    assert score("Wie lange bleiben die Brötchen gut?").label == "neutral"
    assert score("hoe lang blijven de broodjes eigenlijk goed?").label == "neutral"
    assert score("Combien de temps le pain reste bon ?").label == "neutral"
