"""Per-language vocabulary and grammar for the one-pass scorer.

A :class:`LanguagePack` holds what the scorer needs to read one language: the opinion words
(Pattern's lexicon for that language with a curated chat layer on top), negations,
intensifiers, "too" words, scope breakers, multi-word phrases and question openers. The scorer
walks tokens the same way for every language; only the pack differs.

German, French and Dutch packs also know how people write there:

* inflected forms fall back to their base ("leckeren" -> "lecker", "délicieuses" ->
  "délicieux", "lekkere" -> "lekker");
* German and Dutch compounds are split: a modifier that carries sentiment decides
  ("Scheißservice", "Lieblingsbäckerei"), a boosting one strengthens the rest ("superlecker",
  "steinhart"), otherwise an adjective head is used ("zuckersüß" -> "süß");
* "ae/oe/ue/ss" spellings find the umlaut forms ("schoen" -> "schön"), and French typed
  without accents finds the accented word ("decevant" -> "décevant", "tres" -> "très");
* English words in a German, French or Dutch message ("der Vibe ist so cozy, love it") are
  looked up in the English table, unless the word is also a word of the message's language
  ("war", "Gift", "fast", "bad" are German first).

Lookups through fallbacks are cached per pack (bounded), so a repeated word costs one dict hit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Final

from bot.sentiment import lang_de, lang_fr, lang_nl, pattern_data
from bot.sentiment import lexicon as lx
from bot.sentiment.constructions import Constructions, inflected_comparative
from bot.sentiment.spelling import FOLDED_LANGUAGES, add_folded, folded

Entry = tuple[float, float]
PhraseIndex = dict[str, list[tuple[tuple[str, ...], float | None]]]

#: Languages the scorer reads; anything else stays "unscored" with its language code.
SCORED_LANGUAGES: Final = ("en", "de", "fr", "nl")

_CACHE_LIMIT: Final = 50_000  # chat vocabulary is open-ended; keep the cache bounded
_BOOST: Final = 1.3

# English words people drop into German/French/Dutch chat that those languages' lexicons also
# list (as loans or names): look them up in English all the same.
_LOANWORDS: Final = lx.word_set(
    "love loved nice cute cool awesome amazing perfect great good lovely sweet yummy epic "
    "happy fancy cozy cosy crazy best worst fail wow yay nope okay ok fine chill top super "
    "hype lit fresh delicious tasty"
)


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Lowercase word tokens of a phrase, split the way the scorer's tokenizer splits them."""
    return tuple(m.group().lower() for m in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)*", phrase))


def build_phrase_index(phrases: Mapping[tuple[str, ...], float | None]) -> PhraseIndex:
    index: PhraseIndex = {}
    for parts, polarity in phrases.items():
        if parts:
            index.setdefault(parts[0], []).append((parts[1:], polarity))
    for candidates in index.values():
        candidates.sort(key=lambda item: -len(item[0]))
    return index


def merge_phrases(
    index: PhraseIndex, extra: Mapping[tuple[str, ...], float | None]
) -> PhraseIndex:
    """``index`` with the ``extra`` phrases added (they win over an equal phrase).

    ``index`` itself is not changed: the built-in indexes are shared by every scorer.
    """
    if not extra:
        return index
    merged = dict(index)
    for parts, polarity in extra.items():
        if not parts:
            continue
        rest = parts[1:]
        candidates = [item for item in merged.get(parts[0], ()) if item[0] != rest]
        candidates.append((rest, polarity))
        candidates.sort(key=lambda item: -len(item[0]))
        merged[parts[0]] = candidates
    return merged


@functools.cache
def english_phrase_index() -> PhraseIndex:
    """The built-in English phrases; None marks a negating phrase ("used to be"). Shared:
    built once per process, never modified (a brand's phrases go into a merged copy)."""
    phrases: dict[tuple[str, ...], float | None] = {
        phrase_tokens(phrase): value for phrase, value in lx.PHRASES.items()
    }
    for parts in lx.NEGATION_PHRASES:
        phrases[parts] = None
    return build_phrase_index(phrases)


