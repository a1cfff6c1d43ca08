-- Hardening (issue 10).

-- Bans that survive /forgetme. When a banned person asks to be erased, their id, name and
-- words go, but the club keeps a keyed hash of the id (HMAC-SHA256 with a random key kept in
-- runtime_facts), so the same Telegram account cannot come back with a fresh code. No name,
-- no words, no reason: only "this account is banned" and since when. /unban USER_ID lifts it.
CREATE TABLE ban_list (
    user_hash TEXT    PRIMARY KEY,
    banned_at INTEGER NOT NULL
);

-- Who each quote in a stored digest belongs to, so /forgetme erases by person, not by text
-- matching. ``line`` is the exact rendered line as stored in digest_runs.parts; the row is
-- about the person (user_id), so the generic erasure sweep removes it with them.
CREATE TABLE digest_quotes (
    day     TEXT    NOT NULL,
    user_id INTEGER NOT NULL,
    line    TEXT    NOT NULL
);
CREATE INDEX digest_quotes_user ON digest_quotes (user_id);
