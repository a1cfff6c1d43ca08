"""VADER's intensity rules, run over the tokens the scorer already has (English only).

Hutto & Gilbert's VADER (ICWSM 2014, MIT licence) sums crowd-rated word valences (-4..4)
after a handful of rules they measured on human raters: degree adverbs add or take 0.293 of a
point ("very", "kind of"), a word in capitals among lower-case words adds 0.733, a negation up
to three words back multiplies by -0.74 ("never so/this good" instead strengthens), "least"
negates, what follows "but" weighs three times what precedes it, "!" (up to 4) and "??" (2 or
more) push the sum further from zero, and the sum is squashed with ``s / sqrt(s² + 15)``.

The scorer's own polarity (Pattern's averaging model with chat rules) says how strong the
typical opinion in a message is; VADER's sum also grows with how many there are and with the
writer's emphasis. The English polarity blends the two (:data:`BLEND_WEIGHT`). This module is
our own implementation of those rules on our tokenizer's output (no second tokenisation, no
emoji-to-description rewriting); the constants and word lists are VADER's.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Final

from bot.sentiment import lexicon as lx

#: VADER's empirically derived steps (mean change in human rating).
B_INCR: Final = 0.293
C_INCR: Final = 0.733
N_SCALAR: Final = -0.74
ALPHA: Final = 15.0
_EXCLAMATION_STEP: Final = 0.292
_QUESTION_STEP: Final = 0.18
# A chat-layer polarity this close to zero marks a word as "not an opinion here".
_NEUTRAL_OVERRIDE: Final = 0.1

#: Valence of "lol"/"lmao" (VADER: 1.8 and 2.9): enough to order messages, too little to
#: label one positive on its own (chosen on the tweets' tuning half with the club sets fixed).
LAUGHTER_VALENCE: Final = 0.6
_LAUGHTER: Final = ("lol", "lmao")

#: Weight of the scorer's own polarity in the English blend; VADER's compound gets the rest.
#: Chosen on Hutto & Gilbert's Amazon, movie-review and NYT snippet sets (mean Pearson r over
#: the three), never on the tweets we report; see docs/sentiment.md.
BLEND_WEIGHT: Final = 0.5

# Degree adverbs: VADER's list. Positive steps strengthen, negative ones dampen.
_BOOST_WORDS: Final = lx.word_set(
    "absolutely amazingly awfully completely considerable considerably decidedly deeply effing "
    "enormous enormously entirely especially exceptional exceptionally extreme extremely "
    "fabulously flipping flippin frackin fracking fricking frickin frigging friggin fully "
    "fuckin fucking fuggin fugging greatly hella highly hugely incredible incredibly intensely "
    "major majorly more most particularly purely quite really remarkably so substantially "
    "thoroughly total totally tremendous tremendously uber unbelievably unusually utter "
    "utterly very"
)
_DAMP_WORDS: Final = lx.word_set(
    "almost barely hardly kinda kindof less little marginal marginally occasional occasionally "
    "partly scarce scarcely slight slightly somewhat sorta sortof"
)
BOOSTERS: Final[dict[str, float]] = {
    **dict.fromkeys(_BOOST_WORDS, B_INCR),
    **dict.fromkeys(_DAMP_WORDS, -B_INCR),
    # "pretty good" (a degree adverb) but "pretty horses" (VADER's valence 2.2): see
    # _ADVERB_OR_ADJECTIVE.
    "pretty": B_INCR,
}
# Two-word dampeners ("kind of good"); their first word is not an opinion word here.
_DAMP_PAIRS: Final = frozenset({("kind", "of"), ("sort", "of"), ("just", "enough")})

NEGATIONS: Final = lx.word_set(
    "aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't "
    "didn't doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't "
    "haven't isn't mightn't mustn't neednt needn't never none nope nor not nothing nowhere "
    "oughtnt shant shouldnt uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't "
    "without wont wouldnt won't wouldn't rarely seldom despite"
)

# Idioms whose valence replaces that of the opinion word inside them (VADER's special cases).
_IDIOMS: Final[dict[tuple[str, ...], float]] = {
    ("the", "shit"): 3.0,
    ("the", "bomb"): 3.0,
    ("bad", "ass"): 1.5,
    ("yeah", "right"): -2.0,
    ("kiss", "of", "death"): -1.5,
    ("to", "die", "for"): 3.0,
    ("beating", "heart"): 3.5,
}

_IDIOM_WORDS: Final = frozenset(word for parts in _IDIOMS for word in parts)
_SO_THIS: Final = frozenset({"so", "this"})
_NEVER_SO: Final = 1.25
# Two-word negations (the scorer's NEGATION_PHRASES): the second word is the one in the window.
_NEGATING_PAIRS: Final = frozenset({("anything", "but"), ("far", "from"), ("nowhere", "near")})
# The scorer's polarity for a turned comparative: weaker than this is a wish ("could be
# better"), stronger is praise ("couldn't be better", "never had a better").
_TURNED_PRAISE: Final = 0.4
#: A letter typed three or more times ("goooood", "sooo"): emphasis, not a new word.
ELONGATED: Final = re.compile(r"([^\W\d_])\1{2,}")
# Opinion words that may not count as one: degree adverbs, "kind of", "no" before a word.
# A word rated as an adjective that is a degree adverb before another adjective: "pretty
# horses" praises, "pretty average" does not (VADER counts 2.2 for "pretty" in both).
_ADVERB_OR_ADJECTIVE: Final = frozenset({"pretty"})
_SPECIAL_HITS: Final = frozenset(BOOSTERS) | {"kind", "no"}
# Words that can change the valence of a word up to three places after them; a window with
# none of them is skipped without a look.
_MODIFIER_WORDS: Final = (
    frozenset(BOOSTERS)
    | NEGATIONS
    | _IDIOM_WORDS
    | lx.word_set("no never least kind sort just be but from near")
)


@functools.cache
def vader_valences() -> dict[str, float]:
    """VADER's lexicon as word -> valence (-4..4), emoticons included; {} if not installed.

    Keys are lower-cased; a later line wins, as in VADER ("lol" is listed twice).
    """
    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "vader_lexicon.txt"
    if not path.is_file():
        return {}
    table: dict[str, float] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.split("\t")
            # One letter alone is what our tokenizer leaves of an emoticon it does not know
            # (":l" -> "l", rated 2.0 as a word), not a word anyone rated.
            if len(parts) < 2 or len(parts[0]) < 2 or " " in parts[0]:
                continue
            try:
                table[parts[0].lower()] = float(parts[1])
            except ValueError:
                continue
    return table


@functools.cache
def _base_valences() -> dict[str, float]:
    """The immutable part of every English valence table (built once per process).

    VADER's crowd-rated valence wherever it has one. The curated chat layer
    (``lexicon.CHAT_WORDS``) only removes the valence of words that are logistics, not
    opinion, in a club's chat ("vip", "save", "ok", "lol": entries within ±0.1) and adds the
    slang VADER lacks ("bussin", "mid"), scaled by ``VADER_SCALE`` (polarity 1.0 = valence 4).
    Pattern's words are not added: on the snippet sets they made the rules worse (a Pattern
    entry for "isn't" or "very" would stop it acting as a negation or a booster).
    """
    table = dict(vader_valences())
    scale = lx.VADER_SCALE
    # The scorer's own symbols: emoji (VADER reads them through their English names, which
    # our tokens do not carry), the emoticons VADER lacks, and "n/10" ratings.
    for symbol, polarity in lx.EMOJI.items():
        table[symbol] = polarity * scale
    for emoticon, polarity in lx.EMOTICONS.items():
        table.setdefault(emoticon, polarity * scale)
    for stars in range(11):
        table[f"{stars}/10"] = (stars - 5) / 5.0 * scale
    for word, (polarity, _s) in lx.CHAT_WORDS.items():
        if abs(polarity) <= _NEUTRAL_OVERRIDE:
            table.pop(word, None)
        elif word not in table:
            table[word] = polarity * scale
    for word in _ADVERB_OR_ADJECTIVE:
        table[word] = vader_valences().get(word, 0.0)
    # Laughter is light-hearted, not praise: rated about +0.3 (of 1) where it is all a tweet
    # says (Hutto's tuning half), filler in club chat ("save me a seat lol" is neutral).
    for word in _LAUGHTER:
        table[word] = LAUGHTER_VALENCE
    return table


def valence_table(brand: Mapping[str, tuple[float, float]] | None = None) -> dict[str, float]:
    """Word -> valence for the rules; a brand's own words override (shared when there are none)."""
    base = _base_valences()
    if not brand:
        return base
    table = dict(base)
    for word, (polarity, _s) in brand.items():
        table[word] = polarity * lx.VADER_SCALE
    return table


