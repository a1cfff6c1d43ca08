-- Referrals (members inviting friends) and measurable links (campaign tags, click counts).
-- Becomes 0009 when the branches are merged; nothing here alters an earlier table.

-- One row per personal invite a member asked for with /invite. The invite itself is an
-- ordinary gate code (label 'referral', one use), so seat cap, waitlist, expiry, revocation
-- and lock-outs apply to it unchanged; this row only says whose invite it is.
-- referrer_user_id is a subject column: /forgetme of the referrer deletes the row, and the
-- trigger below withdraws the code, so an erased member's invites stop working at once.
CREATE TABLE referral_invites (
    code_id          INTEGER PRIMARY KEY REFERENCES gate_codes (id),
    referrer_user_id INTEGER NOT NULL,
    issued_at        INTEGER NOT NULL,
    update_id        INTEGER UNIQUE      -- the /invite update: a replay replaces, never adds
);
CREATE INDEX referral_invites_referrer ON referral_invites (referrer_user_id);

CREATE TRIGGER referral_invites_erased AFTER DELETE ON referral_invites
BEGIN
    UPDATE gate_codes SET revoked_at = CAST(strftime('%s', 'now') AS INTEGER)
    WHERE id = OLD.code_id AND revoked_at IS NULL;
END;

-- Who brought whom: written when a referred person's seat is confirmed. Both columns are
-- subject columns, so erasing either person deletes the link (the member keeps the seat).
CREATE TABLE referral_joins (
    user_id          INTEGER PRIMARY KEY,
    referrer_user_id INTEGER NOT NULL,
    code_id          INTEGER,
    joined_at        INTEGER NOT NULL
);
CREATE INDEX referral_joins_referrer ON referral_joins (referrer_user_id, joined_at);

-- Referrers whose invites brought many joins in a short time, reported to moderators once.
CREATE TABLE referral_flags (
    referrer_user_id INTEGER NOT NULL,
    flagged_at       INTEGER NOT NULL,
    joins            INTEGER NOT NULL,
    PRIMARY KEY (referrer_user_id, flagged_at)
);

-- Web links the bot posted for the brand, each registered once with its campaign tags.
-- The redirect endpoint only ever sends people to a URL in this table (no open redirect).
CREATE TABLE link_targets (
    id          INTEGER PRIMARY KEY,
    token       TEXT    NOT NULL UNIQUE,  -- the path of the redirect URL: /r/<token>
    url         TEXT    NOT NULL UNIQUE,  -- the tagged destination
    content     TEXT    NOT NULL,         -- utm_content: 'preview-12', 'welcome', 'poll-3'
    preview_id  INTEGER,                  -- the preview it was posted in, if any
    created_at  INTEGER NOT NULL
);
CREATE INDEX link_targets_preview ON link_targets (preview_id) WHERE preview_id IS NOT NULL;

-- Clicks per link and day (the community's local date). Who clicked is never stored.
CREATE TABLE link_clicks (
    link_id INTEGER NOT NULL REFERENCES link_targets (id),
    day     TEXT    NOT NULL,             -- YYYY-MM-DD
    clicks  INTEGER NOT NULL,
    PRIMARY KEY (link_id, day)
);

-- A preview's text or caption with its links tagged, captured from the brand's draft when
-- /preview is given: a copy cannot change the text, so the tagged text is sent instead.
CREATE TABLE preview_link_texts (
    preview_id INTEGER PRIMARY KEY REFERENCES previews (id),
    html       TEXT    NOT NULL,
    is_caption INTEGER NOT NULL CHECK (is_caption IN (0, 1))
);

-- Captions of album items the brand team wrote to the bot, kept only when they hold brand
-- links: a copied album cannot change captions, so the copies' captions are edited to the
-- tagged text right after publishing.
CREATE TABLE preview_link_drafts (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    html       TEXT    NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
