-- Feedback: every member message of the community group with its sentiment, aspects and
-- topics (computed once, at ingest), and the daily digest's bookkeeping.

-- One row per member message; an edit re-scores the same row (upsert on the key).
-- label is 'positive' | 'neutral' | 'negative' | 'unscored' (other language, nothing to read).
CREATE TABLE feedback_messages (
    chat_id      INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    sent_at      INTEGER NOT NULL,      -- message.date, unix seconds UTC
    edited_at    INTEGER,               -- last edit seen
    reply_to     INTEGER,               -- message id it replies to (a preview, a poll, a member)
    thread_id    INTEGER,               -- forum topic, when the group has topics
    is_caption   INTEGER NOT NULL DEFAULT 0,
    text         TEXT    NOT NULL,
    polarity     REAL    NOT NULL,
    subjectivity REAL    NOT NULL,
    label        TEXT    NOT NULL,
    language     TEXT    NOT NULL,
    -- Aspects {"taste": 0.6} and topics ["vegan roll"] as JSON, NULL when there are none.
    -- The ingest writes ONE row per message (one executemany per batch); the digest
    -- aggregates a day's aspects and topics with json_each over that day's rows, found
    -- through feedback_messages_day. (Per-message row tables filled by triggers cost ~40% of
    -- the message write, for a query run once a day over one day of rows.)
    aspects      TEXT,
    topics       TEXT,
    PRIMARY KEY (chat_id, message_id)
);
-- The digest reads one day at a time: covering index, so a day's figures never touch the table.
CREATE INDEX feedback_messages_day
    ON feedback_messages (chat_id, sent_at, label, polarity, user_id);
-- "Replies to these previews/polls" for the polls and previews features.
CREATE INDEX feedback_messages_reply
    ON feedback_messages (chat_id, reply_to) WHERE reply_to IS NOT NULL;

-- Posts by anonymous admins (sender_chat == the group): the brand speaking, not feedback.
CREATE TABLE brand_posts (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    sent_at    INTEGER NOT NULL,
    edited_at  INTEGER,
    text       TEXT    NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX brand_posts_day ON brand_posts (chat_id, sent_at);

-- A stable pseudonym per member ("Member #12"), numbered in order of first message.
CREATE TABLE feedback_pseudonyms (
    user_id INTEGER PRIMARY KEY,
    number  INTEGER NOT NULL UNIQUE
);

-- Figures of a finished day, computed once and reused by the 7- and 14-day comparisons and
-- the chart. Keyed by the day's [start, end) so a change of time zone never reuses a row.
-- A late message or an edit for a cached day deletes the day's rows (recomputed on demand).
CREATE TABLE feedback_daily (
    chat_id      INTEGER NOT NULL,
    day_start    INTEGER NOT NULL,
    day_end      INTEGER NOT NULL,
    messages     INTEGER NOT NULL,
    members      INTEGER NOT NULL,
    scored       INTEGER NOT NULL,
    positive     INTEGER NOT NULL,
    neutral      INTEGER NOT NULL,
    negative     INTEGER NOT NULL,
    polarity_sum REAL    NOT NULL,
    computed_at  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, day_start, day_end)
);
CREATE TABLE feedback_daily_aspects (
    chat_id      INTEGER NOT NULL,
    day_start    INTEGER NOT NULL,
    day_end      INTEGER NOT NULL,
    aspect       TEXT    NOT NULL,
    mentions     INTEGER NOT NULL,
    polarity_sum REAL    NOT NULL,
    PRIMARY KEY (chat_id, day_start, day_end, aspect)
);

-- Each scheduled digest: the intent is written (with the rendered parts) before the first
-- send, each delivered part is recorded as it goes, and the completion at the end.
-- state: 'sending' (intent recorded, parts may be partly delivered) | 'sent' | 'skipped'.
CREATE TABLE digest_runs (
    day             TEXT    PRIMARY KEY,  -- local date 'YYYY-MM-DD' the digest covers
    chat_id         INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    late            INTEGER NOT NULL DEFAULT 0,
    parts           TEXT    NOT NULL,     -- JSON list of the HTML messages to send
    parts_sent      INTEGER NOT NULL DEFAULT 0,
    chart_sent      INTEGER NOT NULL DEFAULT 0,
    message_ids     TEXT    NOT NULL DEFAULT '[]',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);

-- Ingest-side bookkeeping, done inside SQLite so the bot writes one statement per message.
-- Each trigger has a WHEN clause so the common case (a fresh message from a member already
-- numbered) costs one index probe each: the ingest path is timed.
-- "Member #N": numbered in order of first message.
CREATE TRIGGER feedback_pseudonyms_ai AFTER INSERT ON feedback_messages
WHEN NOT EXISTS (SELECT 1 FROM feedback_pseudonyms WHERE user_id = NEW.user_id)
BEGIN
    INSERT OR IGNORE INTO feedback_pseudonyms (user_id, number)
        SELECT NEW.user_id, COALESCE(MAX(number), 0) + 1 FROM feedback_pseudonyms;
END;

-- A message stored for a day whose figures were cached (a replay after a crash, a late
-- delivery): drop that day's cache. Cached days are finished days, so a fresh message never
-- matches; the WHEN clause finds that out with one index probe.
CREATE TRIGGER feedback_daily_ai AFTER INSERT ON feedback_messages
WHEN NEW.sent_at < (SELECT MAX(day_start) FROM feedback_daily WHERE chat_id = NEW.chat_id)
                   + 90000
BEGIN
    DELETE FROM feedback_daily
        WHERE chat_id = NEW.chat_id AND day_start <= NEW.sent_at AND day_end > NEW.sent_at;
    DELETE FROM feedback_daily_aspects
        WHERE chat_id = NEW.chat_id AND day_start <= NEW.sent_at AND day_end > NEW.sent_at;
END;

-- An edit re-scores the row (its aspects and topics are in it): its day is recomputed.
CREATE TRIGGER feedback_messages_au AFTER UPDATE ON feedback_messages
BEGIN
    DELETE FROM feedback_daily
        WHERE chat_id = NEW.chat_id AND day_start <= NEW.sent_at AND day_end > NEW.sent_at;
    DELETE FROM feedback_daily_aspects
        WHERE chat_id = NEW.chat_id AND day_start <= NEW.sent_at AND day_end > NEW.sent_at;
END;

-- A message removed (moderation, retention, erasure): its day is recomputed.
CREATE TRIGGER feedback_messages_ad AFTER DELETE ON feedback_messages
BEGIN
    DELETE FROM feedback_daily
        WHERE chat_id = OLD.chat_id AND day_start <= OLD.sent_at AND day_end > OLD.sent_at;
    DELETE FROM feedback_daily_aspects
        WHERE chat_id = OLD.chat_id AND day_start <= OLD.sent_at AND day_end > OLD.sent_at;
END;