def normalize(total: float) -> float:
    """VADER's squashing of a valence sum into -1..1."""
    value = total / math.sqrt(total * total + ALPHA)
    return -1.0 if value < -1.0 else 1.0 if value > 1.0 else value


def compound(
    items: list[tuple[str, str, str]],
    valences: Mapping[str, float],
    damped: Sequence[tuple[int, int, float]],
    exclamations: int,
    questions: int,
    sentence_starts: Sequence[int] = (),
    stretched_words: Collection[str] = (),
    turned: Mapping[int, float] | None = None,
) -> float:
    """VADER's compound score of a message.

    ``items`` are the scorer's tokens for the message's words, emoticons, emoji and ratings in
    order (no punctuation: VADER's windows count words), as (kind, lowercase, original), all
    looked up in ``valences`` (see :func:`valence_table`). ``damped`` lists (start, end,
    factor) spans of ``items`` that the scorer damps as questions: "is the croissant good?"
    asks, it does not judge. ``sentence_starts`` are the indices where sentences after the
    first begin; ``stretched_words`` are the words the scorer saw with a letter typed three
    times or more ("goooood"), read here as the word they stretch. ``turned`` maps the index
    of a comparative that a construction turned round ("could be better", "couldn't be
    better", "never had a better") to the scorer's polarity for it; its valence takes that
    sign, weakened like a negation or strengthened like "never so", and no negation applies.
    """
    lows = [item[1] for item in items]
    stretched: set[int] = set()
    if stretched_words:
        for k, low in enumerate(lows):
            if low in stretched_words and low not in valences and low not in BOOSTERS:
                for form in (ELONGATED.sub(r"\1\1", low), ELONGATED.sub(r"\1", low)):
                    if form in valences or form in BOOSTERS:
                        lows[k] = form
                        stretched.add(k)
                        break
    # Only opinion words do work; finding them in one comprehension keeps the rest cheap.
    hits = [i for i, low in enumerate(lows) if low in valences]
    if not hits:
        return 0.0
    n = len(lows)
    cap_diff: bool | None = None  # counted only once an opinion word is in capitals
    but_at = -1
    for k, low in enumerate(lows):
        if low == "but" and not (k and lows[k - 1] == "anything"):  # "anything but" negates
            but_at = k
            break
    total = 0.0
    modifiers = _MODIFIER_WORDS
    # Negations and degree adverbs reach back only within their own sentence: "Pretty sure
    # that isn't it. :P" does not negate the smiley (VADER, which drops punctuation, does).
    floor = 0
    starts = iter(sentence_starts)
    next_start = next(starts, n)
    for i in hits:
        while i >= next_start:
            floor, next_start = next_start, next(starts, n)
        low = lows[i]
        if low in _SPECIAL_HITS:
            if low in _ADVERB_OR_ADJECTIVE:
                if i + 1 < n and _adjective_follows(lows[i + 1], valences):
                    continue  # "pretty good": a degree adverb, applied to "good"
            elif low in BOOSTERS:
                continue
            elif i + 1 < n and (lows[i + 1] == "of" if low == "kind" else lows[i + 1] in valences):
                continue  # "kind of" dampens; "no" before an opinion word negates it
        valence = valences[low]
        raw = items[i][2]
        if len(raw) > 1 and raw.isupper():
            if cap_diff is None:
                cap_diff = _cap_differential(items)
            if cap_diff:
                valence += C_INCR if valence > 0 else -C_INCR
        if stretched and i in stretched:
            # Stretching a word stresses it the way a degree adverb does ("goooood").
            valence += B_INCR if valence > 0 else -B_INCR
        k = i - floor  # words before this one in its sentence
        if turned and i in turned:
            strength = N_SCALAR if abs(turned[i]) < _TURNED_PRAISE else _NEVER_SO
            valence = math.copysign(abs(valence * strength), turned[i])
        elif k and (
            lows[i - 1] in modifiers
            or (k > 1 and (lows[i - 2] in modifiers or (k > 2 and lows[i - 3] in modifiers)))
        ):
            if _no_negates(lows, i, k):
                valence *= N_SCALAR
            valence = _modifiers(lows, items, i, floor, valence, valences, cap_diff)
            if lows[i - 1] == "least" and not (k > 1 and lows[i - 2] in ("at", "very")):
                valence *= N_SCALAR
        elif low in _IDIOM_WORDS:
            valence = _idiom(lows, i, valence)
        if but_at >= 0 and i != but_at:
            valence *= 0.5 if i < but_at else 1.5
        if damped:
            for start, end, factor in damped:
                if start <= i < end:
                    valence *= factor
                    break
        total += valence
    if total:
        emphasis = _EXCLAMATION_STEP * min(exclamations, 4)
        if questions > 1:
            emphasis += _QUESTION_STEP * questions if questions <= 3 else 0.96
        total += emphasis if total > 0 else -emphasis
        return normalize(total)
    return 0.0


