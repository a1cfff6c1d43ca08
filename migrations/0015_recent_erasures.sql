-- Who was erased by /forgetme in the last minutes (bot.core.late_window).
--
-- What still arrives about a person just after their erasure (a second tap on the Yes, an
-- edit or reaction made before, the member updates of their removal) must not store them
-- again. That window was kept in memory only, and a restart within it, exactly when the inbox
-- replays stored updates, let such a tail write them back. So it is a row, written in the
-- erasure's own transaction and deleted once the window is over (LATE_WINDOW) or nothing is
-- left to wait for.
--
-- No id: a keyed hash of it (HMAC-SHA256, the key a random one in runtime_facts), like
-- ban_list, so the erasure's promise holds; the hash only answers "was this account erased
-- here a moment ago?". ``user_hash`` is no person column: the erasure sweep leaves it alone.
CREATE TABLE recent_erasures (
    user_hash TEXT    PRIMARY KEY,
    erased_at INTEGER NOT NULL,
    late      INTEGER NOT NULL,  -- 1: what arrives about them is a tail (until something new)
    removal   INTEGER NOT NULL   -- 1: the member updates of our removal of them are to come
);
