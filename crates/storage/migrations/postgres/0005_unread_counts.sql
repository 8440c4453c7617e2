-- Unread counts per person and view (R14), kept by the database itself.
-- Counting the unread participations on every `GET /me` cost time in
-- proportion to what a person had not read. A participation counts while
-- it is active and its newest message is past its read position; the
-- triggers below apply, once per statement, the sum of what the changed
-- rows started or stopped counting, so a removal of 100,000 participations
-- (R6) is one grouped update, not 100,000.
--
-- view_id is the inbox of the view, or the person's own id for the
-- personal view (no inbox has a person's id).
--
-- A count is the sum of up to sixteen rows, one per connection of a node's
-- pool (`slot`), and a transaction changes only its own connection's rows.
-- Every start with a shared inbox adds one to the same counts (each
-- member's count for that inbox), and an update holds its row lock until
-- the commit: with one row per count, concurrent starts queued behind each
-- other's WAL flush (`pg_stat_activity` during the start benchmark: most
-- active backends in `Lock:transactionid`). Readers sum per view.
CREATE TABLE unread_counts (
    user_id UUID NOT NULL,
    view_id UUID NOT NULL,
    slot SMALLINT NOT NULL DEFAULT 0,
    unread BIGINT NOT NULL,
    PRIMARY KEY (user_id, view_id, slot)
);

INSERT INTO unread_counts (user_id, view_id, unread)
SELECT user_id, COALESCE(via_inbox, user_id), COUNT(*) FROM participations
WHERE last_message_seq > last_read_seq AND NOT archived
GROUP BY user_id, COALESCE(via_inbox, user_id);

-- The pool numbers its connections (`careinbox.slot`, set when it
-- connects); a session without it (psql, migrations) uses slot 0.
CREATE FUNCTION unread_slot() RETURNS SMALLINT LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(current_setting('careinbox.slot', true), '')::SMALLINT, 0)
$$;

-- Rows are applied in key order, so two transactions changing the same
-- counts lock them in the same order and cannot deadlock on them.
CREATE FUNCTION participations_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unread_counts (user_id, view_id, slot, unread)
    SELECT user_id, COALESCE(via_inbox, user_id) AS v, unread_slot(), COUNT(*) FROM new_rows
    WHERE last_message_seq > last_read_seq AND NOT archived
    GROUP BY user_id, v ORDER BY user_id, v
    ON CONFLICT (user_id, view_id, slot) DO UPDATE SET unread = unread_counts.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE FUNCTION participations_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unread_counts (user_id, view_id, slot, unread)
    SELECT user_id, COALESCE(via_inbox, user_id) AS v, unread_slot(), -COUNT(*) FROM old_rows
    WHERE last_message_seq > last_read_seq AND NOT archived
    GROUP BY user_id, v ORDER BY user_id, v
    ON CONFLICT (user_id, view_id, slot) DO UPDATE SET unread = unread_counts.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE FUNCTION participations_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unread_counts (user_id, view_id, slot, unread)
    SELECT user_id, v, unread_slot(), SUM(delta) FROM (
        SELECT user_id, COALESCE(via_inbox, user_id) AS v, 1 AS delta FROM new_rows
        WHERE last_message_seq > last_read_seq AND NOT archived
        UNION ALL
        SELECT user_id, COALESCE(via_inbox, user_id), -1 FROM old_rows
        WHERE last_message_seq > last_read_seq AND NOT archived
    ) d
    GROUP BY user_id, v HAVING SUM(delta) <> 0 ORDER BY user_id, v
    ON CONFLICT (user_id, view_id, slot) DO UPDATE SET unread = unread_counts.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE TRIGGER participations_count_insert AFTER INSERT ON participations
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION participations_count_inserted();

CREATE TRIGGER participations_count_delete AFTER DELETE ON participations
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION participations_count_deleted();

CREATE TRIGGER participations_count_update AFTER UPDATE ON participations
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION participations_count_updated();

-- The partial index existed only for counting.
DROP INDEX participations_unread;
