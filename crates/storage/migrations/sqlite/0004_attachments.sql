-- Files shared in a conversation. Each belongs to the timeline message that
-- carried it, and is served only to participants of that conversation
-- (R15). The bytes live in the database, so a backup of the database is a
-- backup of everything, and access control has one place to be right.
CREATE TABLE attachments (
    id BLOB PRIMARY KEY NOT NULL,
    conversation_id BLOB NOT NULL REFERENCES conversations (id),
    message_seq INTEGER NOT NULL UNIQUE REFERENCES timeline (seq),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    uploaded_by BLOB NOT NULL REFERENCES users (id),
    at INTEGER NOT NULL
);
