-- Moderation and data protection: the moderation log, active warnings, and look-alike reports.
-- Times are INTEGER unix seconds (UTC); Telegram ids are INTEGER.

-- Every moderation action (who, whom, when, why). Kept as the club's record; /forgetme
-- removes the member's rows here too (the digest counts of past days stay in past digests).
CREATE TABLE moderation_log (
    id          INTEGER PRIMARY KEY,
    action      TEXT    NOT NULL,   -- warn | mute | unmute | kick | ban | unban | flood
    actor_id    INTEGER,            -- the moderator; NULL for the bot itself (flood control)
    target_id   INTEGER NOT NULL,
    reason      TEXT,
    until_at    INTEGER,            -- end of a mute, if any
    created_at  INTEGER NOT NULL,
    update_id   INTEGER,            -- the update that caused it: a replayed update acts once
    UNIQUE (update_id, action)
);
CREATE INDEX moderation_log_created ON moderation_log (created_at);
CREATE INDEX moderation_log_target ON moderation_log (target_id, created_at);

-- Warnings that still count towards warn_limit; cleared when the limit triggers its action.
CREATE TABLE warnings (
    id          INTEGER PRIMARY KEY,
    target_id   INTEGER NOT NULL,
    actor_id    INTEGER,
    reason      TEXT,
    created_at  INTEGER NOT NULL,
    update_id   INTEGER UNIQUE
);
CREATE INDEX warnings_target ON warnings (target_id);

-- Look-alike names already reported, so each (user, name) is reported once.
CREATE TABLE lookalike_reports (
    user_id      INTEGER NOT NULL,
    name_key     TEXT    NOT NULL,   -- hash of the reported display name
    resembles_id INTEGER NOT NULL,
    reported_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, name_key)
);
