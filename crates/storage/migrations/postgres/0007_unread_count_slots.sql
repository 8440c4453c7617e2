-- Unread counts in slots, one per database connection of a node's pool.
-- Every start with a shared inbox adds one to the same counts (each
-- member's count for that inbox), and an UPDATE holds its row lock until
-- the commit: concurrent starts queued behind each other's WAL flush
-- (`pg_stat_activity` during the start benchmark: most active backends in
-- `Lock:transactionid`). A count is now the sum of up to sixteen rows, and
-- a transaction changes only its own connection's rows, so concurrent
-- changes do not wait for each other. Readers sum per view.
--
-- The pool numbers its connections (`careinbox.slot`, set when it
-- connects); a session without it (psql, migrations) uses slot 0.
ALTER TABLE unread_counts ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE unread_counts DROP CONSTRAINT unread_counts_pkey;
ALTER TABLE unread_counts ADD PRIMARY KEY (user_id, view_id, slot);

CREATE FUNCTION unread_slot() RETURNS SMALLINT LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(current_setting('careinbox.slot', true), '')::SMALLINT, 0)
$$;

-- Rows are applied in key order, so two transactions changing the same
-- counts lock them in the same order and cannot deadlock on them.
CREATE OR REPLACE FUNCTION participations_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unread_counts (user_id, view_id, slot, unread)
    SELECT user_id, COALESCE(via_inbox, user_id) AS v, unread_slot(), COUNT(*) FROM new_rows
    WHERE last_message_seq > last_read_seq AND NOT archived
    GROUP BY user_id, v ORDER BY user_id, v
    ON CONFLICT (user_id, view_id, slot) DO UPDATE SET unread = unread_counts.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION participations_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unread_counts (user_id, view_id, slot, unread)
    SELECT user_id, COALESCE(via_inbox, user_id) AS v, unread_slot(), -COUNT(*) FROM old_rows
    WHERE last_message_seq > last_read_seq AND NOT archived
    GROUP BY user_id, v ORDER BY user_id, v
    ON CONFLICT (user_id, view_id, slot) DO UPDATE SET unread = unread_counts.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION participations_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
