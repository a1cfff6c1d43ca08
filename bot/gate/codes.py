"""Invite codes: making them, reading them back as people type them, hashing them, and the
moderators' administration of them (/newcodes, /revoke and the CLI share it).

A code is 12 symbols of Crockford's base-32 alphabet (digits and capitals without I, L, O
and U), 60 random bits from ``secrets``, shown in groups of four: ``7K3Q-M9XP-4HRT``.
Reading is forgiving: case, spaces and dashes do not matter, and the letters people confuse
with digits (O for 0, I and L for 1) are read as those digits.

Only an HMAC-SHA256 of the normalised code is ever stored; the key is ``gate.code_secret``
(or a random key kept in runtime_facts when none is configured).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from datetime import timedelta

from bot.core.i18n import N_, Explained
from bot.core.ids import parse_id
from bot.db.facts_repo import FactsRepository
from bot.gate.repo import GateRepository

log = logging.getLogger(__name__)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_SYMBOLS = 12  # 12 x 5 bits = 60 random bits
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\t\n\u2010\u2011\u2012\u2013\u2014")
_SECRET_FACT = "gate:code_secret"
LABEL_RE = re.compile(r"^[\w.-]{1,32}$")
MAX_CODES_PER_BATCH = 200
MAX_USES = 100_000


class GateError(Explained):
    """Bad input to a moderator action; the message says what is wrong."""


def generate_code() -> str:
    """A fresh code in its display form, e.g. ``7K3Q-M9XP-4HRT``."""
    value = secrets.randbits(CODE_SYMBOLS * 5)
    symbols = []
    for _ in range(CODE_SYMBOLS):
        symbols.append(ALPHABET[value & 31])
        value >>= 5
    raw = "".join(symbols)
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_SYMBOLS, GROUP))


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one of ours."""
    cleaned = text.upper().translate(_IGNORED).translate(_READ_AS)
    if len(cleaned) != CODE_SYMBOLS or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def hash_code(normalized: str, key: bytes) -> str:
    return hmac.new(key, normalized.encode("ascii"), hashlib.sha256).hexdigest()


async def code_key(configured: str | None, facts: FactsRepository, now: int) -> bytes:
    """The hashing key: the configured secret, else one generated once and kept."""
    if configured:
        return configured.encode("utf-8")
    stored = await facts.get(_SECRET_FACT)
    if stored is None:
        stored = secrets.token_hex(32)
        await facts.put(_SECRET_FACT, stored, now)
        log.warning(
            "gate.code_secret is not set: generated a random key and stored it in the "
            "database. Set gate.code_secret in production, so a copy of the database "
            "alone is not enough to test guesses against the stored code hashes."
        )
    return stored.encode("utf-8")


# --- administration, shared by the commands and the CLI --------------------------------------


def validate_batch(count: int, uses: int, label: str) -> None:
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise GateError(N_("COUNT must be 1-{max}"), max=MAX_CODES_PER_BATCH)
    if not 1 <= uses <= MAX_USES:
        raise GateError(N_("USES must be 1-{max}"), max=MAX_USES)
    if not LABEL_RE.match(label):
        raise GateError(N_("LABEL must be 1-32 letters, digits, '-', '_' or '.'"))


async def create_codes(
    repo: GateRepository,
    key: bytes,
    count: int,
    uses: int,
    label: str,
    expires_in: timedelta | None,
    created_by: int | None,
    now: int,
) -> list[str]:
    """Make codes and store their hashes; the clear codes are returned once, never kept."""
    validate_batch(count, uses, label)
    made = [generate_code() for _ in range(count)]
    hashes = [hash_code(normalize_code(code) or "", key) for code in made]
    expires_at = now + int(expires_in.total_seconds()) if expires_in else None
    await repo.insert_codes(hashes, label, uses, expires_at, created_by, now)
    log.info("Created %d %r code(s) with %d use(s) each", count, label, uses)
    return made


async def revoke_codes(repo: GateRepository, target: str, now: int) -> int:
    cleaned = target.strip().lstrip("#")
    if not cleaned:
        raise GateError(N_("say which code: its id (from the list) or its label"))
    if cleaned.isdecimal():
        code_id = parse_id(cleaned)
        if code_id is None:
            return 0  # no code has such an id
        return await repo.revoke_codes(code_id, None, now)
    return await repo.revoke_codes(None, cleaned, now)
