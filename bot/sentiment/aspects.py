"""Aspect matching: which configured aspects a message talks about, and how it feels about each.

An aspect is a name with keywords, e.g. ``{"price": ["price", "expensive", "value for money"],
"staff": ["staff", "barista", "cashier"]}``. Keywords match case-insensitively on whole words,
multi-word keywords match as consecutive words, and plurals and possessives are folded
("prices", "barista's"). The aspect's own name counts as a keyword too. Each matched aspect
gets the mean polarity of the sentences that mention it; a sentence that mentions no aspect
does not count towards any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.sentiment.lexicon import singularize
from bot.sentiment.scorer import SentimentScorer, Token, _phrase_tokens, default_scorer

AspectConfig = Mapping[str, Sequence[str]]


class AspectMatcher:
    """Precompiled keyword index; matching costs one dict lookup per word."""

    __slots__ = ("_index",)

    def __init__(self, aspects: AspectConfig) -> None:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for aspect, keywords in aspects.items():
            if isinstance(keywords, str):  # a lone keyword instead of a list of them
                keywords = [keywords]
            for keyword in [aspect, *keywords]:
                parts = tuple(singularize(p) for p in _phrase_tokens(str(keyword)))
                if parts:
                    index.setdefault(parts[0], []).append((parts[1:], str(aspect)))
        for candidates in index.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self._index = index

    def __bool__(self) -> bool:
        return bool(self._index)

    def aspects_in(self, tokens: list[Token]) -> set[str]:
        index = self._index
        found: set[str] = set()
        forms: list[str] | None = None
        for i, (kind, low, _raw) in enumerate(tokens):
            if kind != "w":
                continue
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

    def match(self, sentences: Sequence[tuple[list[Token], float]]) -> dict[str, float]:
        """Mean sentence polarity per aspect mentioned in ``sentences``."""
        if not self._index:
            return {}
        totals: dict[str, list[float]] = {}
        for tokens, polarity in sentences:
            for aspect in self.aspects_in(tokens):
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
    _score, sentences = (scorer or default_scorer()).analyze_sentences(text)
    return AspectMatcher(aspects).match(sentences)
