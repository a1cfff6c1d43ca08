"""Chat-aware sentiment scoring on top of the lexicon TextBlob uses.

``TextBlob(text).sentiment`` spends about two thirds of its time building a blob, tokenising
with a general-purpose tokenizer and wrapping results; the scoring itself is a dictionary lookup
per word. We keep Pattern's data and its averaging model (mean polarity of the opinion words
found) but do the walk ourselves in one pass with precompiled regexes, which is both several
times cheaper and lets us understand chat: emoji and emoticons, negation with a short scope,
intensifiers, slang, elongations ("sooo goooood"), ALL CAPS and "!" emphasis, "too <adj>"
complaints, "8/10" ratings, and questions (damped: "is the vegan roll good?" asks, it does not
judge).

Policy for messages that are not English prose (decided here, tested in tests/test_sentiment.py):

* Letters in another language or script: label "unscored", polarity 0.0, subjectivity 0.0,
  language set to the detected code. We never invent a number for text we cannot read.
* No letters but emoji, emoticons or a "n/10" rating ("😍😍", ":(", "10/10"): scored from those,
  language "und". Emoji without a known polarity ("🥐") make it "neutral".
* Nothing to read at all (empty, whitespace, punctuation, digits, markup or a bare link):
  "unscored", polarity 0.0, subjectivity 0.0, language "und". Calling that "neutral" would
  inflate the neutral share of a daily digest with messages that say nothing.

The walk over one sentence's words (negation, intensifiers, phrases, "but") is in
opinion_units.py; this module detects the language, weighs questions and "!", and combines
sentences and VADER's rules into the message's score.

Input never raises: markup (``<b>``, ``&amp;``), links, @mentions, /commands, zero-width and
bidi control characters are stripped first, and text past :data:`MAX_CHARS` is ignored so that
the cost of one message is bounded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.sentiment import intensity, packs
from bot.sentiment import lexicon as lx
from bot.sentiment.chat_text import (
    Token,
    _asks,
    clean,
    split_sentences,
    tokenize,
)
from bot.sentiment.language import detect_language
from bot.sentiment.opinion_units import clamp, opinion_units

POSITIVE: Final = "positive"
NEUTRAL: Final = "neutral"
NEGATIVE: Final = "negative"
UNSCORED: Final = "unscored"

_QUESTION_FACTOR: Final = 0.3
# "is the new croissant good?" asks for an opinion, it gives none.
_YES_NO_QUESTION_FACTOR: Final = 0.1
_WHY_QUESTION_FACTOR: Final = 0.8  # "why is the coffee always cold?" is a complaint
_WHY_COMPLAINT: Final = -0.3  # what a "why ...?" question adds when nothing else is negative
_MEAN_WEIGHT: Final = 0.5
_SUM_ALPHA: Final = 2.0
_EXCLAMATION_STEP: Final = 0.3  # per "!", up to two; chosen on the tweets' tuning half


@dataclass(frozen=True, slots=True)
class SentimentScore:
    """Polarity in -1..1, subjectivity in 0..1, a label and the detected language."""

    polarity: float
    subjectivity: float
    label: str
    language: str


_UNSCORED_UND: Final = SentimentScore(0.0, 0.0, UNSCORED, "und")


class SentimentScorer:
    """Scores English chat messages; see the module docstring for the non-English policy.

    ``lexicon`` is the brand's own vocabulary (word or multi-word phrase -> polarity in -1..1),
    matched case-insensitively and taking precedence over every built-in list. A message is
    "positive" when its polarity is above ``positive_threshold`` and "negative" when below
    ``negative_threshold`` (strict comparisons, as in the TextBlob baseline). English polarity
    is ``english_blend`` times our own plus the rest times VADER's rules
    (:mod:`bot.sentiment.intensity`); 1.0 and 0.0 give either alone (for benchmarks).
    ``language`` is the club's language, the tie-breaker of language identification: in a
    German club "Enttaeuschend" or "Alle da?" is German, in an English club English wins ties.
    """

    __slots__ = (
        "_blend_weight",
        "_brand_words",
        "_language",
        "_negative",
        "_packs",
        "_phrases",
        "_positive",
        "_valences",
        "_words",
    )

    def __init__(
        self,
        lexicon: Mapping[str, float] | None = None,
        positive_threshold: float = 0.1,
        negative_threshold: float = -0.1,
        *,
        english_blend: float = intensity.BLEND_WEIGHT,
        language: str = "en",
    ) -> None:
        if not (-1.0 <= negative_threshold <= positive_threshold <= 1.0):
            raise ValueError("need -1 <= negative_threshold <= positive_threshold <= 1")
        if not (0.0 <= english_blend <= 1.0):
            raise ValueError("need 0 <= english_blend <= 1")
        self._blend_weight = float(english_blend)
        self._language = language
        self._positive = float(positive_threshold)
        self._negative = float(negative_threshold)
        # The built-in tables are built once per process and shared read-only by every
        # scorer (a bot opens one per club); a brand's words go into copies.
        english = lx.word_table()
        brand_entries: dict[str, tuple[float, float]] = {}
        brand_phrases: dict[tuple[str, ...], float] = {}
        for key, raw_value in (lexicon or {}).items():
            value = float(raw_value)
            if not math.isfinite(value):
                raise ValueError(f"lexicon polarity for {key!r} is not a finite number")
            parts = packs.phrase_tokens(str(key))
            if not parts:
                continue
            if len(parts) == 1:
                brand_entries[parts[0]] = (clamp(value), 0.8)
            else:
                brand_phrases[parts] = clamp(value)
        words = {**english, **brand_entries} if brand_entries else english
        index = packs.merge_phrases(packs.english_phrase_index(), brand_phrases)
        self._words = words
        self._brand_words = frozenset(brand_entries)
        self._valences = intensity.valence_table(brand_entries)
        self._phrases = index
        self._packs: dict[str, packs.LanguagePack] = {"en": packs.english_pack(words, index)}
        for code in packs.SCORED_LANGUAGES:
            if code != "en":
                self._packs[code] = packs.foreign_pack(code, brand_entries, brand_phrases, english)

    @property
    def opinion_words(self) -> Mapping[str, tuple[float, float]]:
        """Single word -> (polarity, subjectivity), brand lexicon included."""
        return self._words

    @property
    def languages(self) -> tuple[str, ...]:
        """Language codes this scorer reads; every other language is "unscored"."""
        return tuple(self._packs)

    def pack(self, language: str) -> packs.LanguagePack:
        """The vocabulary and grammar used for ``language`` (KeyError if not scored)."""
        return self._packs[language]

    @property
    def positive_threshold(self) -> float:
        return self._positive

    @property
    def negative_threshold(self) -> float:
        return self._negative

    def label_for(self, polarity: float) -> str:
        if polarity > self._positive:
            return POSITIVE
        if polarity < self._negative:
            return NEGATIVE
        return NEUTRAL

    def score(self, text: str) -> SentimentScore:
        return self.analyze_sentences(text)[0]

    def analyze_sentences(
        self, text: str
    ) -> tuple[SentimentScore, list[tuple[list[Token], float]]]:
        """Score ``text`` and return its sentences as (tokens, polarity) for further analysis.

        The sentence list is empty when the message is unscored.
        """
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        text = clean(text)
        language = detect_language(text, self._language)
        scored = self._analyze_in(text, language)
        if (
            language == self._language != "en"
            and scored[0].label == NEUTRAL
            and detect_language(text, "en") == "en"
        ):
            # Nothing in the message said which language it is (the club's was a guess),
            # and the club's language finds no opinion in it: a word it shares with English
            # ("bad service": German "Bad", a bath) may carry one in English.
            english = self._analyze_in(text, "en")
            if english[0].label != NEUTRAL:
                return english
        return scored

    def _analyze_in(
        self, text: str, language: str
    ) -> tuple[SentimentScore, list[tuple[list[Token], float]]]:
        pack = self._packs.get("en" if language == "und" else language)
        if pack is None:
            return SentimentScore(0.0, 0.0, UNSCORED, language), []
        sentences: list[tuple[list[Token], float]] = []
        # English also runs VADER's rules over the whole message: its tokens in one list, and
        # (start, end, factor) for each question sentence, whose words the factor damps.
        english = pack.code == "en"
        flat: list[Token] = []
        damped: list[tuple[int, int, float]] = []
        starts: list[int] = []
        stretched: list[str] = []  # "goooood": the rules read these as the word they stretch
        turned: dict[int, float] = {}  # "could be better": index in flat -> our polarity
        pol_sum = 0.0
        pol_n = 0
        subj_sum = 0.0
        subj_n = 0
        has_symbols = False
        for sentence in split_sentences(text):
            tokens = tokenize(sentence)
            if not tokens:
                continue
            if language == "und":
                has_symbols = has_symbols or any(t[0] in "emr" for t in tokens)
            factor = 1.0
            bangs = sentence.count("!")
            if bangs:
                factor += _EXCLAMATION_STEP * min(bangs, 2)
            question = 1.0
            complaint = False
            if "?" in sentence and _asks(sentence):
                first = tokens[0][1]
                if first in pack.why_words:
                    question = _WHY_QUESTION_FACTOR
                    complaint = True
                elif first in pack.yes_no_openers:
                    question = _YES_NO_QUESTION_FACTOR
                else:
                    question = _QUESTION_FACTOR
            word_factor = factor * question
            if english:
                start = len(flat)
                if start:
                    starts.append(start)
                flat += [t for t in tokens if t[0] != "p"]
                if question != 1.0:
                    damped.append((start, len(flat), question))
            s_pol = 0.0
            s_n = 0
            sentence_turned: list[tuple[int, float]] | None = [] if english else None
            units = opinion_units(
                tokens, pack, self._brand_words, stretched if english else None, sentence_turned
            )
            if sentence_turned:
                for k, p in sentence_turned:
                    # The flat list has no punctuation: count the words before token k.
                    turned[start + sum(1 for t in tokens[:k] if t[0] != "p")] = p
            if complaint and not any(p < 0.0 for _w, p, _s in units):
                # "Why is the shop closed again??" complains even without an opinion word.
                units.append((False, _WHY_COMPLAINT, 0.6))
            for is_word, p, s in units:
                p = clamp(p * (word_factor if is_word else factor))
                subj_sum += s
                subj_n += 1
                if p != 0.0:
                    s_pol += p
                    s_n += 1
            pol_sum += s_pol
            pol_n += s_n
            sentences.append((tokens, s_pol / s_n if s_n else 0.0))
        if language == "und" and not has_symbols:
            return _UNSCORED_UND, []
        polarity = _aggregate(pol_sum, pol_n)
        if english:
            vader = intensity.compound(
                flat,
                self._valences,
                damped,
                text.count("!"),
                text.count("?"),
                starts,
                stretched,
                turned,
            )
            weight = self._blend_weight
            polarity = clamp(weight * polarity + (1.0 - weight) * vader)
        subjectivity = min(1.0, subj_sum / subj_n) if subj_n else 0.0
        label = self.label_for(polarity)
        return SentimentScore(polarity, subjectivity, label, language), sentences


_DEFAULT: SentimentScorer | None = None


def default_scorer() -> SentimentScorer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SentimentScorer()
    return _DEFAULT


def score(text: str) -> SentimentScore:
    """Score one chat message with the default scorer (no brand lexicon, thresholds ±0.1)."""
    return default_scorer().score(text)


def _aggregate(total: float, count: int) -> float:
    """Message polarity from the sum and number of its opinion units.

    Pattern's mean says how strong the typical opinion word is; VADER's normalised sum
    (``total / sqrt(total² + alpha)``) also grows with how many there are ("love love love").
    Half of each correlates better with human intensity ratings (tuned on Hutto & Gilbert's
    review and editorial snippets, never on the tweets we report) and keeps every label of
    the club sets.
    """
    if not count:
        return 0.0
    mean = total / count
    return _MEAN_WEIGHT * mean + (1.0 - _MEAN_WEIGHT) * total / math.sqrt(
        total * total + _SUM_ALPHA
    )
