"""Chat vocabulary in English: slang, intensifiers, negations, phrases, emoji and emoticons.

Plain data, layered by lexicon.py over the Pattern lexicon TextBlob ships (``CHAT_WORDS``
also overrides Pattern entries that are wrong for a brand's chat room). Polarities run
-1..1; pairs are (polarity, subjectivity).
"""

from __future__ import annotations

from typing import Final

from bot.sentiment.constructions import Constructions

# (polarity, subjectivity). Slang, chat misspellings and overrides of Pattern entries.
CHAT_WORDS: Final[dict[str, tuple[float, float]]] = {
    # slang
    "meh": (-0.35, 0.8),
    "mid": (-0.4, 0.8),
    "slaps": (0.8, 0.9),
    "slapped": (0.8, 0.9),
    "fire": (0.7, 0.9),
    "bussin": (0.8, 0.9),
    "banger": (0.7, 0.9),
    "goated": (0.8, 0.9),
    "lit": (0.5, 0.8),
    "dope": (0.6, 0.8),
    "legit": (0.4, 0.6),
    "trash": (-0.7, 0.9),
    "garbage": (-0.7, 0.9),
    "yum": (0.7, 0.9),
    "yummy": (0.8, 0.9),
    "yummo": (0.8, 0.9),
    "tasty": (0.7, 0.8),
    "delish": (0.8, 0.9),
    "scrumptious": (0.9, 0.9),
    "moreish": (0.7, 0.8),
    "yay": (0.7, 0.9),
    "woohoo": (0.7, 0.9),
    "fab": (0.7, 0.9),
    "faves": (0.6, 0.8),
    "fave": (0.6, 0.8),
    "fav": (0.6, 0.8),
    "kudos": (0.7, 0.8),
    "unreal": (0.6, 0.9),
    "obsessed": (0.7, 0.9),
    "addicted": (0.5, 0.8),
    "nailed": (0.7, 0.8),
    "ugh": (-0.5, 0.9),
    "urgh": (-0.5, 0.9),
    "yuck": (-0.7, 0.9),
    "yuk": (-0.7, 0.9),
    "ew": (-0.6, 0.9),
    "eww": (-0.6, 0.9),
    "gross": (-0.7, 0.9),
    "rip-off": (-0.7, 0.9),
    "ripoff": (-0.7, 0.9),
    "letdown": (-0.6, 0.8),
    "meh-ish": (-0.3, 0.8),
    # common chat misspellings of strong words
    "delicous": (1.0, 1.0),
    "delicios": (1.0, 1.0),
    "delicioso": (1.0, 1.0),
    "amazin": (0.6, 0.9),
    "awsome": (1.0, 1.0),
    "gr8": (0.8, 0.75),
    "luv": (0.7, 0.8),
    "luvd": (0.7, 0.8),
    "lovee": (0.7, 0.8),
    "terible": (-1.0, 1.0),
    "horible": (-1.0, 1.0),
    "disapointed": (-0.75, 0.75),
    "dissapointed": (-0.75, 0.75),
    "disapointing": (-0.6, 0.7),
    # verbs and participles Pattern leaves out (it is an adjective lexicon)
    "love": (0.7, 0.8),
    "loved": (0.7, 0.8),
    "loves": (0.7, 0.8),
    "loving": (0.7, 0.8),
    "adore": (0.8, 0.9),
    "adored": (0.8, 0.9),
    "enjoyed": (0.6, 0.7),
    "enjoying": (0.6, 0.7),
    "recommend": (0.5, 0.6),
    "recommended": (0.5, 0.6),
    "liked": (0.4, 0.6),
    "hate": (-0.8, 0.9),
    "hated": (-0.8, 0.9),
    "hates": (-0.8, 0.9),
    "disappoints": (-0.6, 0.7),
    "ruined": (-0.6, 0.8),
    "crashing": (-0.4, 0.5),
    "crashes": (-0.4, 0.5),
    "cried": (-0.4, 0.7),
    "discontinued": (-0.3, 0.5),
    "downhill": (-0.6, 0.8),
    "impressed": (0.6, 0.8),
    "thank": (0.3, 0.3),
    "thanks": (0.3, 0.3),
    "thx": (0.3, 0.3),
    "ty": (0.3, 0.3),
    # food and service descriptors Pattern lacks or scores for other domains
    "soggy": (-0.6, 0.8),
    "greasy": (-0.5, 0.8),
    "burnt": (-0.5, 0.7),
    "burned": (-0.5, 0.7),
    "stale": (-0.6, 0.7),
    "lukewarm": (-0.4, 0.7),
    "watery": (-0.4, 0.7),
    "bland": (-0.5, 0.8),
    "rubbery": (-0.5, 0.8),
    "mouldy": (-0.8, 0.8),
    "moldy": (-0.8, 0.8),
    "mould": (-0.7, 0.7),
    "mold": (-0.7, 0.7),
    "squashed": (-0.4, 0.6),
    "overpriced": (-0.6, 0.8),
    "underwhelming": (-0.5, 0.8),
    "unprofessional": (-0.6, 0.8),
    "dry": (-0.4, 0.6),
    "rude": (-0.6, 0.8),
    "cold": (-0.4, 0.7),
    "sour": (-0.3, 0.6),
    "cardboard": (-0.4, 0.6),
    "dirty": (-0.6, 0.8),
    "filthy": (-0.8, 1.0),
    # Pattern entries that mislead on logistics chat: neutralised
    "new": (0.0, 0.3),
    "hot": (0.0, 0.3),
    "first": (0.0, 0.1),
    "other": (0.0, 0.2),
    "little": (0.0, 0.3),
    "small": (0.0, 0.3),
    "smaller": (0.0, 0.3),
    "large": (0.0, 0.3),
    "high": (0.0, 0.2),
    "dark": (0.0, 0.2),
    "plain": (0.0, 0.2),
    "much": (0.0, 0.2),
    "more": (0.0, 0.2),
    "most": (0.0, 0.2),
    "right": (0.0, 0.2),
    "sure": (0.0, 0.4),
    "long": (0.0, 0.3),
    "real": (0.0, 0.3),
    "available": (0.0, 0.2),
    "around": (0.0, 0.1),
    "near": (0.0, 0.1),
    "far": (0.0, 0.1),
    "behind": (0.0, 0.1),
    "down": (0.0, 0.1),
    "many": (0.0, 0.2),
    "closed": (0.0, 0.1),
    "usually": (0.0, 0.2),
    "usual": (0.0, 0.2),
    "approximately": (0.0, 0.1),
    "wants": (0.0, 0.1),
    "live": (0.0, 0.1),
    "offers": (0.0, 0.1),
    "spent": (0.0, 0.1),
    "fit": (0.0, 0.1),
    "mean": (0.0, 0.1),
    "ok": (0.05, 0.3),
    "okay": (0.05, 0.3),
    "fine": (0.2, 0.5),
    "lol": (0.05, 0.3),
    "lmao": (0.1, 0.4),
    "honestly": (0.0, 0.3),
    "seriously": (0.0, 0.3),
    "actually": (0.0, 0.1),
    "omg": (0.0, 0.3),
    "wow": (0.3, 0.8),
    "pretty": (0.0, 0.3),
    # VADER entries that read chat logistics as praise ("VIP points", "save me a seat",
    # "tastes like cardboard"): neutralised or damped
    "vip": (0.0, 0.1),
    "fyi": (0.0, 0.1),
    "festive": (0.0, 0.3),
    "save": (0.0, 0.2),
    "like": (0.1, 0.3),
}

