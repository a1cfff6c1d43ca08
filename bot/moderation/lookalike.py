"""Display names that imitate a moderator's: confusable letters, invisible characters, mixed
scripts.

Telegram lets anyone pick any display name, so "Olivia" written with a Cyrillic "о", or with
a zero-width space in the middle, looks exactly like the owner to a member reading the chat.
We reduce every name to a *skeleton* (in the spirit of Unicode TS #39): remove what cannot be
seen, fold compatibility forms and case, map the common Latin/Cyrillic/Greek/digit look-alikes
to one letter, drop everything that is not a letter or a digit. Two names with the same
skeleton look the same to a person.

The table below is deliberately compact: the confusables that actually get used to imitate
Latin names (Unicode's full confusables.txt has thousands of entries, mostly for scripts a
Latin-named moderator cannot be imitated with).
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass

from bot.core.i18n import N_, SOURCE_LANGUAGE, Html, Translator, html_join, translator

# Characters that render as nothing (or as plain space) but make two names differ:
# zero-width space/joiners, word joiner, BOM, bidi embeddings/overrides/isolates and marks,
# soft hyphen, Hangul fillers and the braille blank (popular "empty name" tricks).
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\u2800\u3164\ufeff\uffa0"
)

# After NFKC and casefold: look-alike -> the Latin letter it imitates. "i", "l", "1" and "|"
# all map to "l" because a capital I and a small l are the same stroke in most fonts.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "ь": "b",
    "с": "c",
    "ԁ": "d",
    "е": "e",
    "ё": "e",
    "є": "e",
    "һ": "h",
    "н": "h",
    "і": "l",
    "ї": "l",
    "ӏ": "l",
    "ј": "j",
    "к": "k",
    "м": "m",
    "о": "o",
    "р": "p",
    "ԛ": "q",
    "г": "r",
    "ѕ": "s",
    "т": "t",
    "ц": "u",
    "у": "y",
    "ѵ": "v",
    "ԝ": "w",
    "х": "x",
    "з": "3",
    "ԍ": "g",
    # Greek
    "α": "a",
    "β": "b",
    "ϲ": "c",
    "ε": "e",
    "η": "n",
    "ι": "l",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ω": "w",
    "ζ": "z",
    # Latin variants and digits / symbols used as letters
    "ı": "l",
    "i": "l",
    "1": "l",
    "|": "l",
    "!": "l",
    "ɩ": "l",
    "0": "o",
    "@": "a",
    "$": "s",
    "5": "s",
    "ɡ": "g",
    "ʏ": "y",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "ħ": "h",
}
# Letter pairs that render like one letter at chat font sizes.
_DIGRAPHS = (("rn", "m"), ("vv", "w"))

# Shorter skeletons collide by chance ("Al" and "Ai"); impersonation needs a real name.
MIN_SKELETON = 3
# A moderator's skeleton inside a longer name counts from this length (Olivia: 6).
MIN_CONTAINED = 4


def strip_invisible(name: str) -> str:
    return "".join(ch for ch in name if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")


def has_invisible(name: str) -> bool:
    return any(ch in _INVISIBLE or unicodedata.category(ch) == "Cf" for ch in name)


def skeleton(name: str) -> str:
    """The form two names share when they look alike to a person."""
    # Most names are ASCII: nothing invisible, NFKC and NFD change nothing, casefold is
    # lower, so one table lookup per character gives what the general steps give.
    kept = name.translate(_ASCII_SKELETON) if name.isascii() else _unicode_skeleton(name)
    for pair, single in _DIGRAPHS:
        kept = kept.replace(pair, single)
    return kept


def _unicode_skeleton(name: str) -> str:
    text = unicodedata.normalize("NFKC", strip_invisible(name))
    # Accents and other combining marks are easy to miss on a phone screen: drop them.
    text = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
    text = text.casefold()
    mapped = "".join(_CONFUSABLES.get(ch, ch) for ch in text)
    return "".join(ch for ch in mapped if ch.isalnum())


# What _unicode_skeleton makes of each ASCII character (lower case, confusables, letters and
# digits kept): the same steps, done once for the 128 characters.
_ASCII_SKELETON = {
    code: "".join(
        ch for ch in _CONFUSABLES.get(chr(code).lower(), chr(code).lower()) if ch.isalnum()
    )
    for code in range(128)
}


def scripts(name: str) -> set[str]:
    """The scripts of the letters in a name (LATIN, CYRILLIC, GREEK, ...)."""
    found: set[str] = set()
    for ch in unicodedata.normalize("NFKC", name):
        if ch.isalpha():
            found.add(unicodedata.name(ch, "UNKNOWN").split(" ")[0])
    return found


def is_mixed_script(name: str) -> bool:
    return len(scripts(name)) > 1


def name_key(name: str) -> str:
    """A short stable key for 'this exact name' (the name itself is not stored)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


