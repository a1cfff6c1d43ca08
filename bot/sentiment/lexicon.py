"""Word lists behind the scorer: the Pattern lexicon that TextBlob ships, plus chat vocabulary.

The Pattern English lexicon (``en-sentiment.xml``, ~2,900 mostly adjectives) is what
``TextBlob(text).sentiment`` scores with. We read the very same data once through
``textblob.en.sentiment`` so polarities stay comparable with plain TextBlob, then layer chat
vocabulary on top. The Pattern data was built from product and movie reviews, so a handful of
its entries are wrong for a brand's chat room ("hot" in "hot chocolate", "new" in "new opening
hours", "lol" scored as strongly positive, "obsessed" as negative); ``CHAT_WORDS`` overrides them.

The chat word lists themselves are plain data in chat_vocabulary.py; this module is the one
place the scorer reads vocabulary from, so it passes them on. The work here is loading
Pattern's and VADER's tables (each once per process), merging them, and singular forms.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Final

from bot.sentiment.chat_vocabulary import (
    CHAT_ENGLISH,
    CHAT_WORDS,
    EMOJI,
    EMOTICONS,
    GRAMMAR,
    INTENSIFIERS,
    NEGATION_PHRASES,
    NEGATIONS,
    PHRASES,
    SCOPE_BREAKERS,
    TOO_WORDS,
    YES_NO_OPENERS,
)


def word_set(words: str) -> frozenset[str]:
    """A frozenset from whitespace-separated words (long word lists read better as prose)."""
    return frozenset(words.split())


@functools.cache
def pattern_polarity() -> dict[str, tuple[float, float]]:
    """Pattern's word -> (polarity, subjectivity), averaged over senses, as TextBlob uses it."""
    from textblob.en import sentiment as pattern_sentiment

    if dict.__len__(pattern_sentiment) == 0:
        pattern_sentiment.load()
    table: dict[str, tuple[float, float]] = {}
    for word, by_pos in dict.items(pattern_sentiment):
        psi = by_pos.get(None)
        if psi is not None:
            table[word] = (float(psi[0]), float(psi[1]))
    return table


@functools.cache
def pattern_tags() -> dict[str, str]:
    """Pattern's ~94k-word part-of-speech lexicon (word -> Penn tag), no NLTK corpora needed."""
    from textblob.en import lexicon as pattern_lexicon

    if dict.__len__(pattern_lexicon) == 0:
        pattern_lexicon.load()
    return dict(dict.items(pattern_lexicon))


