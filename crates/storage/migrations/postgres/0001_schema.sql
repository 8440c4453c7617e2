-- careinbox schema for the PostgreSQL backend.
--
-- Conventions shared with the SQLite schema, so that one SQL text runs on
-- both: ids are UUIDs, times are BIGINT microseconds since the Unix epoch,
-- booleans are BOOLEAN. The reasoning behind each index is written next to
-- it in the SQLite schema; the indexes here are the same.

CREATE TABLE users (
    id UUID PRIMARY KEY NOT NULL,
    -- Lower-cased on the way in, so the unique index makes emails
    -- case-insensitive without a function index.
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    profession TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    instance_admin BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);

-- Login sessions. Only a SHA-256 hash of the bearer token is stored, so a
-- copy of the database does not hand out sessions.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE teams (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id UUID NOT NULL REFERENCES teams (id),
    user_id UUID NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    PRIMARY KEY (team_id, user_id)
);
-- "Which teams is this user in" is asked on every start and every /me.
CREATE INDEX team_members_by_user ON team_members (user_id, team_id);

CREATE TABLE networks (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE network_teams (
    network_id UUID NOT NULL REFERENCES networks (id),
    team_id UUID NOT NULL REFERENCES teams (id),
    PRIMARY KEY (network_id, team_id)
);
CREATE INDEX network_teams_by_team ON network_teams (team_id, network_id);

CREATE TABLE inboxes (
    id UUID PRIMARY KEY NOT NULL,
    team_id UUID NOT NULL REFERENCES teams (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    guidelines TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX inboxes_by_team ON inboxes (team_id);

CREATE TABLE inbox_members (
    inbox_id UUID NOT NULL REFERENCES inboxes (id),
    user_id UUID NOT NULL REFERENCES users (id),
    manager BOOLEAN NOT NULL DEFAULT FALSE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (inbox_id, user_id)
);
CREATE INDEX inbox_members_by_user ON inbox_members (user_id, inbox_id);

CREATE TABLE conversations (
    id UUID PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    started_by UUID NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    -- Sequence number and time of the newest message; views sort by the
    -- sequence number, which is unique, so it doubles as a page cursor.
    last_message_seq BIGINT NOT NULL,
    last_message_at BIGINT NOT NULL
);

-- Messages and system events in one ordered list. `seq` is global and
-- increasing, which gives every timeline a total order and every view a
-- unique sort key. Messages have a UUID (clients point at them to move
-- their read position); system events are addressed by seq alone.
CREATE TABLE timeline (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id UUID NOT NULL REFERENCES conversations (id),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'event')),
    message_id UUID UNIQUE,
    author_id UUID REFERENCES users (id),
    on_behalf_of UUID REFERENCES inboxes (id),
    body TEXT,
    event TEXT,
    target_user UUID REFERENCES users (id),
    target_inbox UUID REFERENCES inboxes (id),
    at BIGINT NOT NULL
);
-- Timeline pages: one conversation, in seq order, from a cursor.
CREATE INDEX timeline_by_conversation ON timeline (conversation_id, seq);

-- Inboxes that are parties of a conversation (R8: at most once each).
-- Professionals who are parties are the direct participations.
CREATE TABLE conversation_inboxes (
    conversation_id UUID NOT NULL REFERENCES conversations (id),
    inbox_id UUID NOT NULL REFERENCES inboxes (id),
    added_by UUID NOT NULL REFERENCES users (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, inbox_id)
);
CREATE INDEX conversation_inboxes_by_inbox ON conversation_inboxes (inbox_id);

-- One row per participation: a professional's access to a conversation from
-- one source (`via_inbox` NULL for direct). A professional may hold several
-- (direct and via an inbox, or via two inboxes); R6 removes exactly the rows
-- of one source.
--
-- Each row is also the professional's entry in one view (personal for
-- direct rows, inbox X for rows via X), so the view state lives here:
-- `archived` (R9 keeps it equal for all rows via X of one conversation, R10
-- per person), `last_message_seq` (copied from the conversation on every
-- message) and `last_read_seq` (equal on all rows of one person and
-- conversation). Copying these costs a few row writes per message (one per
-- participation) and buys views that never join or scan.
CREATE TABLE participations (
    conversation_id UUID NOT NULL REFERENCES conversations (id),
    user_id UUID NOT NULL REFERENCES users (id),
    via_inbox UUID REFERENCES inboxes (id),
    added_at BIGINT NOT NULL,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    last_message_seq BIGINT NOT NULL,
    last_read_seq BIGINT NOT NULL DEFAULT 0
);
-- At most one participation per source. NULLs are distinct in a UNIQUE
-- index, so the direct source gets its own partial index.
CREATE UNIQUE INDEX participations_via ON participations (conversation_id, user_id, via_inbox)
    WHERE via_inbox IS NOT NULL;
CREATE UNIQUE INDEX participations_direct ON participations (conversation_id, user_id)
    WHERE via_inbox IS NULL;
-- A view page: equality on (user, inbox, archived), then the rows come out
-- of the index already in newest-activity order, so the first 50 of an inbox
-- view holding 1,000,000 conversations read 50 index entries, not 1,000,000.
CREATE INDEX participations_view
    ON participations (user_id, via_inbox, archived, last_message_seq DESC);
-- Unread counts per view: a partial index holding only the unread, active
-- rows, so counting reads just those rows.
CREATE INDEX participations_unread ON participations (user_id, via_inbox)
    WHERE last_message_seq > last_read_seq AND NOT archived;
-- R6 at scale: removing a member finds all their rows via one inbox through
-- participations_view's prefix (user_id, via_inbox).

-- The append-only audit log (R16, NEN 7513): who did what to which object,
-- when, from where, and with what outcome. Written in the transaction of the
-- change it records. No UPDATE or DELETE ever touches it (the triggers below
-- refuse them).
CREATE TABLE audit_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id UUID,
    team_id UUID,
    inbox_id UUID,
    conversation_id UUID,
    subject_user UUID,
    ip TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX audit_by_team ON audit_log (team_id, seq) WHERE team_id IS NOT NULL;
CREATE INDEX audit_by_inbox ON audit_log (inbox_id, seq) WHERE inbox_id IS NOT NULL;
CREATE INDEX audit_by_conversation ON audit_log (conversation_id, seq)
    WHERE conversation_id IS NOT NULL;
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The durable event log behind the realtime stream: one row per change that
-- a user's screen should follow. Audience columns say who may receive it:
-- participants of `conversation_id`, members of `inbox_id`, or `user_id`.
CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    conversation_id UUID,
    inbox_id UUID,
    user_id UUID,
    data TEXT NOT NULL
);
