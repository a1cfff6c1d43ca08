-- A counted link is one destination *as posted in one place*: two previews that carry the
-- same address (a link the brand tagged itself, or tagging switched off) get a target each,
-- so each preview's clicks are counted for that preview. Until now the address alone was
-- unique, and the second preview was handed the first one's target (and its clicks).
--
-- SQLite cannot drop a UNIQUE constraint in place, so link_targets is rebuilt, and
-- link_clicks with it: foreign keys stay on during migrations, and dropping a table that
-- clicks still point to would fail. Ids and tokens are copied as they are, so every link
-- already posted keeps redirecting and every click counted so far stays with its link.
CREATE TABLE link_targets_new (
    id          INTEGER PRIMARY KEY,
    token       TEXT    NOT NULL UNIQUE,  -- the path of the redirect URL: /r/<token>
    url         TEXT    NOT NULL,         -- the tagged destination
    content     TEXT    NOT NULL,         -- utm_content: 'preview-12', 'welcome', 'poll-3'
    preview_id  INTEGER,                  -- the preview it was posted in, if any
    created_at  INTEGER NOT NULL
);
INSERT INTO link_targets_new (id, token, url, content, preview_id, created_at)
    SELECT id, token, url, content, preview_id, created_at FROM link_targets;

CREATE TABLE link_clicks_new (
    link_id INTEGER NOT NULL REFERENCES link_targets_new (id),
    day     TEXT    NOT NULL,             -- YYYY-MM-DD
    clicks  INTEGER NOT NULL,
    PRIMARY KEY (link_id, day)
);
INSERT INTO link_clicks_new (link_id, day, clicks) SELECT link_id, day, clicks FROM link_clicks;

DROP TABLE link_clicks;
DROP TABLE link_targets;
-- Renaming the parent also renames the reference in link_clicks_new (SQLite >= 3.26).
ALTER TABLE link_targets_new RENAME TO link_targets;
ALTER TABLE link_clicks_new RENAME TO link_clicks;

-- One target per destination and what it is counted for. preview_id is NULL outside
-- previews (the welcome, poll results); NULLs never collide in a UNIQUE index, so they
-- compare as 0 (no preview has id 0). A replay of the same registration finds its row.
CREATE UNIQUE INDEX link_targets_counted_for
    ON link_targets (url, content, IFNULL(preview_id, 0));
CREATE INDEX link_targets_preview ON link_targets (preview_id) WHERE preview_id IS NOT NULL;
