"""Numbers people (or forged buttons) hand the bot as ids: parsed once, bounded.

SQLite stores 64-bit integers and Python's ints have no limit, so an id such as
``99999999999999999999999`` in a button or a command raised ``OverflowError`` deep in a query
and left the person without an answer. Every id the bot reads from text goes through here.
"""

from __future__ import annotations

import hashlib
import hmac

# Telegram ids fit in 52 bits; our own row ids are far smaller. Anything larger is not an id.
MAX_ID = 2**53


def parse_id(text: str) -> int | None:
    """A positive id written in ASCII digits, or None."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 16 or not (cleaned.isascii() and cleaned.isdecimal()):
        return None
    value = int(cleaned)
    return value if 0 < value <= MAX_ID else None


def keyed_user_hash(key: bytes, user_id: int) -> str:
    """What a fact about a person is kept under once their id must not be (an erasure): an
    HMAC-SHA256 of the id with a secret key, so the hash names nobody without the key."""
    return hmac.new(key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()
