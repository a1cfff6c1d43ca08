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
    _emoticon_value,
    clean,
    split_sentences,
    tokenize,
)
from bot.sentiment.language import detect_language

POSITIVE: Final = "positive"
NEUTRAL: Final = "neutral"
NEGATIVE: Final = "negative"
UNSCORED: Final = "unscored"

_ELONGATED: Final = intensity.ELONGATED
# A negation reaches over this many unknown words ("not a very good", "isn't that great").
_NEGATION_REACH: Final = 3
# "not good" is mildly bad, "not bad" mildly good: Pattern's rule, kept for comparability.
_NEGATION_FACTOR: Final = -0.5
_QUESTION_FACTOR: Final = 0.3
# "is the new croissant good?" asks for an opinion, it gives none.
_YES_NO_QUESTION_FACTOR: Final = 0.1
_WHY_QUESTION_FACTOR: Final = 0.8  # "why is the coffee always cold?" is a complaint
_WHY_COMPLAINT: Final = -0.3  # what a "why ...?" question adds when nothing else is negative
_TOO_COMPLAINT: Final = -0.4  # "zu viel", "c'est trop" with no adjective to turn round
_BEFORE_BUT: Final = 0.5
_AFTER_BUT: Final = 1.5
_MEAN_WEIGHT: Final = 0.5
_SUM_ALPHA: Final = 2.0
_CAPS_FACTOR: Final = 1.25
_ELONGATION_FACTOR: Final = 1.2
_EXCLAMATION_STEP: Final = 0.3  # per "!", up to two; chosen on the tweets' tuning half


@dataclass(frozen=True, slots=True)
class SentimentScore:
    """Polarity in -1..1, subjectivity in 0..1, a label and the detected language."""

    polarity: float
    subjectivity: float
    label: str
    language: str


_UNSCORED_UND: Final = SentimentScore(0.0, 0.0, UNSCORED, "und")


def _clamp(value: float) -> float:
    return -1.0 if value < -1.0 else 1.0 if value > 1.0 else value