# Script names as Unicode spells them (the first word of a character's name), in words a
# moderator reads; a script not listed here is shown as Unicode names it, in lower case.
SCRIPT_NAMES = {
    "LATIN": N_("Latin"),
    "CYRILLIC": N_("Cyrillic"),
    "GREEK": N_("Greek"),
    "ARMENIAN": N_("Armenian"),
    "CHEROKEE": N_("Cherokee"),
    "ARABIC": N_("Arabic"),
    "HEBREW": N_("Hebrew"),
    "FULLWIDTH": N_("full-width"),
    "MATHEMATICAL": N_("mathematical"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a name looks like a moderator's: an English message id (translated where it is
    shown) and, for the script reasons, the scripts involved as Unicode names them."""

    message: str
    scripts: tuple[str, ...] = ()

    def text(self, tr: Translator) -> Html:
        names = html_join(
            ", ", (tr._(SCRIPT_NAMES[s]) if s in SCRIPT_NAMES else s.lower() for s in self.scripts)
        )
        return tr._(self.message, scripts=names)

    def __str__(self) -> str:
        return str(self.text(translator(SOURCE_LANGUAGE)))


@dataclass(frozen=True, slots=True)
class Resemblance:
    moderator_id: int
    moderator_name: str
    reasons: tuple[Reason, ...]


def resemblance(name: str, moderator_name: str) -> tuple[Reason, ...] | None:
    """Why ``name`` looks like ``moderator_name``, or None if it does not."""
    ours = skeleton(name)
    theirs = skeleton(moderator_name)
    if len(ours) < MIN_SKELETON:
        return None
    if ours != theirs:
        # "Olivia (Admin)", "Olivia Support", "Olivia B": the moderator's name with a few
        # additions reads as the moderator. Short names (Al, Liv) would match by chance.
        if len(theirs) >= MIN_CONTAINED and theirs in ours:
            return (Reason(N_("contains the moderator's name")),)
        return None
    reasons: list[Reason] = []
    if has_invisible(name):
        reasons.append(Reason(N_("invisible characters")))
    if is_mixed_script(name):
        reasons.append(Reason(N_("mixed scripts ({scripts})"), tuple(sorted(scripts(name)))))
    foreign = tuple(sorted(scripts(name) - scripts(moderator_name)))
    if foreign and not is_mixed_script(name):
        reasons.append(Reason(N_("letters from another script ({scripts})"), foreign))
    visible = strip_invisible(name)
    if unicodedata.normalize("NFKC", visible) != visible:
        reasons.append(Reason(N_("styled or full-width letters")))
    if visible == moderator_name:
        reasons.append(Reason(N_("the same name")))
    elif not reasons:
        reasons.append(Reason(N_("look-alike letters")))
    return tuple(reasons)


# The moderators' names recur for every member checked (thousands on a launch day) while
# they change rarely: their skeletons are computed once.
_moderator_skeleton = functools.lru_cache(maxsize=256)(skeleton)


def find_resemblance(user_id: int, name: str, moderators: dict[int, str]) -> Resemblance | None:
    """The first moderator (by id) whose name ``name`` imitates; a moderator never matches
    their own name."""
    ours = skeleton(name)
    if len(ours) < MIN_SKELETON:
        return None  # what resemblance() says for every moderator
    for moderator_id, moderator_name in sorted(moderators.items()):
        if moderator_id == user_id:
            continue
        theirs = _moderator_skeleton(moderator_name)
        if ours != theirs and not (len(theirs) >= MIN_CONTAINED and theirs in ours):
            continue  # resemblance() would say None: the same two tests, skeletons reused
        reasons = resemblance(name, moderator_name)
        if reasons is not None:
            return Resemblance(moderator_id, moderator_name, reasons)
    return None
