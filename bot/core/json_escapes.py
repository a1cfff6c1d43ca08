"""Half an emoji in the JSON of an update, made harmless before anything decodes it.

JSON can spell a character outside the Basic Multilingual Plane as two escapes (a UTF-16
surrogate pair, ``\\ud83d\\ude00``). An escape for one half alone (``\\ud83d``) is accepted
by ``json.loads`` and yields a Python string with a lone surrogate, which no UTF-8 encoder
takes: SQLite refused to store such a member message (and the inbox such an update), and
every later batch write failed with it. Telegram's own clients cannot produce one, but a
proxy, an emulator or a crafted webhook call can. Each lone half becomes U+FFFD, the
replacement character, in the JSON text itself, so every path that decodes it (polling,
webhook, replay from the inbox) gets clean strings.
"""

from __future__ import annotations

import re

# Left to right: an escaped backslash (so "\\ud83d" stays text), a well-formed pair (kept),
# or a lone half (replaced).
_ESCAPES = re.compile(
    r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})"
)


def _mend(match: re.Match[str]) -> str:
    return "\\ufffd" if match.group(1) else match.group(0)


def mend_text(text: str) -> str:
    """``text`` (JSON) with every lone surrogate escape replaced by ``\\ufffd``."""
    if "\\ud" not in text and "\\uD" not in text:
        return text  # the usual case: one C scan
    return _ESCAPES.sub(_mend, text)


def mend_bytes(body: bytes) -> bytes:
    """The same for a UTF-8 body (ASCII escapes: the bytes are searched as they are)."""
    if b"\\ud" not in body and b"\\uD" not in body:
        return body
    return mend_text(body.decode("utf-8", "replace")).encode("utf-8")