# Multipliers applied to the next sentiment-bearing word ("so good", "kinda dry").
INTENSIFIERS: Final[dict[str, float]] = {
    "so": 1.3,
    "soo": 1.4,
    "really": 1.3,
    "rly": 1.3,
    "very": 1.3,
    "super": 1.5,
    "extremely": 1.6,
    "incredibly": 1.6,
    "insanely": 1.6,
    "ridiculously": 1.5,
    "absolutely": 1.5,
    "totally": 1.4,
    "truly": 1.3,
    "seriously": 1.3,
    "highkey": 1.3,
    "mega": 1.4,
    "hella": 1.4,
    "crazy": 1.3,
    "damn": 1.3,
    "proper": 1.2,
    "too": 1.2,
    "way": 1.2,
    "quite": 1.1,
    "pretty": 1.1,
    "kinda": 0.7,
    "sorta": 0.7,
    "somewhat": 0.7,
    "slightly": 0.6,
    "bit": 0.7,
    "abit": 0.7,
    "barely": 0.5,
    "lowkey": 1.0,
}

# "too sweet" / "too loud" is a complaint even when the adjective alone is positive.
TOO_WORDS: Final[frozenset[str]] = frozenset({"too", "overly", "tooo"})

NEGATIONS: Final[frozenset[str]] = frozenset(
    {
        "not", "no", "never", "nothing", "nobody", "neither", "nor", "without", "hardly",
        "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "can't",
        "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "ain't", "haven't", "hasn't",
        "hadn't", "isnt", "wasnt", "arent", "werent", "dont", "doesnt", "didnt", "cant",
        "couldnt", "wont", "wouldnt", "shouldnt", "aint", "havent", "hasnt", "nope", "nah",
    }
)  # fmt: skip

