-- "Member #N" is never handed out twice. Numbers were MAX(number) + 1 over the remaining
-- rows, so when /forgetme erased the member with the highest number, the next new member got
-- it, and digests, alerts and exports that already quoted "Member #N" now read as someone
-- else. AUTOINCREMENT keeps the highest number ever given (in sqlite_sequence, which no
-- erasure touches), so a number freed by an erasure stays unused.
--
-- Existing numbers are kept. A number erased before this upgrade, above today's highest,
-- is not recorded anywhere and may still be given once more.
DROP TRIGGER feedback_pseudonyms_ai;

CREATE TABLE feedback_pseudonyms_numbered (
    number  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL UNIQUE
);
INSERT INTO feedback_pseudonyms_numbered (number, user_id)
    SELECT number, user_id FROM feedback_pseudonyms;
DROP TABLE feedback_pseudonyms;
ALTER TABLE feedback_pseudonyms_numbered RENAME TO feedback_pseudonyms;

-- "Member #N": numbered in order of first message; the WHEN clause keeps the common case (a
-- member already numbered) at one index probe.
CREATE TRIGGER feedback_pseudonyms_ai AFTER INSERT ON feedback_messages
WHEN NOT EXISTS (SELECT 1 FROM feedback_pseudonyms WHERE user_id = NEW.user_id)
BEGIN
    INSERT OR IGNORE INTO feedback_pseudonyms (user_id) VALUES (NEW.user_id);
END;
