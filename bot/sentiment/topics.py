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
  "cinnamon bun" (German topics, nouns only, come out capitalised: "Zimtschnecke").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from bot.sentiment import lang_de, lang_fr, lang_nl, pattern_data
from bot.sentiment.chat_text import Token
from bot.sentiment.intensity import ELONGATED
from bot.sentiment.lexicon import pattern_tags, singularize, word_set, word_table

MAX_WORDS: Final = 3
_UNKNOWN: Final = "?"  # a word Pattern's lexicon lacks: a noun, proper if capitalised mid-phrase
_WORD_CACHE_LIMIT: Final = 20_000

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

    __slots__ = ("_max_topics", "_opinion", "_tags", "_words")

    def __init__(
        self,
        opinion_words: Mapping[str, tuple[float, float]] | None = None,
        max_topics: int = 5,
    ) -> None:
        self._tags = pattern_tags()
        words = opinion_words if opinion_words is not None else {}
        self._opinion = (
            _builtin_opinion_words()
            if words is word_table()
            else frozenset(w for w, (p, _s) in words.items() if abs(p) >= 0.1)
        )
        self._max_topics = max_topics
        self._words: dict[str, tuple[str | None, str]] = {}  # see _word_facts

    def extract(self, sentences: Sequence[list[Token]]) -> tuple[str, ...]:
        topics: list[str] = []
        for tokens in sentences:
            self._sentence(tokens, topics)
            if len(topics) >= self._max_topics:
                break
        return tuple(topics[: self._max_topics])

    def _sentence(self, tokens: list[Token], topics: list[str]) -> None:
        words = self._words
        run: list[tuple[str, str]] = []  # (lowercase word, tag)
        after_determiner = False
        prev_tag = ""
        for kind, low, raw in tokens:
            tag = ""
            if kind == "w":
                facts = words.get(raw)
                if facts is None:
                    facts = self._word_facts(low, raw)
                base, own_tag = facts
                if base is None:
                    # A possessive closes a phrase and opens the next: "my daughter's birthday".
                    if run:
                        self._emit(run, after_determiner, topics)
                        run = []
                    prev_tag = "POS"
                    continue
                if base == _UNKNOWN:
                    tag = "NNP" if raw[0].isupper() and prev_tag else "NN"
                else:
                    tag = base
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
            prev_tag = own_tag if kind == "w" and not tag else tag
        if run:
            self._emit(run, after_determiner, topics)

    def _word_facts(self, low: str, raw: str) -> tuple[str | None, str]:
        """What a word is out of context, cached per spelling (chat repeats its words).

        (base, own tag): base is None for a possessive, "" for a word that is never part of
        a topic (stop word, contraction), :data:`_UNKNOWN` for a word the lexicon lacks,
        otherwise its tag ("UH" for an elongation); own tag is Pattern's tag of the lowercase
        word, what the next word sees as the tag before it.
        """
        tags = self._tags
        base: str | None
        if low.endswith(("'s", "’s")):
            base = None
        elif low not in _STOP_WORDS and len(low) > 1 and "'" not in low:
            base = tags.get(raw) or tags.get(low) or ""
            if not base:
                # "loooove", "yummmm": emphasis, not a product
                base = "UH" if ELONGATED.search(low) is not None else _UNKNOWN
        else:
            base = ""
        facts = (base, tags.get(low, ""))
        if len(self._words) < _WORD_CACHE_LIMIT:
            self._words[raw] = facts
        return facts

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


# Generic nouns that never make a topic on their own, per language.
_FOREIGN_GENERIC: Final[dict[str, frozenset[str]]] = {
    "de": word_set(
        """
        tag tage heute morgen woche wochen wochenende leute mal zeit uhr jahr jahre ding dinge
        sache sachen euch dank danke bitte problem frage fragen idee minuten minute stunde
        stunden monat monate abend nacht mittag früh ende anfang jemand niemand alle alles
        nix nichts etwas was mann frau kind kinder freund freundin mama papa oma opa euro
        grüße gruß hallo moin servus ahoi leider mega echt voll hammer
        """
    ),
    "fr": word_set(
        """
        jour jours semaine semaines fois truc trucs gens matin soir an ans année temps chose
        choses merci problème question idée minute minutes heure heures mois nuit midi fin
        début quelqu'un personne tout tous rien euros bonjour salut coucou mec meuf copain
        copine maman papa fille fils ami amie amis
        """
    ),
    "nl": word_set(
        """
        dag dagen week weken weekend keer mensen tijd uur uren jaar jaren ding dingen iets
        niets niks iemand niemand alles vraag vragen idee minuut minuten maand maanden avond
        nacht middag begin eind euro hoi hallo doei dank bedankt jongens meiden vriend
        vriendin mama papa oma opa dochter zoon
        """
    ),
}
_FRENCH_LINKS: Final = word_set("au aux à de d' du des la")
_FOREIGN_FUNCTION: Final[dict[str, frozenset[str]]] = {
    "de": lang_de.FUNCTION_WORDS
    | lang_de.NEGATIONS
    | frozenset(lang_de.INTENSIFIERS)
    | lang_de.YES_NO_OPENERS
    | lang_de.WHY_WORDS
    | lang_de.SCOPE_BREAKERS,
    "fr": lang_fr.FUNCTION_WORDS
    | lang_fr.NEGATIONS
    | frozenset(lang_fr.INTENSIFIERS)
    | lang_fr.YES_NO_OPENERS
    | lang_fr.WHY_WORDS
    | lang_fr.SCOPE_BREAKERS,
    "nl": lang_nl.FUNCTION_WORDS
    | lang_nl.NEGATIONS
    | frozenset(lang_nl.INTENSIFIERS)
    | lang_nl.YES_NO_OPENERS
    | lang_nl.WHY_WORDS
    | lang_nl.SCOPE_BREAKERS,
}
_MIN_FOREIGN_NOUN: Final = 4
_FOREIGN_CACHE_LIMIT: Final = 20_000


