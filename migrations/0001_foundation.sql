-- Foundation: the durable update inbox, people the bot has met, and small runtime facts.
-- Times are INTEGER unix seconds (UTC) throughout the schema; Telegram ids are INTEGER
-- (SQLite integers are 64-bit, Telegram ids need up to 52 bits).

-- Every update is written here before Telegram is told it was received (the getUpdates
-- offset moves on). The payload is cleared once the update is processed: it can hold a
-- member's words, and only the id is needed to recognise a redelivery.
CREATE TABLE inbox (
    update_id    INTEGER PRIMARY KEY,
    payload      TEXT,
    received_at  INTEGER NOT NULL,
    processed_at INTEGER
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE processed_at IS NULL;
CREATE INDEX inbox_processed_at ON inbox (processed_at) WHERE processed_at IS NOT NULL;

-- People the bot has seen in any update.
CREATE TABLE people (
    user_id        INTEGER PRIMARY KEY,
    first_name     TEXT    NOT NULL DEFAULT '',
    last_name      TEXT,
    username       TEXT,
    language_code  TEXT,
    is_bot         INTEGER NOT NULL DEFAULT 0,
    started_bot_at INTEGER,          -- when they first opened a private chat with the bot
    blocked_bot_at INTEGER,          -- set when a DM failed with 403; cleared when they return
    first_seen_at  INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

-- Small facts that must survive a restart, e.g. a chat id rewritten by a group migration.
CREATE TABLE runtime_facts (
    key        TEXT PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
