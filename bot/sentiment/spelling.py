"""Spellings people type for want of a key: German without umlauts ("schoen", "Strasse"),
French without accents ("decu", "tres", "coeur"). The German and French packs look words up
in both forms, and language identification counts both as evidence.
"""

from __future__ import annotations

from typing import Final, TypeVar

T = TypeVar("T")

_UMLAUT_FOLD: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_ACCENT_FOLD: Final = str.maketrans(
    {**dict.fromkeys("àâä", "a"), **dict.fromkeys("éèêë", "e"), **dict.fromkeys("îï", "i"),
     **dict.fromkeys("ôö", "o"), **dict.fromkeys("ùûü", "u"), "ç": "c", "ÿ": "y",
     "œ": "oe", "æ": "ae"}
)  # fmt: skip
_FOLDS: Final = {"de": _UMLAUT_FOLD, "fr": _ACCENT_FOLD}
FOLDED_LANGUAGES: Final = frozenset(_FOLDS)


def folded(code: str, word: str) -> str:
    """``word`` as typed without umlauts (German) or accents (French); else unchanged."""
    fold = _FOLDS.get(code)
    return word.translate(fold) if fold is not None else word


def add_folded(code: str, table: dict[str, T], known: frozenset[str]) -> None:
    """Add each word's folded spelling to ``table`` where it is free.

    "decu" is "déçu", but "arrive" and "tailles" are words of their own, not "arrivé" and
    "taillés": a folded form the language already spells (``known``), or a French participle
    whose only accent is its "é" ending, is left alone.
    """
    for word, entry in list(table.items()):
        plain = folded(code, word)
        if plain != word and plain not in known and not _participle(code, word, plain):
            table.setdefault(plain, entry)


def _participle(code: str, word: str, plain: str) -> bool:
    """A French past participle whose "é" ending is its only accent ("taillés", "cassée")."""
    if code != "fr":
        return False
    stem = word.rstrip("s").removesuffix("e")
    return stem.endswith("é") and stem[:-1] == plain[: len(stem) - 1]
