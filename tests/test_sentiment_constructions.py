"""Constructions that change what an opinion word means: French "ne … pas", "too" with a
neutral adjective, "could be better", "never had a better", "anything but good".

The sentences are written for these tests (review 4b reported the classes; its own probe
sentences are kept apart as a held-out check).
"""

from __future__ import annotations

import pytest

from bot.sentiment import score


@pytest.mark.parametrize(
    "text",
    [
        "Elle n'aime pas la nouvelle brioche.",
        "La livraison n'était pas top cette fois.",
        "Ce macaron n'est pas terrible.",
        "Franchement, la tarte n'est pas ouf.",
        "Le gâteau n'était pas top du tout.",
    ],
)
def test_french_ne_pas_is_one_negation(text: str) -> None:
    # "n'" and "pas" used to negate twice, or "pas top" was negated again by "n'".
    assert score(text).label == "negative", score(text)


def test_french_ne_pas_litotes_and_ne_que() -> None:
    assert score("Ce n'est pas mal du tout, cette galette.").label == "positive"
    # "ne … que" is "only": "je n'ai que des compliments" praises.
    assert score("Je n'ai que des compliments pour l'équipe.").label == "positive"
    # Spoken French without "ne" keeps working.
    assert score("J'aime pas trop la nouvelle recette.").label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "Delivery fees are too high now.",
        "Der Kaffee ist zu heiß.",
        "Die Wartezeit war viel zu lang.",
        "De koffie is te heet.",
        "De wachttijd is veel te lang.",
    ],
)
def test_too_with_a_neutral_adjective_is_a_complaint(text: str) -> None:
    assert score(text).label == "negative", score(text)


def test_too_needs_an_adjective_right_after_it() -> None:
    assert score("Me too!").label == "neutral"
    assert score("Wir gehen zu Fuß hin.").label == "neutral"
    assert score("Ich freue mich zu kommen.").label == "positive"
    assert score("J'adore trop la nouvelle collection").label == "positive"
    # Litotes: "not too big" is fine.
    assert score("Not too big, not too small.").polarity >= 0


@pytest.mark.parametrize(
    "text",
    [
        "The service could've been nicer.",
        "Honestly the muffins could be better.",
        "Der Service könnte freundlicher sein.",
        "Das Brot hätte frischer sein können.",
        "La brioche pourrait être meilleure.",
        "Dat kan veel beter.",
        "Het brood kon beter.",
    ],
)
def test_a_modal_with_a_comparative_wishes_for_more(text: str) -> None:
    assert score(text).label == "negative", score(text)


@pytest.mark.parametrize(
    "text",
    [
        "The cake couldn't have been better!",
        "Schöner geht es nicht!",
        "Besser kann es nicht sein.",
        "On ne peut pas faire mieux !",
        "Lekkerder kan niet!",
    ],
)
def test_a_negated_modal_with_a_comparative_is_top_praise(text: str) -> None:
    result = score(text)
    assert result.label == "positive" and result.polarity > 0.5, result


def test_modal_and_comparative_that_are_no_such_construction() -> None:
    assert score("It could be worse.").label == "positive"
    assert score("I can tell it is better now.").label == "positive"
    # A comparison after the comparative: "better than I could have hoped" praises.
    assert score("It was better than I could have hoped.").label == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "Never tasted a better tart!",
        "Noch nie so einen leckeren Kaffee getrunken!",
        "Nie eine bessere Torte gegessen.",
        "Nog nooit zo'n lekkere taart gegeten!",
        "Nooit een beter broodje gehad.",
    ],
)
def test_never_with_a_degree_word_or_comparative_praises(text: str) -> None:
    assert score(text).label == "positive", score(text)


def test_never_as_good_as_is_still_a_complaint() -> None:
    assert score("Das Brot ist nie so gut wie früher.").label == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "The tart was anything but fresh.",
        "Far from tasty, sadly.",
        "Das Brot war alles andere als frisch.",
        "C'est loin d'être délicieux.",
        "Le service était tout sauf aimable.",
        "De taart was verre van vers.",
        "Het brood was allesbehalve lekker.",
        "Vriendelijk is anders.",
        "Freundlich ist anders.",
    ],
)
def test_anything_but_denies_the_word_that_follows(text: str) -> None:
    assert score(text).label == "negative", score(text)