class SentimentScorer:
    """Scores English chat messages; see the module docstring for the non-English policy.

    ``lexicon`` is the brand's own vocabulary (word or multi-word phrase -> polarity in -1..1),
    matched case-insensitively and taking precedence over every built-in list. A message is
    "positive" when its polarity is above ``positive_threshold`` and "negative" when below
    ``negative_threshold`` (strict comparisons, as in the TextBlob baseline). English polarity
    is ``english_blend`` times our own plus the rest times VADER's rules
    (:mod:`bot.sentiment.intensity`); 1.0 and 0.0 give either alone (for benchmarks).
    """

    __slots__ = (
        "_blend_weight",
        "_brand_words",
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
    ) -> None:
        if not (-1.0 <= negative_threshold <= positive_threshold <= 1.0):
            raise ValueError("need -1 <= negative_threshold <= positive_threshold <= 1")
        if not (0.0 <= english_blend <= 1.0):
            raise ValueError("need 0 <= english_blend <= 1")
        self._blend_weight = float(english_blend)
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
                brand_entries[parts[0]] = (_clamp(value), 0.8)
            else:
                brand_phrases[parts] = _clamp(value)
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
        language = detect_language(text)
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
            units = self._assess(tokens, pack, stretched if english else None)
            if complaint and not any(p < 0.0 for _w, p, _s in units):
                # "Why is the shop closed again??" complains even without an opinion word.
                units.append((False, _WHY_COMPLAINT, 0.6))
            for is_word, p, s in units:
                p = _clamp(p * (word_factor if is_word else factor))
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
            )
            weight = self._blend_weight
            polarity = _clamp(weight * polarity + (1.0 - weight) * vader)
        subjectivity = min(1.0, subj_sum / subj_n) if subj_n else 0.0
        label = self.label_for(polarity)
        return SentimentScore(polarity, subjectivity, label, language), sentences

    def _assess(
        self,
        tokens: list[Token],
        pack: packs.LanguagePack,
        stretched: list[str] | None = None,
    ) -> list[tuple[bool, float, float]]:
        """(is_word, polarity, subjectivity) for each opinion-bearing unit of a sentence.

        Unknown words with a letter typed three times or more are added to ``stretched``.
        """
        units: list[tuple[bool, float, float]] = []
        emit = units.append
        lookup = pack.find
        brand = self._brand_words
        phrases = pack.phrases
        negations = pack.negations
        intensifiers = pack.intensifiers
        standalone = pack.standalone
        elision = pack.elision
        # German, Dutch and spoken French often negate after the verb ("gefällt mir nicht",
        # "reageert gewoon niet", "ça marche pas"): a negation that finds no opinion word
        # before its clause ends turns back to the last one before it.
        post_negations = pack.post_negations
        commentary = pack.commentary
        neg_at = -1  # units index where an unspent post-negation began
        contrast = pack.contrast
        but_at = -1  # units index where the last "but" clause began
        too_alone = pack.too_alone
        excess = False
        scope_breakers = pack.scope_breakers
        too_words = pack.too_words
        negated = 0  # remaining reach of a pending negation
        mult = 1.0
        mult_reach = 0
        too = False
        # A praising intensifier ("super", "mega") not yet spent on a following word.
        pending = 0.0
        clause_start = 0  # index in units where the current clause began
        i = 0
        n = len(tokens)
        while i < n:
            kind, low, raw = tokens[i]
            i += 1
            if kind != "w":
                if kind == "p":
                    if pending:
                        emit((True, pending, 0.8))
                    if too and excess:
                        emit((True, _TOO_COMPLAINT, 0.8))
                    if neg_at >= 0:
                        _negate_before(units, clause_start, neg_at)
                        neg_at = -1
                    negated = 0
                    mult, mult_reach, too, pending = 1.0, 0, False, 0.0
                    clause_start = len(units)
                elif kind == "e":
                    value = lx.EMOJI.get(low)
                    if value is not None:
                        emit((False, value, 1.0))
                elif kind == "m":
                    emit((False, _emoticon_value(low), 1.0))
                else:  # "n/10" rating
                    emit((False, (int(low.split("/")[0]) - 5) / 5.0, 1.0))
                continue
            if elision and ("'" in low or "’" in low):
                # French elision: "j'adore" reads "adore", "n'est" is a negation.
                head, _sep, low = low.replace("’", "'").rpartition("'")
                if head == "n":
                    negated = _NEGATION_REACH
                if not low:
                    continue
            candidates = phrases.get(low)
            if candidates is not None:
                hit: float | None = None
                matched = False
                for rest, value in candidates:
                    end = i + len(rest)
                    if end <= n and all(tokens[i + k][1] == part for k, part in enumerate(rest)):
                        hit, matched = value, True
                        i = end
                        break
                if matched and hit is None:
                    negated = _NEGATION_REACH
                    if neg_at < 0 and tokens[i - 1][1] in post_negations:
                        neg_at = len(units)  # "überhaupt nicht" may negate backwards too
                    continue
                if matched and hit is not None:
                    p = _clamp(hit * mult)
                    if negated:
                        p *= _NEGATION_FACTOR
                        neg_at = -1
                    emit((True, p, 0.8 if hit else 0.0))
                    negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
                    continue
            if low not in brand:
                if low in negations:
                    negated = _NEGATION_REACH
                    if neg_at < 0 and low in post_negations:
                        neg_at = len(units)
                    continue
                if low in scope_breakers:
                    if pending:
                        emit((True, pending, 0.8))
                    if too and excess:
                        emit((True, _TOO_COMPLAINT, 0.8))
                    if low in contrast:
                        but_at = len(units)
                    if neg_at >= 0:
                        _negate_before(units, clause_start, neg_at)
                        neg_at = -1
                    negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
                    clause_start = len(units)
                    continue
                if low in too_words:
                    too = True
                    # "zu viel", "te veel", "c'est trop": excess with nothing to name is a
                    # complaint too; "zu dritt", "zu Hause" and "me too" are not excess.
                    excess = too_alone or (
                        i < n and tokens[i][1] in intensifiers and tokens[i][1] not in too_words
                    )
                    mult *= intensifiers.get(low, 1.2)
                    mult_reach = 2
                    continue
                boost = intensifiers.get(low)
                if boost is not None:
                    mult *= boost
                    mult_reach = 2
                    pending = standalone.get(low, pending)
                    continue
            emphasis = 1.0
            entry = lookup(low)
            if entry is None and len(low) > 2 and _ELONGATED.search(low) is not None:
                if stretched is not None:
                    stretched.append(low)
                for form in (_ELONGATED.sub(r"\1\1", low), _ELONGATED.sub(r"\1", low)):
                    boost = intensifiers.get(form)
                    if boost is not None:
                        mult *= boost * _ELONGATION_FACTOR
                        mult_reach = 2
                        break
                    entry = lookup(form)
                    if entry is not None:
                        emphasis = _ELONGATION_FACTOR
                        break
                if boost is not None:
                    continue
            if entry is None or (entry[0] == 0.0 and low not in brand):
                # Unknown and neutral words ("much", "open") do not use up a pending
                # negation or intensifier: "used to be so much better".
                if entry is not None:
                    emit((True, 0.0, entry[1]))
                if negated:
                    negated -= 1
                if mult_reach:
                    mult_reach -= 1
                    if not mult_reach:
                        if pending:
                            emit((True, pending, 0.8))
                        mult, too, pending = 1.0, False, 0.0
                continue
            p, s = entry
            if len(raw) > 1 and raw.isupper():
                emphasis *= _CAPS_FACTOR
            if too and p < 0.5:
                # "too sweet", "too loud": excess is a complaint whatever the adjective.
                p = min(p, -0.3) if p <= 0.0 else -max(0.3, p)
                p *= mult
            else:
                p *= mult * emphasis
            if negated:
                p *= _NEGATION_FACTOR
                neg_at = -1
            # Commentary ("leider") is not a unit a later negation can turn round.
            emit((low not in commentary, _clamp(p), min(1.0, s * (mult if mult > 1.0 else 1.0))))
            negated, mult, mult_reach, too, pending = 0, 1.0, 0, False, 0.0
        if pending:
            emit((True, pending, 0.8))
        if too and excess:
            emit((True, _TOO_COMPLAINT, 0.8))
        if neg_at >= 0:
            _negate_before(units, clause_start, neg_at)
        if but_at >= 0:
            # What follows "but" is what the writer means (VADER's weighting).
            for k, (is_word, p, s) in enumerate(units):
                weight = _BEFORE_BUT if k < but_at else _AFTER_BUT
                units[k] = (is_word, _clamp(p * weight), s)
        return units


_DEFAULT: SentimentScorer | None = None


def default_scorer() -> SentimentScorer:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SentimentScorer()
    return _DEFAULT


def score(text: str) -> SentimentScore:
    """Score one chat message with the default scorer (no brand lexicon, thresholds ±0.1)."""
    return default_scorer().score(text)


def _negate_before(units: list[tuple[bool, float, float]], start: int, end: int) -> None:
    """Negate the last opinion word in ``units[start:end]`` (a negation that came after it)."""
    for k in range(end - 1, start - 1, -1):
        is_word, p, s = units[k]
        if is_word and p != 0.0:
            units[k] = (is_word, p * _NEGATION_FACTOR, s)
            return


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