# First words of a yes/no question: "is the new croissant good?" asks, it does not judge.
YES_NO_OPENERS: Final[frozenset[str]] = frozenset(
    {
        "is", "are", "was", "were", "do", "does", "did", "will", "would", "can", "could",
        "should", "shall", "has", "have", "had", "am", "isn't", "aren't", "don't", "doesn't",
        "didn't", "won't", "can't", "anyone", "anybody",
    }
)  # fmt: skip

# Words that end a negation's scope early ("not cheap but tasty").
SCOPE_BREAKERS: Final[frozenset[str]] = frozenset({"but", "though", "tho", "however", "yet"})

# Multi-word expressions whose meaning is not the sum of their words. Checked before single
# words; a brand lexicon's phrases take precedence over these.
PHRASES: Final[dict[str, float]] = {
    "never again": -0.7,
    "can't wait": 0.6,
    "cant wait": 0.6,
    "cannot wait": 0.6,
    "no complaints": 0.5,
    "worth it": 0.6,
    "worth every penny": 0.8,
    "not worth": -0.5,
    "waste of money": -0.8,
    "waste of time": -0.7,
    "rip off": -0.7,
    "hit the spot": 0.7,
    "hits the spot": 0.7,
    "top notch": 0.8,
    "made my day": 0.8,
    "makes my day": 0.8,
    "never disappoints": 0.7,
    "never gets old": 0.6,
    "gone downhill": -0.6,
    "went downhill": -0.6,
    "let down": -0.5,
    "let me down": -0.5,
    "not impressed": -0.5,
    "to die for": 0.9,
    "next level": 0.7,
    "hits different": 0.7,
    "no thanks": -0.2,
    "not for me": -0.4,
    "not my thing": -0.4,
    "no problem": 0.1,
    "no worries": 0.1,
    "sold out": -0.3,
    "out of stock": -0.3,
    "well done": 0.6,
    "good job": 0.6,
    "great job": 0.8,
    "a joke": -0.6,
    "what it used to be": 0.5,  # negated in "isn't what it used to be"
    "what they used to be": 0.5,
    "luke warm": -0.4,
    "never works": -0.5,
    "doesn't work": -0.5,
    "doesnt work": -0.5,
    "don't work": -0.5,
    "didn't work": -0.5,
    "didnt work": -0.5,
    "not working": -0.5,
    "isn't working": -0.5,
    "stopped working": -0.5,
    "never replied": -0.5,
    "never answered": -0.5,
    "no reply": -0.4,
    "no response": -0.4,
    # "<x> free" describes an ingredient, it is not praise
    "gluten free": 0.0,
    "dairy free": 0.0,
    "sugar free": 0.0,
    "nut free": 0.0,
    "egg free": 0.0,
    "lactose free": 0.0,
    "meat free": 0.0,
    "alcohol free": 0.0,
}

# Phrases that negate the next opinion word like "not" does ("used to be good" = not any more).
NEGATION_PHRASES: Final[frozenset[tuple[str, ...]]] = frozenset(
    {
        ("used", "to", "be"), ("no", "longer"), ("not", "as"), ("not", "so"),
        # "anything but fresh" denies what follows, whatever the word.
        ("anything", "but"), ("far", "from"), ("nowhere", "near"),
    }
)  # fmt: skip


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# "could be better" complains, "couldn't be better" praises; "never had a better" praises
# (constructions.py). Comparatives beyond these are Pattern's JJR words (packs.py).
GRAMMAR: Final = Constructions(
    modals=_words(
        "could couldn't couldnt could've can can't cannot cant should should've shouldn't "
        "would wouldn't would've"
    ),
    bridge=_words(
        "be been have ve get got gotten it this that any much way a lot bit little even still "
        "so definitely certainly really possibly tbh honestly imo though made done"
    ),
    comparatives={"better": 0.5, "worse": -0.5},
    more=frozenset({"more"}),
    comparison=frozenset({"than", "if", "when"}),
    never=frozenset({"never"}),
    degree=frozenset({"so", "such", "this"}),
)

