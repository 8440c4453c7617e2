-- Lets participations_via serve every lookup by conversation, as in the
-- SQLite migration of the same name, which explains why. NULLs are
-- distinct in a UNIQUE index here too, so uniqueness is unchanged.
DROP INDEX participations_via;
CREATE UNIQUE INDEX participations_via ON participations (conversation_id, user_id, via_inbox);
