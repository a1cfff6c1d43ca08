"""Sentiment, aspects and topics for chat messages, offline and cheap enough for the ingest path.

``score(text)`` gives a :class:`SentimentScore`; :class:`Analyzer` does score, aspects and
topics in one pass for the ingest pipeline.
"""

from bot.sentiment.analyzer import Analysis, Analyzer
from bot.sentiment.aspects import AspectMatcher, match_aspects
from bot.sentiment.language import detect_language
from bot.sentiment.scorer import (
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    UNSCORED,
    SentimentScore,
    SentimentScorer,
    score,
)

__all__ = [
    "NEGATIVE",
    "NEUTRAL",
    "POSITIVE",
    "UNSCORED",
    "Analysis",
    "Analyzer",
    "AspectMatcher",
    "SentimentScore",
    "SentimentScorer",
    "detect_language",
    "match_aspects",
    "score",
]