EMOJI: Final[dict[str, float]] = {
    "😍": 0.9, "🥰": 0.9, "😋": 0.8, "🤤": 0.7, "🤩": 0.9, "😻": 0.8, "🥳": 0.8, "😘": 0.7,
    "👍": 0.6, "👌": 0.6, "👏": 0.6, "🙌": 0.7, "🔥": 0.6, "💯": 0.7, "💪": 0.4, "🏆": 0.5,
    "❤": 0.8, "♥": 0.8, "💕": 0.8, "💖": 0.8, "💗": 0.8, "💓": 0.8, "💞": 0.8, "💘": 0.8,
    "🧡": 0.7, "💛": 0.7, "💚": 0.7, "💙": 0.7, "💜": 0.7, "🤍": 0.7, "😊": 0.7, "☺": 0.6,
    "🙂": 0.4, "😀": 0.6, "😃": 0.6, "😄": 0.6, "😁": 0.6, "😆": 0.5, "😂": 0.4, "🤣": 0.4,
    "😎": 0.5, "🎉": 0.5, "🎊": 0.5, "✨": 0.3, "🙏": 0.4, "🤗": 0.6, "⭐": 0.5, "🌟": 0.5,
    "😇": 0.6, "🤌": 0.6, "🫶": 0.8, "👑": 0.5, "😌": 0.4, "😉": 0.3, "✅": 0.2,
    "😡": -0.9, "🤬": -0.9, "😠": -0.8, "👎": -0.7, "🤢": -0.8, "🤮": -0.9, "😞": -0.6,
    "😢": -0.6, "😭": -0.3, "😔": -0.5, "😒": -0.5, "🙄": -0.5, "😤": -0.6, "😩": -0.5,
    "😫": -0.5, "😕": -0.4, "🙁": -0.5, "☹": -0.6, "😖": -0.5, "😣": -0.5, "💔": -0.7,
    "😑": -0.3, "😐": -0.1, "🤦": -0.5, "😬": -0.3, "😱": -0.3, "💩": -0.7, "😟": -0.4,
    "😓": -0.3, "🤨": -0.2, "😪": -0.3, "🥱": -0.4, "❌": -0.3, "😾": -0.6, "🫤": -0.3,
}  # fmt: skip

# Emoticons, keyed by a normalised form (nose removed, repeats collapsed, lowercase).
EMOTICONS: Final[dict[str, float]] = {
    ":)": 0.5, "=)": 0.5, ":]": 0.5, ":}": 0.5, ":3": 0.5, "(:": 0.5, ":>": 0.4,
    ":d": 0.8, "=d": 0.8, "xd": 0.6, ";)": 0.3, ";d": 0.5, ":p": 0.4, ";p": 0.4, ":*": 0.6,
    "<3": 0.8, "^^": 0.6, "^_^": 0.6, ":o": 0.0, "o_o": -0.1,
    ":(": -0.6, "=(": -0.6, ":[": -0.6, ":{": -0.6, "):": -0.6, ":c": -0.5, ":'(": -0.7,
    ";(": -0.6, ":/": -0.3, ":\\": -0.3, "=/": -0.3, ":s": -0.3, ":|": -0.1, "</3": -0.6,
    "t_t": -0.6, "-_-": -0.4, ">:(": -0.8, "d:": -0.5,
}  # fmt: skip

# Words that are English beyond doubt even though no dictionary lists them; the language
# vote counts them for English.
CHAT_ENGLISH: Final[frozenset[str]] = frozenset(
    {
        "lol", "lmao", "omg", "tbh", "ngl", "imo", "imho", "idk", "btw", "fyi", "pls", "plz",
        "thx", "ty", "u", "ur", "im", "ive", "gonna", "wanna", "gotta", "lowkey", "highkey",
        "bussin", "slaps", "mid", "meh", "yum", "yummy", "ugh", "yay", "kinda", "sorta",
    }
)  # fmt: skip