@functools.cache
def _builtin_opinion_words() -> frozenset[str]:
    """Opinion words of the built-in English table (shared when a club has no lexicon)."""
    return frozenset(w for w, (p, _s) in word_table().items() if abs(p) >= 0.1)


@functools.cache
def _nouns(language: str) -> frozenset[str]:
    """Every noun in Pattern's part-of-speech lexicon for ``language``, built once per process
    (walking ~150k tagged words costs tens of milliseconds, and every club has an analyzer)."""
    return frozenset(
        w.lower()
        for w, tag in pattern_data.part_of_speech(language).items()
        if pattern_data.is_noun_tag(language, tag)
    )


class ForeignTopicExtractor:
    """Noun topics for German, French and Dutch messages.

    Pattern's part-of-speech lexicons for those languages decide what a noun is; a word they
    do not know counts as a noun when it is long enough and not an opinion or function word,
    which is what product names and compounds ("Pistazienschnecke", "kaneelbroodjes") are.
    German and Dutch compounds are kept whole; a plural becomes its singular when the lexicon
    knows that singular ("Zimtschnecken" -> "zimtschnecke"). French joins "pain au
    chocolat"-style phrases. Consecutive nouns form one topic of at most two words
    ("Pistazien-Croissant" -> "pistazien croissant").
    """

    __slots__ = ("_cache", "_language", "_max_topics", "_nouns", "_opinion", "_skip", "_tags")

    def __init__(
        self,
        language: str,
        opinion: Callable[[str], tuple[float, float] | None],
        max_topics: int = 5,
    ) -> None:
        self._language = language
        self._tags = pattern_data.part_of_speech(language)
        self._nouns = _nouns(language)
        self._skip = _FOREIGN_GENERIC.get(language, frozenset()) | _FOREIGN_FUNCTION.get(
            language, frozenset()
        )
        self._opinion = opinion
        self._max_topics = max_topics
        # raw word -> its topic form, or "" when it is not a noun; chat repeats its words.
        self._cache: dict[str, str] = {}

    def _noun(self, low: str, raw: str) -> str:
        """The topic form of a noun ("Zimtschnecken" -> "zimtschnecke"), "" for a non-noun."""
        cache = self._cache
        found = cache.get(raw)
        if found is None:
            found = self._normalise(low) if self._is_noun(low, raw) else ""
            if len(cache) < _FOREIGN_CACHE_LIMIT:
                cache[raw] = found
        return found

    def _is_noun(self, low: str, raw: str) -> bool:
        if len(low) < 3 or low in self._skip or ELONGATED.search(low) is not None:
            return False
        entry = self._opinion(low)
        if entry is not None and abs(entry[0]) >= 0.1:
            return False
        if low in self._nouns:
            return True
        tag = self._tags.get(raw) or self._tags.get(low) or self._tags.get(raw.capitalize())
        if tag is not None:
            return pattern_data.is_noun_tag(self._language, tag)
        return len(low) >= _MIN_FOREIGN_NOUN

    def _normalise(self, low: str) -> str:
        if self._language == "fr" or low in self._nouns:
            return low
        stems = lang_de.stems if self._language == "de" else lang_nl.stems
        for stem in stems(low):
            if stem in self._nouns:
                return stem
        return low

    def extract(self, sentences: Sequence[list[Token]]) -> tuple[str, ...]:
        topics: list[str] = []
        for tokens in sentences:
            run: list[str] = []
            i = 0
            n = len(tokens)
            while i < n:
                kind, low, raw = tokens[i]
                i += 1
                if kind == "w" and "'" in low and self._language == "fr":
                    low = raw = low.rpartition("'")[2]
                noun = self._noun(low, raw) if kind == "w" else ""
                if noun:
                    run.append(noun)
                    # French "pain au chocolat": noun, link word, noun.
                    if (
                        self._language == "fr"
                        and i + 1 < n
                        and tokens[i][1] in _FRENCH_LINKS
                        and tokens[i + 1][0] == "w"
                        and self._noun(tokens[i + 1][1], tokens[i + 1][2])
                    ):
                        run.append(tokens[i][1])
                        run.append(tokens[i + 1][1])
                        i += 2
                    continue
                if run:
                    self._emit(run, topics)
                    run = []
            if run:
                self._emit(run, topics)
            if len(topics) >= self._max_topics:
                break
        if self._language == "de":
            # Every word of a German topic is a noun, and German writes nouns capitalised:
            # "Zimtschnecke", not "zimtschnecke", in the digest a German brand team reads.
            return tuple(_capitalised(topic) for topic in topics[: self._max_topics])
        return tuple(topics[: self._max_topics])

    @staticmethod
    def _emit(run: list[str], topics: list[str]) -> None:
        if not run:
            return
        # A French "x au y" run is one three-word name; otherwise keep the last two nouns.
        linked = len(run) >= 3 and run[-2] in _FRENCH_LINKS
        phrase = " ".join(run[-MAX_WORDS:] if linked else run[-2:])
        if phrase not in topics:
            topics.append(phrase)


def _capitalised(topic: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in topic.split(" "))
