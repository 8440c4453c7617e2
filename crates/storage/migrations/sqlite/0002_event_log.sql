-- How far the event log has been pruned. A stream that asks to resume from
-- an event at or below this point has missed events that no longer exist,
-- and is told to reload ("reset") instead of getting a silent gap.
CREATE TABLE event_log_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL
);
INSERT INTO event_log_state (id, pruned_through) VALUES (1, 0);

-- Pruning by age walks events in time order.
CREATE INDEX events_by_time ON events (at);
-- Replay for one user looks events up by their audience.
CREATE INDEX events_by_conversation ON events (conversation_id, seq) WHERE conversation_id IS NOT NULL;
CREATE INDEX events_by_user ON events (user_id, seq) WHERE user_id IS NOT NULL;
CREATE INDEX events_by_inbox ON events (inbox_id, seq) WHERE inbox_id IS NOT NULL;