@functools.cache
def vader_polarity() -> dict[str, tuple[float, float]]:
    """VADER's crowd-rated lexicon (~7,500 words, emoticons and slang; MIT licence).

    Read from the ``vaderSentiment`` package's data file without importing its analyser.
    Valences run -4..4; we scale them to -1..1 (``VADER_SCALE``). Multi-word entries and
    entries without letters (emoticons, which the scorer reads itself) are skipped.
    """
    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "vader_lexicon.txt"
    if not path.is_file():
        return {}
    table: dict[str, tuple[float, float]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.split("\t")
            if len(parts) < 2 or " " in parts[0] or not parts[0].isalpha():
                continue
            try:
                valence = float(parts[1])
            except ValueError:
                continue
            polarity = max(-1.0, min(1.0, valence / VADER_SCALE))
            table[parts[0].lower()] = (round(polarity, 3), 0.8 if polarity else 0.2)
    return table


#: VADER valence that counts as polarity 1.0: its own top of scale. (3, 4, 5 and 6 were
#: compared on Hutto & Gilbert's review and editorial snippets, never on the tweets we report:
#: 4 and above correlate best there, and 4 keeps every club-set label.)
VADER_SCALE: Final = 4.0


@functools.cache
def word_table() -> dict[str, tuple[float, float]]:
    """The merged single-word table: Pattern first, VADER where Pattern has no entry, chat
    vocabulary on top."""
    table = dict(pattern_polarity())
    for word, entry in vader_polarity().items():
        table.setdefault(word, entry)
    table.update(CHAT_WORDS)
    return table


_IRREGULAR_PLURALS: Final[dict[str, str]] = {
    "men": "man", "women": "woman", "children": "child", "people": "people", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "loaves": "loaf", "halves": "half",
    "knives": "knife", "leaves": "leaf", "shelves": "shelf", "wolves": "wolf", "lives": "life",
    "wives": "wife", "calves": "calf", "scarves": "scarf", "thieves": "thief",
    "tomatoes": "tomato", "potatoes": "potato", "heroes": "hero", "echoes": "echo",
    "mangoes": "mango", "news": "news", "series": "series", "species": "species",
    "chips": "chip", "crisps": "crisp", "sweets": "sweet", "goods": "goods", "clothes": "clothes",
    "fries": "fries", "dregs": "dregs",
}  # fmt: skip
# Singular forms ending in -ie, so "cookies" is "cookie", not "cooky".
_IE_NOUNS: Final[frozenset[str]] = frozenset(
    {
        "cookie", "brownie", "pie", "smoothie", "goodie", "tie", "movie", "rookie", "selfie",
        "foodie", "hoodie", "calorie", "veggie", "auntie", "sweetie", "cutie", "newbie",
        "freebie", "birdie", "zombie", "lassie", "bestie", "roadie", "techie", "whoopie",
    }
)  # fmt: skip
_SINGULAR_CACHE: dict[str, str] = {}


def singularize(word: str) -> str:
    """Cheap English singular of a lowercase word, good enough for product and topic names.

    TextBlob's ``singularize`` costs ~25 µs and turns "brownies" into "browny" and "focaccia"
    into "focaccium"; this one is a cached handful of suffix rules with exception lists.
    """
    cached = _SINGULAR_CACHE.get(word)
    if cached is not None:
        return cached
    result = _singularize(word)
    if len(_SINGULAR_CACHE) < 50_000:  # bounded: chat vocabulary is open-ended
        _SINGULAR_CACHE[word] = result
    return result


def _singularize(word: str) -> str:
    if word.endswith("'s") or word.endswith("’s"):
        word = word[:-2]
    irregular = _IRREGULAR_PLURALS.get(word)
    if irregular is not None:
        return irregular
    if len(word) < 4 or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is", "ous", "ics")):
        return word
    if word.endswith("ies"):
        stem = word[:-1]
        return stem if stem in _IE_NOUNS or len(word) <= 4 else word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zzes")):
        return word[:-2]
    return word[:-1]


def scored_words(spec: str, subjectivity: float = 0.8) -> dict[str, tuple[float, float]]:
    """``"lecker=0.8 fade=-0.5"`` -> {word: (polarity, subjectivity)}; long lists read as prose.

    A neutral entry (polarity 0) gets a low subjectivity, like Pattern's neutral words; "#"
    starts a comment that runs to the end of the line.
    """
    table: dict[str, tuple[float, float]] = {}
    text = " ".join(line.partition("#")[0] for line in spec.splitlines())
    for item in text.split():
        word, _sep, value = item.rpartition("=")
        polarity = float(value)
        table[word] = (polarity, subjectivity if polarity else 0.2)
    return table


__all__ = [
    "CHAT_ENGLISH",
    "CHAT_WORDS",
    "EMOJI",
    "EMOTICONS",
    "GRAMMAR",
    "INTENSIFIERS",
    "NEGATIONS",
    "NEGATION_PHRASES",
    "PHRASES",
    "SCOPE_BREAKERS",
    "TOO_WORDS",
    "VADER_SCALE",
    "YES_NO_OPENERS",
    "pattern_polarity",
    "pattern_tags",
    "scored_words",
    "singularize",
    "vader_polarity",
    "word_set",
    "word_table",
]
