-- The invite-code gate and the seat ledger.
-- Codes are stored only as a keyed hash (HMAC-SHA256 with gate.code_secret): the clear code
-- is shown once when it is made and never written anywhere.

CREATE TABLE gate_codes (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT    NOT NULL UNIQUE,   -- hex HMAC-SHA256 of the normalised code
    label       TEXT    NOT NULL,          -- campaign, e.g. "flyer"; recorded on every admission
    max_uses    INTEGER NOT NULL CHECK (max_uses >= 1),
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
    expires_at  INTEGER,                   -- NULL: never
    created_at  INTEGER NOT NULL,
    created_by  INTEGER,                   -- moderator's user id; NULL when made from the CLI
    revoked_at  INTEGER
);
CREATE INDEX gate_codes_label ON gate_codes (label);

-- One row per person who redeemed a code: their place in the seat ledger.
--   waiting  - on the waitlist (queue_no orders the line)
--   reserved - a seat is held for them until reserved_until (personal link or join request)
--   member   - confirmed: they joined the group
--   lapsed   - their reservation ran out unused; /join puts them back in line
--   left     - they left or were removed; the seat is kept only if ``seat`` is still 1
--   banned   - banned from the group; may not redeem again
-- ``seat`` is 1 while this person occupies one of community.max_members seats.
CREATE TABLE gate_seats (
    user_id        INTEGER PRIMARY KEY,
    code_id        INTEGER REFERENCES gate_codes (id),
    label          TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN
                       ('waiting', 'reserved', 'member', 'lapsed', 'left', 'banned')),
    seat           INTEGER NOT NULL DEFAULT 0 CHECK (seat IN (0, 1)),
    consent_at     INTEGER,                -- when they accepted the notice of what is stored
    redeemed_at    INTEGER NOT NULL,
    queue_no       INTEGER,                -- waitlist order (smaller is earlier)
    reserved_until INTEGER,
    invite_link    TEXT,                   -- their personal link while reserved
    via            TEXT,                   -- 'link' | 'request' | 'admin' | 'reconcile'
    joined_at      INTEGER,
    left_at        INTEGER,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX gate_seats_seat ON gate_seats (seat) WHERE seat = 1;
CREATE INDEX gate_seats_waiting ON gate_seats (queue_no) WHERE state = 'waiting';
CREATE INDEX gate_seats_reserved ON gate_seats (reserved_until) WHERE state = 'reserved';
CREATE UNIQUE INDEX gate_seats_link ON gate_seats (invite_link) WHERE invite_link IS NOT NULL;

-- A valid code waiting for the person to accept the consent notice (button callback id).
CREATE TABLE gate_attempts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    code_id     INTEGER NOT NULL REFERENCES gate_codes (id),
    created_at  INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX gate_attempts_user ON gate_attempts (user_id);

-- Join requests on the shared link waiting for the requester's code.
CREATE TABLE gate_join_requests (
    user_id      INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    deadline     INTEGER NOT NULL,
    asked        INTEGER NOT NULL DEFAULT 0   -- 1 if we could write to them
);
CREATE INDEX gate_join_requests_deadline ON gate_join_requests (deadline);

-- Wrong codes per person (the rolling window) and lock-outs.
CREATE TABLE gate_failures (
    user_id INTEGER NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX gate_failures_user ON gate_failures (user_id, at);

CREATE TABLE gate_lockouts (
    user_id      INTEGER PRIMARY KEY,
    locked_until INTEGER NOT NULL
);

-- What happened at the door, for /members and the digest.
--   joined, left, removed, banned, waitlisted, expired, promoted, turned_away, declined
CREATE TABLE gate_events (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    label   TEXT,
    at      INTEGER NOT NULL
);
CREATE INDEX gate_events_at ON gate_events (at, kind);
