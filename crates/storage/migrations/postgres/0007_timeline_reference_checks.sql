-- Timeline references to people and inboxes, checked once per statement.
-- A removal at scale (R6) writes one `member_removed` row into each of up
-- to 100,000 timelines, and a foreign key runs its check once per row and
-- column: EXPLAIN ANALYZE of that insert showed 1.03 s of its 1.84 s in the
-- checks of author_id, target_user and target_inbox, whose values are the
-- same on every row. The check below looks each distinct value up once per
-- statement. The conversation reference, different on every row, stays a
-- foreign key.
--
-- People and inboxes are never deleted (accounts are deactivated); should
-- one be, the triggers on `users` and `inboxes` refuse it while the
-- timeline names it, as the foreign keys did.
ALTER TABLE timeline DROP CONSTRAINT timeline_author_id_fkey;
ALTER TABLE timeline DROP CONSTRAINT timeline_on_behalf_of_fkey;
ALTER TABLE timeline DROP CONSTRAINT timeline_target_user_fkey;
ALTER TABLE timeline DROP CONSTRAINT timeline_target_inbox_fkey;

CREATE FUNCTION timeline_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT author_id AS id FROM new_rows
                       UNION SELECT target_user FROM new_rows) r
        WHERE r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = r.id)
    ) OR EXISTS (
        SELECT 1 FROM (SELECT on_behalf_of AS id FROM new_rows
                       UNION SELECT target_inbox FROM new_rows) r
        WHERE r.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inboxes i WHERE i.id = r.id)
    ) THEN
        RAISE foreign_key_violation
            USING MESSAGE = 'a timeline row names a person or inbox that does not exist';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER timeline_references AFTER INSERT ON timeline
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION timeline_check_references();

-- A person is named as author or target, an inbox as the one spoken for
-- or as target.
CREATE FUNCTION timeline_keeps_named() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM timeline WHERE CASE TG_TABLE_NAME
            WHEN 'users' THEN OLD.id IN (author_id, target_user)
            ELSE OLD.id IN (on_behalf_of, target_inbox) END) THEN
        RAISE foreign_key_violation
            USING MESSAGE = format('the timeline names this row of %s', TG_TABLE_NAME);
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER users_named_in_timeline BEFORE DELETE ON users
FOR EACH ROW EXECUTE FUNCTION timeline_keeps_named();
CREATE TRIGGER inboxes_named_in_timeline BEFORE DELETE ON inboxes
FOR EACH ROW EXECUTE FUNCTION timeline_keeps_named();
