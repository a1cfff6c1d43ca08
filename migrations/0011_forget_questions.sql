-- /forgetme questions still waiting for their answer (the Yes / No keyboard under each).
--
-- The first press answers a question: No deletes its row, Yes erases everything about the
-- person, this row with the rest (user_id is a subject column). A second press on the same
-- message (tapped before the first answer's edit reached the phone, or delivered again after
-- a restart) finds no row and changes nothing. Keeping open questions rather than answered
-- ones means nothing about an erased person stays behind.
CREATE TABLE forget_questions (
    user_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,  -- the question, in the person's private chat with the bot
    asked_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, message_id)
);
