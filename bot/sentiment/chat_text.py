"""A chat message made ready for scoring: cleaned, split into sentences and tokens.

Moved whole out of ``scorer.py`` (which keeps the scoring walk); the regexes and the
functions are unchanged, so the scorer's docstring still describes what they strip.
"""

from __future__ import annotations

import html
import re
from typing import Final

from bot.sentiment import lexicon as lx

#: Characters of a message that are looked at; Telegram caps a message at 4,096.
MAX_CHARS: Final = 8192

# Invisible characters (zero-width, bidi controls, variation selectors, skin tones) would
# otherwise split words and emoji or hide them from the lookups.
_INVISIBLE: Final = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufe0e\ufe0f"
    "\U0001f3fb-\U0001f3ff]"
)
_TAG: Final = re.compile(r"<[^<>]{0,300}>")
_NOISE: Final = re.compile(r"https?://\S+|www\.\S+|(?<![\w/])[@/][A-Za-z0-9_]{1,64}")
_SENTENCES: Final = re.compile(r"(?<=[.!?…])\s+|\n+")
_TOKEN: Final = re.compile(
    r"(?P<r>(?<![\w/.])(?:10|[0-9])/10(?![\w/]))"
    r"|(?P<m>(?<![\w<>:;=^])(?:>?[:;=]'?-?[)(\]\[}{|dDpP/\\3*sScC]+(?![A-Za-z])"
    r"|</3|<3+|\^_*\^|[xX][dD]+(?!\w)|[tT]_[tT]|-_-|\(:(?!\w)))"
    r"|(?P<w>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<e>[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\u3030\u303d])"
    r"|(?P<p>[,;.!?…–—])"
)
_EMOTICON_NOSE: Final = re.compile(r"(?<=[:;=])['-]")
_REPEATED_TAIL: Final = re.compile(r"(.)\1+$")

Token = tuple[str, str, str]
"""(kind, lowercase form, original form); kind is w(ord), e(moji), m (emoticon), r(ating),
p(unctuation)."""


def clean(text: str) -> str:
    """Strip markup, links, mentions, commands and invisible characters; bound the length."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "/" in text or "@" in text or "www." in text:
        text = _NOISE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def split_sentences(text: str) -> list[str]:
    """Regex sentence splitter (NLTK's punkt data is not available offline)."""
    return [s for s in _SENTENCES.split(text) if s and not s.isspace()]


def tokenize(sentence: str) -> list[Token]:
    out: list[Token] = []
    append = out.append
    for match in _TOKEN.finditer(sentence):
        raw = match.group()
        kind = match.lastgroup or "p"
        append((kind, raw.lower() if kind != "e" else raw, raw))
    return out


def _emoticon_value(lowered: str) -> float:
    key = _EMOTICON_NOSE.sub("", lowered)
    value = lx.EMOTICONS.get(key)
    if value is None:
        key = _REPEATED_TAIL.sub(r"\1", key)
        value = lx.EMOTICONS.get(key)
    if value is None:
        tail = key[-1:]
        value = 0.5 if tail in ")]}d3*p" else -0.5 if tail in "([{/\\c" else 0.0
    return value


def _asks(sentence: str) -> bool:
    """A sentence ending in "?" asks; "?!" and "!?" exclaim ("WTF duck bacon?!?")."""
    end = sentence.rstrip(" )\t")
    if not end.endswith("?"):
        return False
    tail = end[-4:]
    return "!" not in tail