class LanguagePack:
    """Everything the scorer needs to read one language; see the module docstring."""

    __slots__ = (
        "_adjectives",
        "_boosting",
        "_cache",
        "_comparatives",
        "_fallback",
        "_gradable",
        "_guard",
        "_prefixes",
        "_stems",
        "code",
        "commentary",
        "contrast",
        "elision",
        "find",
        "grammar",
        "intensifiers",
        "negations",
        "phrases",
        "post_negations",
        "scope_breakers",
        "standalone",
        "too_alone",
        "too_words",
        "why_words",
        "words",
        "yes_no_openers",
    )  # fmt: skip

    def __init__(
        self,
        code: str,
        words: dict[str, Entry],
        phrases: PhraseIndex,
        *,
        intensifiers: Mapping[str, float],
        negations: frozenset[str],
        scope_breakers: frozenset[str],
        too_words: frozenset[str],
        yes_no_openers: frozenset[str],
        why_words: frozenset[str],
        standalone: Mapping[str, float] | None = None,
        stems: Callable[[str], tuple[str, ...]] | None = None,
        prefixes: Mapping[str, float] | None = None,
        boosting_prefixes: frozenset[str] = frozenset(),
        adjectives: frozenset[str] = frozenset(),
        fallback: Mapping[str, Entry] | None = None,
        guard: frozenset[str] = frozenset(),
        post_negations: frozenset[str] = frozenset(),
        commentary: frozenset[str] = frozenset(),
        contrast: frozenset[str] = frozenset(),
        too_alone: bool = False,
        elision: bool = False,
        grammar: Constructions | None = None,
        gradable: frozenset[str] = frozenset(),
        comparative_forms: frozenset[str] = frozenset(),
    ) -> None:
        self.code = code
        self.words = words
        self.phrases = phrases
        self.intensifiers = intensifiers
        self.negations = negations
        self.scope_breakers = scope_breakers
        self.too_words = too_words
        self.yes_no_openers = yes_no_openers
        self.why_words = why_words
        self.standalone = standalone or {}
        self.post_negations = post_negations
        self.commentary = commentary
        self.contrast = contrast
        self.too_alone = too_alone
        self.elision = elision
        self.grammar = grammar or Constructions()
        # Adjectives whatever their polarity ("hoch", "klein", "long"): "too" makes any of them
        # a complaint. English also lists its comparatives ("fresher"); the others are found
        # by their ending.
        self._gradable = gradable
        self._comparatives: dict[str, float | None] = dict.fromkeys(comparative_forms, 0.4)
        self._comparatives.update(self.grammar.comparatives)
        self._stems = stems
        self._prefixes = sorted((prefixes or {}).items(), key=lambda kv: -len(kv[0]))
        self._boosting = sorted(boosting_prefixes, key=len, reverse=True)
        self._adjectives = adjectives
        self._fallback = fallback
        self._guard = guard
        self._cache: dict[str, Entry | None] = {}
        # The scorer calls this per word: a plain dict lookup when there is nothing to fall
        # back to (English), so English pays no extra function call.
        self.find: Callable[[str], Entry | None] = words.get if stems is None else self.lookup

    def lookup(self, word: str) -> Entry | None:
        """(polarity, subjectivity) of a lowercase word through every fallback, None if unknown."""
        entry = self.words.get(word)
        if entry is not None or self._stems is None:
            return entry
        cache = self._cache
        if word in cache:
            return cache[word]
        entry = self._resolve(word)
        if len(cache) < _CACHE_LIMIT:
            cache[word] = entry
        return entry

    def gradable(self, word: str) -> bool:
        """Whether ``word`` (or its base form) is an adjective, so "too <word>" is excess."""
        if word in self._gradable:
            return True
        return self._stems is not None and any(s in self._gradable for s in self._stems(word))

    def comparative(self, word: str) -> float | None:
        """The direction of a comparative ("better" 0.5, "worse" -0.5, "frischer" 0.4: a
        comparative of an adjective is something wished for), None if ``word`` is none."""
        known = self._comparatives
        if word in known:
            return known[word]
        value: float | None = None
        if self._stems is not None and self.code != "fr":
            value = inflected_comparative(word, self.grammar, self._stems, self.gradable)
        if len(known) < _CACHE_LIMIT:
            known[word] = value
        return value

    def _base(self, word: str) -> Entry | None:
        words = self.words
        entry = words.get(word)
        if entry is None and self._stems is not None:
            for stem in self._stems(word):
                entry = words.get(stem)
                if entry is not None:
                    break
        return entry

    def _resolve(self, word: str) -> Entry | None:
        entry = self._base(word)
        if entry is not None:
            return entry
        if self._prefixes or self._boosting:
            entry = self._compound(word)
            if entry is not None:
                return entry
        fallback = self._fallback
        if fallback is not None and (word in _LOANWORDS or word not in self._guard):
            return fallback.get(word)
        return None

    def _compound(self, word: str) -> Entry | None:
        if len(word) < 6:
            return None
        for prefix, polarity in self._prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                rest = self._base(word[len(prefix) :])
                if rest is not None and rest[0] * polarity > 0:
                    return _clamp(rest[0] * _BOOST), rest[1]
                return polarity, 0.8
        for prefix in self._boosting:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                rest = self._base(word[len(prefix) :])
                if rest is not None and rest[0] != 0.0:
                    return _clamp(rest[0] * _BOOST), rest[1]
        adjectives = self._adjectives
        for start in range(3, len(word) - 3):
            head = word[start:]
            if head in adjectives:
                entry = self.words.get(head)
                if entry is not None and entry[0] != 0.0:
                    return entry
        return None


def _clamp(value: float) -> float:
    return -1.0 if value < -1.0 else 1.0 if value > 1.0 else value


