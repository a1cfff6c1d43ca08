"""Topics: the noun phrases a message talks about ("festive bake", "cinnamon bun").

TextBlob's noun-phrase extractors need NLTK corpora (brown, conll2000) that are not available
offline, and its ``PatternTagger`` works offline but costs ~35 µs per message on its own. We
reuse the tagger's data instead — Pattern's 94k-word part-of-speech lexicon, read once — with
a plain lookup per word and a few chunking rules:

* a phrase is a run of up to three nouns/adjectives (unknown words count as nouns, which is
  what product names like "babka" or "cruffin" are);
* a verb-tagged word joins a phrase right after a determiner or an adjective ("the bake",
  "salted caramel cookie"), since that is almost always a noun use;
* opinion words and vague adjectives at the edges are dropped ("amazing croissant" ->
  "croissant", "new vegan roll" -> "vegan roll"); generic nouns ("today", "time", "lol") never
  form a topic;
* phrases are lowercased and the head (last) word singularised: "cinnamon buns" ->
  "cinnamon bun".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from bot.sentiment.lexicon import pattern_tags, singularize, word_set
from bot.sentiment.scorer import _ELONGATED, Token

MAX_WORDS: Final = 3

_DETERMINERS: Final = frozenset({"DT", "PRP$", "WP$", "POS", "CD"})
_NOUN_TAGS: Final = frozenset({"NN", "NNS", "NNP", "NNPS", "FW"})
_ADJ_TAGS: Final = frozenset({"JJ", "JJR", "JJS"})
_VERB_TAGS: Final = frozenset({"VB", "VBP", "VBN", "VBG"})

_STOP_WORDS: Final = word_set(
    """
    time times today tonight tomorrow yesterday morning mornings afternoon evening night day
    days week weeks weekend weekends month months year years minute minutes min mins hour
    hours ages moment sec second seconds while thing things stuff lot lots bit bits way ways
    kind sort anyone everyone someone anybody everybody somebody nobody everything something
    nothing anything guys guy people folks hi hello hey thanks thank thx ty please pls plz yes
    yeah yep yup no nope ok okay lol lmao omg tbh ngl imo imho btw fyi idk im ive u ur ya
    monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays
    thursdays fridays saturdays sundays january february march april may june july august
    september october november december one ones lowkey highkey fave fav faves difference
    reminder update question questions answer idea plans plan sure fine wow yay ugh meh
    mid mum mom dad husband wife sister brother kids kid friend friends daughter son
    cant dont wont didnt doesnt isnt wasnt arent im ive id youre theyre thats whats notch
    """
)
# Adjectives too vague to be part of a topic name; dropped at a phrase's edges.
_VAGUE: Final = word_set(
    """
    new old first last next other same whole own only usual regular favourite favorite such
    many much more most few several extra big bigger biggest large small smaller little
    entire different certain current latest recent early late real total main whole
    actual proper usual normal second third fourth fifth long short
    """
)


class TopicExtractor:
    """Noun phrases from tokenised sentences; see the module docstring for the rules.

    ``opinion_words`` (word -> (polarity, subjectivity)) marks words to drop at phrase edges;
    the :class:`~bot.sentiment.analyzer.Analyzer` passes its scorer's table.
    """

    __slots__ = ("_max_topics", "_opinion", "_tags")

    def __init__(
        self,
        opinion_words: Mapping[str, tuple[float, float]] | None = None,
        max_topics: int = 5,
    ) -> None:
        self._tags = pattern_tags()
        words = opinion_words if opinion_words is not None else {}
        self._opinion = frozenset(w for w, (p, _s) in words.items() if abs(p) >= 0.1)
        self._max_topics = max_topics

    def extract(self, sentences: Sequence[list[Token]]) -> tuple[str, ...]:
        topics: list[str] = []
        for tokens in sentences:
            self._sentence(tokens, topics)
            if len(topics) >= self._max_topics:
                break
        return tuple(topics[: self._max_topics])

    def _sentence(self, tokens: list[Token], topics: list[str]) -> None:
        tags = self._tags
        run: list[tuple[str, str]] = []  # (lowercase word, tag)
        after_determiner = False
        prev_tag = ""
        for kind, low, raw in tokens:
            tag = ""
            if kind == "w" and low.endswith(("'s", "’s")):
                # A possessive closes a phrase and opens the next: "my daughter's birthday".
                if run:
                    self._emit(run, after_determiner, topics)
                    run = []
                prev_tag = "POS"
                continue
            if kind == "w" and low not in _STOP_WORDS and len(low) > 1 and "'" not in low:
                tag = tags.get(raw) or tags.get(low) or ""
                if not tag:
                    if _ELONGATED.search(low) is not None:
                        tag = "UH"  # "loooove", "yummmm": emphasis, not a product
                    else:
                        tag = "NNP" if raw[0].isupper() and prev_tag else "NN"
                if tag in _NOUN_TAGS or tag in _ADJ_TAGS:
                    pass
                elif tag in _VERB_TAGS and (prev_tag in _DETERMINERS or prev_tag in _ADJ_TAGS):
                    tag = "NN"
                else:
                    tag = ""
            if tag:
                if not run:
                    after_determiner = prev_tag in _DETERMINERS
                run.append((low, tag))
            elif run:
                self._emit(run, after_determiner, topics)
                run = []
            prev_tag = tags.get(low, "") if kind == "w" and not tag else tag
        if run:
            self._emit(run, after_determiner, topics)

    def _emit(self, run: list[tuple[str, str]], after_determiner: bool, topics: list[str]) -> None:
        opinion = self._opinion
        start, end = 0, len(run)
        while start < end and (run[start][0] in opinion or run[start][0] in _VAGUE):
            start += 1
        while end > start and (run[end - 1][0] in opinion or run[end - 1][0] in _VAGUE):
            end -= 1
        if start >= end:
            return
        words = run[max(start, end - MAX_WORDS) : end]
        head, head_tag = words[-1]
        # Pattern tags some food nouns as adjectives ("sourdough", "bake"); right after a
        # determiner ("the sourdough is") an adjective-tagged head is a noun in practice.
        if head_tag not in _NOUN_TAGS and not after_determiner:
            return
        if len(words) == 1 and len(head) < 3:
            return
        if head_tag not in ("NNP", "NNPS"):  # "Leeds" is not a plural
            head = singularize(head)
        phrase = " ".join([w for w, _t in words[:-1]] + [head])
        if phrase not in topics:
            topics.append(phrase)
