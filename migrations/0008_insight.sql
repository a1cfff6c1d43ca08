-- Insight for the brand team: spike alerts and verdict cards (issue 15).
-- Cohorts and segments are computed at query time from the gate, feedback and preview
-- tables, so erasing a person (/forgetme) removes them from every cohort and segment with
-- no row of their own here. Only insight_member_weeks and insight_alert_quotes name a
-- member, and both are erased with them.

-- Per finished UTC hour of the community chat: message and negative counts, the baseline
-- the spike detector compares the last hour with. Computed once from feedback_messages when
-- the hour is over (plus a grace period for late deliveries); counts only, no person.
CREATE TABLE insight_alert_hours (
    chat_id    INTEGER NOT NULL,
    hour_start INTEGER NOT NULL,            -- unix seconds, a multiple of 3600
    total      INTEGER NOT NULL,            -- scored member messages
    negative   INTEGER NOT NULL,            -- of which labelled negative
    aspects    TEXT    NOT NULL DEFAULT '{}', -- JSON {"taste": 2}: negative mentions per aspect
    PRIMARY KEY (chat_id, hour_start)
);

-- Each spike alert: recorded (with its rendered text) before it is sent, so a restart or
-- two ticks never send it twice; the brand-chat message id is recorded when Telegram
-- confirms it. ``key`` is "all" (every message) or an aspect; ``also`` lists further keys
-- the same alert covers (they cool down together).
-- state: pending | sent | failed
CREATE TABLE insight_alerts (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,       -- the community chat the alert is about
    key             TEXT    NOT NULL,
    also            TEXT    NOT NULL DEFAULT '[]',
    window_start    INTEGER NOT NULL,
    window_end      INTEGER NOT NULL,
    observed        INTEGER NOT NULL,       -- negative messages in the window
    expected        REAL    NOT NULL,       -- what the baseline expected there
    messages        INTEGER NOT NULL,       -- all scored messages in the window
    members         INTEGER NOT NULL,       -- distinct members among the negatives
    p_value         REAL    NOT NULL,
    text            TEXT    NOT NULL,       -- the HTML sent to the brand chat
    state           TEXT    NOT NULL DEFAULT 'pending',
    brand_chat_id   INTEGER,
    brand_message_id INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX insight_alerts_created ON insight_alerts (created_at);
CREATE INDEX insight_alerts_pending ON insight_alerts (id) WHERE state = 'pending';

-- Whose words each quote line of a stored alert is, so /forgetme erases exactly that
-- member's lines (whatever their length or later edits) and retention every line of old
-- alerts: erasure by record, never by matching text. The row is about the person (user_id),
-- so privacy's sweep deletes it with them after the alert text is scrubbed.
CREATE TABLE insight_alert_quotes (
    alert_id INTEGER NOT NULL REFERENCES insight_alerts (id),
    user_id  INTEGER NOT NULL,
    line     TEXT    NOT NULL             -- the exact rendered line inside insight_alerts.text
);
CREATE INDEX insight_alert_quotes_user ON insight_alert_quotes (user_id);

-- "Mute for a day": alerts for this key are not sent before until_at.
CREATE TABLE insight_mutes (
    key        TEXT    PRIMARY KEY,
    until_at   INTEGER NOT NULL,
    muted_by   INTEGER NOT NULL,            -- the brand-team member or moderator who pressed it
    alert_id   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- A verdict card per published preview: the due time is a fact written once (from the
-- preview's publication time), the card is recorded when sent; exactly once, across restarts.
-- state: due | sent | failed
CREATE TABLE insight_verdicts (
    preview_id       INTEGER PRIMARY KEY REFERENCES previews (id),
    due_at           INTEGER NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'due',
    brand_chat_id    INTEGER,
    message_id       INTEGER,
    chart_message_id INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER
);
CREATE INDEX insight_verdicts_due ON insight_verdicts (due_at) WHERE state = 'due';

-- Per member and 7-day bucket (week = sent_at / 604800): messages, scored messages and their
-- polarity sum, for finished buckets only, so campaign cohorts read ~26 rows a member
-- instead of every message. Filled incrementally up to ``insight:member_weeks_to``
-- (runtime_facts). A person's rows are erased with them (privacy's erasure finds user_id).
CREATE TABLE insight_member_weeks (
    user_id      INTEGER NOT NULL,
    week         INTEGER NOT NULL,
    messages     INTEGER NOT NULL,
    scored       INTEGER NOT NULL,
    polarity_sum REAL    NOT NULL,
    PRIMARY KEY (user_id, week)
);
