-- Forum topics (issue 12): the community group's topics as the bot has seen them.
--
-- The Bot API has no method that lists a forum's topics: the bot learns them from the
-- service messages it receives (forum_topic_created / _edited / _closed / _reopened) and
-- from the topics it creates itself. thread_id is the topic's message_thread_id (the id of
-- the message that created it). Member messages already carry their thread_id
-- (feedback_messages.thread_id, NULL for the General topic and for groups without topics).
CREATE TABLE forum_topics (
    chat_id    INTEGER NOT NULL,
    thread_id  INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    icon_color INTEGER,
    closed     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, thread_id)
);
CREATE INDEX forum_topics_name ON forum_topics (chat_id, name);

-- No new index on feedback_messages: the per-topic digest reads one day of rows through
-- feedback_messages_day (a few hundred rows), while every ingested message would pay for
-- another index entry on the timed ingest path.
