"""One pass over a message for the ingest path: sentiment, aspects and topics together.

The message is cleaned, language-checked, split and tokenised once by the scorer; aspects and
topics reuse those tokens, so analysing costs little more than scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.sentiment.aspects import AspectMatcher
from bot.sentiment.scorer import SentimentScore, SentimentScorer
from bot.sentiment.topics import ForeignTopicExtractor, TopicExtractor


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the digest needs from one message.

    ``aspects`` maps each configured aspect the message mentions to the mean polarity of the
    sentences mentioning it; ``topics`` are normalised noun phrases in order of appearance.
    Both are empty for unscored messages (another language, nothing to read).
    """

    score: SentimentScore
    aspects: dict[str, float] = field(default_factory=dict)
    topics: tuple[str, ...] = ()


class Analyzer:
    """Build once per brand configuration, then call :meth:`analyze` per message.

    ``language`` is the club's language: a short message with no clear sign of its own
    language is read in it (see :class:`SentimentScorer`).
    """

    __slots__ = ("_aspects", "_foreign_topics", "_scorer", "_topics")

    def __init__(
        self,
        lexicon: Mapping[str, float] | None = None,
        aspects: Mapping[str, Sequence[str]] | None = None,
        positive_threshold: float = 0.1,
        negative_threshold: float = -0.1,
        max_topics: int = 5,
        language: str = "en",
    ) -> None:
        self._scorer = SentimentScorer(
            lexicon, positive_threshold, negative_threshold, language=language
        )
        self._aspects = AspectMatcher(aspects or {})
        self._topics = TopicExtractor(self._scorer.opinion_words, max_topics=max_topics)
        self._foreign_topics = {
            code: ForeignTopicExtractor(code, self._scorer.pack(code).lookup, max_topics)
            for code in self._scorer.languages
            if code != "en"
        }

    @property
    def scorer(self) -> SentimentScorer:
        return self._scorer

    def analyze(self, text: str) -> Analysis:
        score, sentences = self._scorer.analyze_sentences(text)
        if not sentences:
            return Analysis(score)
        language = score.language
        aspects = self._aspects.match(sentences, language) if self._aspects else {}
        extractor = self._foreign_topics.get(language)
        token_lists = [tokens for tokens, _polarity in sentences]
        if extractor is not None:
            topics = extractor.extract(token_lists)
        else:
            topics = self._topics.extract(token_lists)
        return Analysis(score, aspects, topics)
