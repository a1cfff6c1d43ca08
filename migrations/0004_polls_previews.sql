-- Polls and exclusive product previews, with the feedback members give on them.

-- A poll the bot posted (or is posting) in the community group. ``source_*`` is the
-- /poll command's message (or the /preview command for a preview's poll): a replayed
-- update finds the row and does nothing twice.
CREATE TABLE polls (
    id                INTEGER PRIMARY KEY,
    source_chat_id    INTEGER NOT NULL,
    source_message_id INTEGER NOT NULL,
    created_by        INTEGER NOT NULL,
    question          TEXT    NOT NULL,
    options           TEXT    NOT NULL,            -- JSON list of option texts
    allows_multiple   INTEGER NOT NULL DEFAULT 0,
    is_anonymous      INTEGER NOT NULL DEFAULT 1,
    preview_id        INTEGER,                     -- set for a preview's poll
    -- sending: claimed, sendPoll not confirmed yet | open | closed | failed
    status            TEXT    NOT NULL DEFAULT 'sending',
    chat_id           INTEGER,
    message_id        INTEGER,
    telegram_poll_id  TEXT UNIQUE,
    counts            TEXT,                        -- JSON list of voter counts per option
    total_voters      INTEGER NOT NULL DEFAULT 0,
    closes_at         INTEGER,
    created_at        INTEGER NOT NULL,
    opened_at         INTEGER,
    closed_at         INTEGER,
    results_posted_at INTEGER,
    UNIQUE (source_chat_id, source_message_id)
);
CREATE INDEX polls_due ON polls (closes_at) WHERE status = 'open';

-- Answers to public (non-anonymous) polls; an empty list is a retracted vote.
CREATE TABLE poll_answers (
    poll_id     INTEGER NOT NULL REFERENCES polls (id),
    user_id     INTEGER NOT NULL,
    option_ids  TEXT    NOT NULL,                  -- JSON list
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (poll_id, user_id)
);

-- Items of albums written to the bot in private chats, so /preview replying to one
-- photo of an album can copy the whole album.
CREATE TABLE media_group_items (
    chat_id        INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    media_group_id TEXT    NOT NULL,
    received_at    INTEGER NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX media_group_items_group ON media_group_items (chat_id, media_group_id);

CREATE TABLE previews (
    id                 INTEGER PRIMARY KEY,
    command_chat_id    INTEGER NOT NULL,           -- the /preview command: idempotency key
    command_message_id INTEGER NOT NULL,
    created_by         INTEGER NOT NULL,
    title              TEXT,
    source_chat_id     INTEGER NOT NULL,           -- the private chat holding the original
    source_message_ids TEXT    NOT NULL,           -- JSON list (several for an album)
    kind               TEXT    NOT NULL,           -- text | photo | video | album | ...
    poll_question      TEXT,
    poll_options       TEXT,                       -- JSON list
    notify             INTEGER NOT NULL DEFAULT 0,
    publish_at         INTEGER NOT NULL,
    -- scheduled | publishing (claimed; sends in flight) | published | cancelled | failed
    status             TEXT    NOT NULL DEFAULT 'scheduled',
    confirm_message_id INTEGER,                    -- the summary with the Cancel button
    chat_id            INTEGER,                    -- where it was published
    message_id         INTEGER,                    -- the message carrying the rating keyboard
    pinned_message_id  INTEGER,
    published_at       INTEGER,
    cancelled_at       INTEGER,
    error              TEXT,
    poll_id            INTEGER REFERENCES polls (id),
    tally_dirty        INTEGER NOT NULL DEFAULT 0, -- ratings changed since the last edit
    tally_edited_at    INTEGER,
    -- teaser: none | pending | sending | done
    teaser_status      TEXT    NOT NULL DEFAULT 'none',
    teaser_progress_id INTEGER,                    -- the requester's progress message
    created_at         INTEGER NOT NULL,
    UNIQUE (command_chat_id, command_message_id)
);
CREATE INDEX previews_due ON previews (publish_at) WHERE status = 'scheduled';

-- Every message of a published preview (album items, the keyboard message), for mapping
-- reactions and replies back to the preview.
CREATE TABLE preview_messages (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    preview_id INTEGER NOT NULL REFERENCES previews (id),
    PRIMARY KEY (chat_id, message_id)
);

CREATE TABLE preview_ratings (
    preview_id INTEGER NOT NULL REFERENCES previews (id),
    user_id    INTEGER NOT NULL,
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at   INTEGER NOT NULL,
    PRIMARY KEY (preview_id, user_id)
);

-- message_reaction: who reacted with what (their current set; empty when withdrawn).
CREATE TABLE preview_reactions (
    preview_id INTEGER NOT NULL REFERENCES previews (id),
    message_id INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    reactions  TEXT    NOT NULL,                   -- JSON list of emoji keys
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (preview_id, message_id, user_id)
);

-- message_reaction_count: Telegram's totals, anonymous reactions included.
CREATE TABLE preview_reaction_counts (
    preview_id INTEGER NOT NULL REFERENCES previews (id),
    message_id INTEGER NOT NULL,
    reaction   TEXT    NOT NULL,
    total      INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (preview_id, message_id, reaction)
);

-- One row per member the teaser was attempted for, so a restart resumes the broadcast
-- instead of starting over. status: sent | blocked | failed
CREATE TABLE preview_teasers (
    preview_id INTEGER NOT NULL REFERENCES previews (id),
    user_id    INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (preview_id, user_id)
);
