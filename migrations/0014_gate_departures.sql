-- A seat row the ledger deletes (a /kick, an /unban: the person is a stranger again and needs
-- a new code) took with it the only record that a campaign's recruit had joined and gone, so
-- campaign cohorts forgot kicked recruits and showed their campaign's retention as perfect.
-- What the cohorts need stays here, without the person: no id, nothing to link it back.
CREATE TABLE gate_departures (
    id        INTEGER PRIMARY KEY,
    label     TEXT    NOT NULL,   -- the campaign they joined through
    joined_at INTEGER NOT NULL,
    left_at   INTEGER NOT NULL    -- when they stopped being a member
);
