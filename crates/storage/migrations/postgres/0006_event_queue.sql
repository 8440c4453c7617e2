-- On PostgreSQL, events enter the log through a queue. Concurrent
-- transactions draw numbers in one order and commit in another, so a reader
-- following the log by seq could pass a seq whose transaction had not yet
-- committed and never see that event. Writers used to hold one advisory
-- lock from their event insert until their commit, which put every change
-- behind the previous change's WAL flush. Now a change appends its events
-- here without any lock, and the event pump moves committed rows into
-- `events` under that lock, numbering them there (`Store::sequence_events`):
-- seqs still become visible in increasing order, and changes commit side by
-- side, sharing WAL flushes.
CREATE TABLE event_queue (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    conversation_id UUID,
    inbox_id UUID,
    user_id UUID,
    data TEXT NOT NULL
);