def _adjective_follows(word: str, valences: Mapping[str, float]) -> bool:
    """An opinion word, a degree adverb or one of Pattern's adjectives ("average")."""
    return word in valences or word in BOOSTERS or word in lx.pattern_polarity()


def _cap_differential(items: list[tuple[str, str, str]]) -> bool:
    """Capitals are emphasis only among lower-case words (VADER's "cap differential")."""
    uppers = sum(1 for item in items if item[2].isupper())
    return 0 < uppers < len(items)


def _no_negates(lows: list[str], i: int, before: int) -> bool:
    """VADER's "no": one or two words before, or three before "or"/"nor" ("no fun or joy").

    ``before`` is how many words of the sentence precede ``lows[i]``.
    """
    if lows[i - 1] == "no" or (before > 1 and lows[i - 2] == "no"):
        return True
    return before > 2 and lows[i - 3] == "no" and lows[i - 1] in ("or", "nor")


def _modifiers(
    lows: list[str],
    items: list[tuple[str, str, str]],
    i: int,
    floor: int,
    valence: float,
    valences: Mapping[str, float],
    cap_diff: bool | None,
) -> float:
    """Degree adverbs, negations and idioms in the three words before ``lows[i]``.

    ``floor`` is where the sentence begins: nothing before it modifies ``lows[i]``.
    """
    for back in (1, 2, 3):
        j = i - back
        if j < floor:
            break
        word = lows[j]
        if back >= 2 and (word, lows[j + 1]) in _DAMP_PAIRS:
            valence += -B_INCR if valence > 0 else B_INCR  # "kind of good"
        if word in valences and word not in _ADVERB_OR_ADJECTIVE:
            continue  # an opinion word of its own is neither a modifier nor a negation
        step = BOOSTERS.get(word)
        if step is not None:
            if valence < 0:
                step = -step
            if items[j][2].isupper() and (
                cap_diff if cap_diff is not None else _cap_differential(items)
            ):
                step += C_INCR if valence > 0 else -C_INCR
            valence += step * (1.0, 0.95, 0.9)[back - 1]
        if j > floor and (lows[j - 1], word) in _NEGATING_PAIRS:
            valence *= N_SCALAR  # "anything but fresh", "far from good"
        elif back == 1:
            if word in NEGATIONS or word.endswith("n't"):
                valence *= N_SCALAR
        elif word == "never" and not _SO_THIS.isdisjoint(lows[j + 1 : i]):
            valence *= _NEVER_SO  # "never so good", "never been this good" praise
        elif word == "without" and lows[j + 1] == "doubt":
            pass
        elif word in NEGATIONS or word.endswith("n't"):
            valence *= N_SCALAR
        if word == "be" and j - floor >= 2 and lows[j - 2] == "used" and lows[j - 1] == "to":
            valence *= N_SCALAR  # the scorer's chat rule: "used to be good" is not any more
    return _idiom(lows, i, valence) if lows[i] in _IDIOM_WORDS else valence


def _idiom(lows: list[str], i: int, valence: float) -> float:
    for parts, value in _IDIOMS.items():
        size = len(parts)
        for start in range(max(0, i - size + 1), i + 1):
            if tuple(lows[start : start + size]) == parts:
                return value
    return valence
