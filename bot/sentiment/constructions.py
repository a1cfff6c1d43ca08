"""Constructions that change what an opinion word means, beyond a plain negation.

One :class:`Constructions` table per language (the words differ, the grammar is shared); the
walk in opinion_units.py asks the helpers below when it meets a comparative or a "ne":

* **French "ne … pas"**: "ne"/"n'" and its closer ("pas", "jamais", "rien", …) are one
  negation, not two; "ne … que" means "only" and negates nothing ("je n'ai que des éloges").
* **A modal with a comparative** says what is missing: "could be better", "könnte besser
  sein", "ça pourrait être mieux", "kan beter" complain; negated ("couldn't be better",
  "besser geht's nicht", "beter kan niet") they are top praise.
* **"never" with a degree word or a comparative** ("never tasted a better", "noch nie so
  lecker", "nog nooit zo'n lekkere") strengthens the word instead of negating it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# The scorer's token, (kind, lowercase, original) as in chat_text.py; spelled out here because
# the vocabulary modules that chat_text.py reads build their tables from this module.
Token = tuple[str, str, str]

# How far "ne" looks for its closer ("n'a vraiment jamais"): a clause, within reason.
_NE_REACH = 8


@dataclass(frozen=True, slots=True)
class Constructions:
    """The words one language uses for the constructions in the module docstring."""

    #: Modals that make a comparative counterfactual when they come first ("could", "kan").
    modals: frozenset[str] = frozenset()
    #: Words that do the same only after the comparative ("besser geht's nicht").
    late_modals: frozenset[str] = frozenset()
    #: Words that may stand between modal and comparative or close the clause after it
    #: ("be", "been", "sein", "être", "het"): anything else means another construction
    #: ("you'd better call ahead" is advice, "je kunt beter bellen" too).
    bridge: frozenset[str] = frozenset()
    #: Comparatives with their direction: "better" +, "worse" -. Other comparatives of
    #: adjectives ("fresher", "freundlicher", "lekkerder") count as desirable.
    comparatives: Mapping[str, float] = field(default_factory=dict)
    #: The marker of an analytic comparative ("plus bon", "more friendly").
    more: frozenset[str] = frozenset()
    #: Words that open a comparison or a condition after the comparative ("than", "als",
    #: "wie", "que", "if"): "nie so gut wie früher" is a plain negation.
    comparison: frozenset[str] = frozenset()
    #: "never" words and the degree words that turn them into praise ("so", "such", "zo'n").
    never: frozenset[str] = frozenset()
    degree: frozenset[str] = frozenset()
    #: French "ne" (the elided "n'" too), its closers, and "que" ("ne … que" = only).
    ne: frozenset[str] = frozenset()
    ne_closers: frozenset[str] = frozenset()
    restrictive: frozenset[str] = frozenset()


def inflected_comparative(
    word: str,
    grammar: Constructions,
    stems: Callable[[str], tuple[str, ...]],
    gradable: Callable[[str], bool],
) -> float | None:
    """German and Dutch: "besseren", "betere" (an inflected comparative), "freundlicher",
    "lekkerder" (-er, Dutch -der after r, on an adjective: something wished for, 0.4)."""
    for stem in (word, *stems(word)):
        value = grammar.comparatives.get(stem)
        if value is not None:
            return value
        for suffix in ("der", "er"):
            base = stem[: -len(suffix)]
            if stem.endswith(suffix) and len(base) >= 3 and gradable(base):
                return 0.4
    return None


def bare(low: str) -> str:
    """The word without a French elided head ("n'aurait" -> "aurait", "qu'il" -> "il");
    "couldn't", "geht's" and "zo'n" stay as they are."""
    if "'" not in low:
        return low
    head, _sep, rest = low.rpartition("'")
    return rest if len(rest) > 1 and (len(head) <= 2 or head.endswith("qu")) else low


def ne_closer(
    tokens: list[Token], start: int, grammar: Constructions, breakers: frozenset[str]
) -> int | None:
    """Index of the word that closes a "ne" (``tokens[start - 1]``) within its clause.

    -1 when there is none (literary "ne", "je ne sais"), None for "ne … que", which is no
    negation at all.
    """
    for k in range(start, min(len(tokens), start + _NE_REACH)):
        kind, low, _raw = tokens[k]
        if kind == "p" or low in breakers:
            break
        if kind != "w":
            continue
        if low in grammar.restrictive or low.startswith("qu'"):
            return None
        if low in grammar.ne_closers:
            return k
    return -1


def modal_before(
    tokens: list[Token],
    at: int,
    start: int,
    grammar: Constructions,
    negations: frozenset[str],
) -> tuple[bool, bool] | None:
    """(found, negated) for a modal before the comparative ``tokens[at]`` in its clause.

    Only bridge words, negations and degree adverbs may stand between ("couldn't have been
    any better"); the clause must end after it with bridge words only ("kan beter",
    "könnte besser sein") or go on with a comparison ("better than last week").
    """
    negated = False
    k = at - 1
    while k >= start:
        kind, low, _raw = tokens[k]
        if kind != "w":
            return None
        word = bare(low)
        if word in grammar.modals:
            # "couldn't", "n'aurait": the modal carries the negation itself.
            negated = negated or low in negations or low.startswith("n'")
            break
        if low in negations or word in negations:
            negated = True
        elif word not in grammar.bridge and word not in grammar.more:
            return None
        k -= 1
    else:
        return None
    for kind, low, _raw in tokens[at + 1 :]:
        if kind != "w":
            break
        if low in grammar.comparison:
            break
        if low not in grammar.bridge:
            return None
    return True, negated


def modal_after(
    tokens: list[Token], at: int, grammar: Constructions, negations: frozenset[str]
) -> tuple[bool, int] | None:
    """(negated, last index) for a modal after the comparative ``tokens[at]``
    ("beter kan niet", "besser könnte es nicht sein", "schöner geht's nicht")."""
    modal = False
    last = at
    for k in range(at + 1, len(tokens)):
        kind, low, _raw = tokens[k]
        if kind != "w":
            break
        if not modal and (low in grammar.modals or low in grammar.late_modals):
            modal, last = True, k
        elif modal and low in negations:
            return True, k
        elif low in grammar.bridge:
            last = k if modal else last
        else:
            break
    return (False, last) if modal else None
