-- Launch waves and raids (issue 18). Becomes 0008 when the branches are merged.

-- When the bot asked a requester for their code; NULL while they wait their turn (asks go
-- out in arrival order within the private-message budget) or when they were never asked.
ALTER TABLE gate_join_requests ADD COLUMN asked_at INTEGER;

-- Every ask and what came of it, so the wave/raid judgement survives a restart.
-- outcome: NULL (no answer yet), 'valid', 'wrong' or 'silent'.
CREATE TABLE gate_asks (
    user_id     INTEGER NOT NULL,
    asked_at    INTEGER NOT NULL,
    outcome     TEXT,
    resolved_at INTEGER,
    PRIMARY KEY (user_id, asked_at)
);
CREATE INDEX gate_asks_asked_at ON gate_asks (asked_at);