def _with_brand(base: dict[str, Entry], brand_words: Mapping[str, Entry]) -> dict[str, Entry]:
    if not brand_words:
        return base  # shared, read-only
    table = dict(base)
    table.update(brand_words)
    return table


@functools.cache
def _native_words(code: str) -> dict[str, Entry]:
    module = _MODULES[code]
    table = dict(pattern_data.polarity_table(code))
    table.update(module.WORDS)
    if code in FOLDED_LANGUAGES:
        add_folded(code, table, pattern_data.known_words(code))
    return table


_MODULES: Final[dict[str, ModuleType]] = {"de": lang_de, "fr": lang_fr, "nl": lang_nl}


def english_pack(words: dict[str, Entry], phrases: PhraseIndex) -> LanguagePack:
    """The English pack: the scorer's table as it always was (no stems, no fallbacks)."""
    return LanguagePack(
        "en",
        words,
        phrases,
        intensifiers=lx.INTENSIFIERS,
        negations=lx.NEGATIONS,
        scope_breakers=lx.SCOPE_BREAKERS,
        too_words=lx.TOO_WORDS,
        yes_no_openers=lx.YES_NO_OPENERS,
        why_words=frozenset({"why"}),
        contrast=frozenset({"but", "however"}),
        grammar=lx.GRAMMAR,
        gradable=_english_adjectives(),
        comparative_forms=_english_comparatives(),
    )


@functools.cache
def _english_adjectives() -> frozenset[str]:
    return frozenset(w for w, tag in lx.pattern_tags().items() if tag.startswith("JJ"))


@functools.cache
def _english_comparatives() -> frozenset[str]:
    # Once per process: walking Pattern's ~100k tags took ~8 ms of every club's start.
    return frozenset(w for w, tag in lx.pattern_tags().items() if tag == "JJR")


def foreign_pack(
    code: str,
    brand_words: Mapping[str, Entry],
    brand_phrases: Mapping[tuple[str, ...], float],
    english_words: Mapping[str, Entry],
) -> LanguagePack:
    """The German, French or Dutch pack, with the brand's lexicon on top."""
    module = _MODULES[code]
    index, adjectives, guard, gradable = _foreign_tables(code)
    return LanguagePack(
        code,
        _with_brand(_native_words(code), brand_words),
        merge_phrases(index, brand_phrases),
        intensifiers=module.INTENSIFIERS,
        negations=module.NEGATIONS,
        scope_breakers=module.SCOPE_BREAKERS,
        too_words=module.TOO_WORDS,
        yes_no_openers=module.YES_NO_OPENERS | module.WH_WORDS,
        why_words=module.WHY_WORDS,
        standalone=module.STANDALONE,
        stems=module.stems,
        prefixes=module.PREFIXES,
        boosting_prefixes=module.BOOSTING_PREFIXES,
        adjectives=adjectives,
        fallback=english_words,
        guard=guard,
        post_negations=module.POST_NEGATIONS,
        commentary=module.COMMENTARY,
        contrast=module.CONTRAST,
        too_alone=code == "fr",  # "c'est trop" ends a complaint; French has no "me too" here
        elision=code == "fr",
        grammar=module.GRAMMAR,
        gradable=gradable,
    )


@functools.cache
def _foreign_tables(
    code: str,
) -> tuple[PhraseIndex, frozenset[str], frozenset[str], frozenset[str]]:
    """Phrase index, opinion adjectives, guard words and all adjectives of a language: built
    once per process (tens of milliseconds for the three languages), shared read-only by
    every scorer."""
    module = _MODULES[code]
    # English phrases first, so the language's own win: "next level", "worth it" are used
    # in German chat as they are.
    phrases: dict[tuple[str, ...], float | None] = {
        phrase_tokens(phrase): value for phrase, value in lx.PHRASES.items()
    }
    for phrase, value in module.PHRASES.items():
        phrases[phrase_tokens(phrase)] = value
        plain = folded(code, phrase)
        if plain != phrase:
            phrases.setdefault(phrase_tokens(plain), value)
    adjectives = pattern_data.adjectives(code) | {
        w for w, (p, _s) in module.WORDS.items() if p != 0.0
    }
    guard = pattern_data.known_words(code) | frozenset(module.WORDS) | module.FUNCTION_WORDS
    tags = pattern_data.part_of_speech(code)
    adjective_tag = "Adj" if code == "nl" else "ADJ" if code == "de" else "JJ"
    gradable = {w.lower() for w, tag in tags.items() if tag.startswith(adjective_tag)}
    gradable.update(pattern_data.adjectives(code))
    # Neutral words the chat layer lists ("hoch=0", "heet=0") are adjectives unless nouns.
    gradable.update(
        w
        for w, (p, _s) in module.WORDS.items()
        if p == 0.0 and not pattern_data.is_noun_tag(code, tags.get(w, tags.get(w.title(), "")))
    )
    gradable.update([folded(code, w) for w in gradable])
    return build_phrase_index(phrases), adjectives, guard, frozenset(gradable)
