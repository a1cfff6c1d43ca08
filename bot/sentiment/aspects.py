"""Aspect matching: which configured aspects a message talks about, and how it feels about each.

An aspect is a name with keywords, e.g. ``{"price": ["price", "expensive", "value for money"],
"staff": ["staff", "barista", "cashier"]}``. Keywords match case-insensitively on whole words,
multi-word keywords match as consecutive words, and plurals and possessives are folded
("prices", "barista's"). The aspect's own name counts as a keyword too. Each matched aspect
gets the mean polarity of the sentences that mention it; a sentence that mentions no aspect
does not count towards any.

One list serves a mixed-language club: put the translations beside the English keywords
(``packaging = ["packaging", "bag", "Verpackung", "Tüte", "emballage", "sac", "zak"]``). In
German, French and Dutch messages a word also matches through its inflection ("Tüten"),
French elision ("l'emballage") and, for German and Dutch, compounds: a keyword that ends or
starts a longer word matches it ("Papiertüte" -> "tüte", "Pistazien-Croissant" -> "croissant",
"Preiserhöhung" -> "preis"). "ae/oe/ue/ss" spellings match umlauts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.sentiment import lang_de, lang_fr, lang_nl
from bot.sentiment.chat_text import Token
from bot.sentiment.lexicon import singularize
from bot.sentiment.packs import phrase_tokens
from bot.sentiment.scorer import SentimentScorer, default_scorer

AspectConfig = Mapping[str, Sequence[str]]

_UMLAUT_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STEMS = {"de": lang_de.stems, "fr": lang_fr.stems, "nl": lang_nl.stems}
_COMPOUNDING = frozenset({"de", "nl"})
_MIN_PART = 4  # a keyword shorter than this never matches inside a compound ("bag", "app")
_CACHE_LIMIT = 20_000


class AspectMatcher:
    """Precompiled keyword index; matching costs one dict lookup per word."""

    __slots__ = ("_cache", "_index", "_singles")

    def __init__(self, aspects: AspectConfig) -> None:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        singles: dict[str, set[str]] = {}
        for aspect, keywords in aspects.items():
            if isinstance(keywords, str):  # a lone keyword instead of a list of them
                keywords = [keywords]
            for keyword in [aspect, *keywords]:
                raw_parts = phrase_tokens(str(keyword))
                parts = tuple(singularize(p) for p in raw_parts)
                if parts:
                    index.setdefault(parts[0], []).append((parts[1:], str(aspect)))
                if len(raw_parts) == 1:
                    word = raw_parts[0]
                    for form in {word, word.translate(_UMLAUT_FOLD), parts[0]}:
                        singles.setdefault(form, set()).add(str(aspect))
        for candidates in index.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self._index = index
        self._singles = {word: frozenset(found) for word, found in singles.items()}
        self._cache: dict[tuple[str, str], frozenset[str]] = {}

    def __bool__(self) -> bool:
        return bool(self._index)

    def aspects_in(self, tokens: list[Token], language: str = "en") -> set[str]:
        index = self._index
        found: set[str] = set()
        forms: list[str] | None = None
        foreign = language != "en" and language != "und"
        for i, (kind, low, _raw) in enumerate(tokens):
            if kind != "w":
                continue
            if foreign:
                found.update(self._word_aspects(low, language))
            form = singularize(low) if low[-1] == "s" else low
            candidates = index.get(form)
            if candidates is None:
                continue
            for rest, aspect in candidates:
                if not rest:
                    found.add(aspect)
                    continue
                if forms is None:
                    forms = [
                        singularize(t[1]) if t[0] == "w" and t[1][-1] == "s" else t[1]
                        for t in tokens
                    ]
                end = i + 1 + len(rest)
                if end <= len(forms) and tuple(forms[i + 1 : end]) == rest:
                    found.add(aspect)
        return found

    def _word_aspects(self, word: str, language: str) -> frozenset[str]:
        """Single-word keywords a German/French/Dutch word matches, compounds included."""
        key = (word, language)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        singles = self._singles
        if "'" in word or "’" in word:
            word = word.replace("’", "'").rpartition("'")[2]  # l'emballage -> emballage
        found: set[str] = set()
        forms = [word, word.translate(_UMLAUT_FOLD)]
        stems = _STEMS.get(language)
        if stems is not None:
            forms.extend(stems(word))
        for form in forms:
            hit = singles.get(form)
            if hit:
                found.update(hit)
        if not found and language in _COMPOUNDING and len(word) > _MIN_PART + 2:
            for form in forms[:2]:
                for cut in range(len(form) - _MIN_PART, 2, -1):
                    head, tail = form[:cut], form[cut:]
                    for part in (tail, head):
                        if len(part) >= _MIN_PART:
                            hit = singles.get(part)
                            if hit is None and stems is not None:
                                for stem in stems(part):
                                    hit = singles.get(stem) if len(stem) >= _MIN_PART else None
                                    if hit:
                                        break
                            if hit:
                                found.update(hit)
        result = frozenset(found)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[key] = result
        return result

    def match(
        self, sentences: Sequence[tuple[list[Token], float]], language: str = "en"
    ) -> dict[str, float]:
        """Mean sentence polarity per aspect mentioned in ``sentences``."""
        if not self._index:
            return {}
        totals: dict[str, list[float]] = {}
        for tokens, polarity in sentences:
            for aspect in self.aspects_in(tokens, language):
                acc = totals.setdefault(aspect, [0.0, 0.0])
                acc[0] += polarity
                acc[1] += 1.0
        return {aspect: total / count for aspect, (total, count) in totals.items()}


def match_aspects(
    text: str, aspects: AspectConfig, scorer: SentimentScorer | None = None
) -> dict[str, float]:
    """Aspect -> mean polarity of the sentences of ``text`` that mention it.

    Unscored messages (another language, nothing to read) give ``{}``. For many messages
    build an :class:`~bot.sentiment.analyzer.Analyzer` once instead.
    """
    result, sentences = (scorer or default_scorer()).analyze_sentences(text)
    return AspectMatcher(aspects).match(sentences, result.language)
