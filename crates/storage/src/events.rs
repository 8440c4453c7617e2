//! The durable event log behind the realtime stream: appended in the
//! transaction of each change, read in order by every node, replayed to a
//! reconnecting stream, and pruned after a retention window.

use std::collections::HashMap;

use careinbox_domain::{ConversationId, Error, InboxId, UserId};
use uuid::Uuid;

use crate::{EventRow, Store, Tx, TxInner, db, db_sqlx};

/// The PostgreSQL channel on which a move of events into the log wakes
/// every node.
pub const EVENTS_CHANNEL: &str = "careinbox_events";

type EventTuple = (
    i64,
    i64,
    String,
    Option<Uuid>,
    Option<Uuid>,
    Option<Uuid>,
    String,
);

fn event_row((seq, at, kind, conversation, inbox, user, data): EventTuple) -> EventRow {
    EventRow {
        seq,
        at,
        kind,
        conversation: conversation.map(ConversationId),
        inbox: inbox.map(InboxId),
        user: user.map(UserId),
        data,
    }
}

/// Who receives events about some conversations and inboxes, right now.
#[derive(Debug, Default)]
pub struct Audience {
    pub participants: HashMap<ConversationId, Vec<UserId>>,
    pub members: HashMap<InboxId, Vec<UserId>>,
}

/// One event to append to the log.
#[derive(Debug)]
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub conversation: Option<ConversationId>,
    pub inbox: Option<InboxId>,
    pub user: Option<UserId>,
    pub data: String,
    pub at: i64,
}

/// The most queued events [`Store::sequence_events`] moves per transaction.
const SEQUENCE_BATCH: u64 = 10_000;

impl Tx {
    /// Appends a change's events, in their order. SQLite has one writer, so
    /// the order of its inserts is the order of its commits and events go
    /// straight into the log. On PostgreSQL, where concurrent transactions
    /// commit in any order, they go into `event_queue` in one statement,
    /// without a lock; [`Store::sequence_events`] numbers them into the log
    /// after they committed.
    pub async fn append_events(&mut self, events: &[NewEvent<'_>]) -> Result<(), Error> {
        if events.is_empty() {
            return Ok(());
        }
        if let TxInner::Postgres(tx) = &mut self.inner {
            let sql = "INSERT INTO event_queue (at, kind, conversation_id, inbox_id, user_id, data)
                SELECT at, kind, conversation_id, inbox_id, user_id, data
                FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::UUID[], $4::UUID[], $5::UUID[], $6::TEXT[])
                  WITH ORDINALITY AS e (at, kind, conversation_id, inbox_id, user_id, data, n)
                ORDER BY n";
            sqlx::query(sql)
                .bind(events.iter().map(|e| e.at).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.kind).collect::<Vec<_>>())
                .bind(
                    events
                        .iter()
                        .map(|e| e.conversation.map(|c| c.0))
                        .collect::<Vec<_>>(),
                )
                .bind(
                    events
                        .iter()
                        .map(|e| e.inbox.map(|i| i.0))
                        .collect::<Vec<_>>(),
                )
                .bind(
                    events
                        .iter()
                        .map(|e| e.user.map(|u| u.0))
                        .collect::<Vec<_>>(),
                )
                .bind(events.iter().map(|e| e.data.as_str()).collect::<Vec<_>>())
                .execute(&mut **tx)
                .await
                .map_err(db_sqlx)?;
            return Ok(());
        }
        let sql = "INSERT INTO events (at, kind, conversation_id, inbox_id, user_id, data)
            VALUES ($1, $2, $3, $4, $5, $6)";
        for e in events {
            self.query(sql)
                .bind(e.at)
                .bind(e.kind)
                .bind(e.conversation.map(|c| c.0))
                .bind(e.inbox.map(|i| i.0))
                .bind(e.user.map(|u| u.0))
                .bind(e.data.as_str())
                .execute()
                .await
                .map_err(db)?;
        }
        Ok(())
    }

    /// Events after `after_seq`, oldest first: what a node dispatches next.
    pub async fn events_after(
        &mut self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<EventRow>, Error> {
        let sql = "SELECT seq, at, kind, conversation_id, inbox_id, user_id, data FROM events
            WHERE seq > $1 ORDER BY seq LIMIT $2";
        let rows: Vec<EventTuple> = self
            .query(sql)
            .bind(after_seq)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(event_row).collect())
    }

    /// The events after `after_seq` that `user` may receive now (the rules
    /// of the realtime module): addressed to them, about a conversation they
    /// participate in, or about an inbox they are a member of. Used to replay what a reconnecting stream missed.
    pub async fn events_for_user(
        &mut self,
        user: UserId,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<EventRow>, Error> {
        let sql = "SELECT seq, at, kind, conversation_id, inbox_id, user_id, data FROM events e
            WHERE e.seq > $2 AND (
              e.user_id = $1
              OR (e.user_id IS NULL AND e.conversation_id IN
                  (SELECT conversation_id FROM participations WHERE user_id = $1))
              OR (e.conversation_id IS NULL
                  AND e.inbox_id IN (SELECT inbox_id FROM inbox_members WHERE user_id = $1)))
            ORDER BY e.seq LIMIT $3";
        let rows: Vec<EventTuple> = self
            .query(sql)
            .bind(user.0)
            .bind(after_seq)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(event_row).collect())
    }

    /// The newest event's seq, and the seq through which the log was pruned.
    pub async fn event_log_bounds(&mut self) -> Result<(i64, i64), Error> {
        let sql = "SELECT COALESCE((SELECT MAX(seq) FROM events), 0),
            (SELECT pruned_through FROM event_log_state WHERE id = 1)";
        self.query(sql).fetch_one().await.map_err(db)
    }

    /// Deletes events older than `before` (microseconds) and remembers how
    /// far the log now starts.
    pub async fn prune_events(&mut self, before: i64) -> Result<u64, Error> {
        let through = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE at < $1";
        let mark = "UPDATE event_log_state SET pruned_through = $1
            WHERE id = 1 AND pruned_through < $1";
        let delete = "DELETE FROM events WHERE seq <= $1";
        let seq: i64 = self.query(through).bind(before).scalar().await?;
        if seq == 0 {
            return Ok(0);
        }
        self.query(mark).bind(seq).execute().await?;
        Ok(self.query(delete).bind(seq).execute().await?)
    }

    /// The current participants of `conversations` and members of `inboxes`,
    /// in two queries whatever their number.
    pub async fn audience(
        &mut self,
        conversations: &[ConversationId],
        inboxes: &[InboxId],
    ) -> Result<Audience, Error> {
        let mut audience = Audience::default();
        if !conversations.is_empty() {
            let sql = format!(
                "SELECT DISTINCT conversation_id, user_id FROM participations
                 WHERE conversation_id IN ({})",
                crate::placeholders(1, conversations.len())
            );
            let mut q = self.query(&sql);
            for id in conversations {
                q = q.bind(id.0);
            }
            let rows: Vec<(Uuid, Uuid)> = q.fetch_all().await.map_err(db)?;
            for (conversation, user) in rows {
                audience
                    .participants
                    .entry(ConversationId(conversation))
                    .or_default()
                    .push(UserId(user));
            }
        }
        if !inboxes.is_empty() {
            let sql = format!(
                "SELECT inbox_id, user_id FROM inbox_members WHERE inbox_id IN ({})",
                crate::placeholders(1, inboxes.len())
            );
            let mut q = self.query(&sql);
            for id in inboxes {
                q = q.bind(id.0);
            }
            let rows: Vec<(Uuid, Uuid)> = q.fetch_all().await.map_err(db)?;
            for (inbox, user) in rows {
                audience
                    .members
                    .entry(InboxId(inbox))
                    .or_default()
                    .push(UserId(user));
            }
        }
        Ok(audience)
    }
}

impl Store {
    /// Moves the committed events waiting in PostgreSQL's `event_queue`
    /// into the log, oldest first, numbering them as they arrive there, and
    /// wakes every node when it moved any; returns how many it moved. One
    /// caller at a time does this, under an advisory lock held until its
    /// commit (which PostgreSQL makes visible before it releases the lock),
    /// so seqs become visible in increasing order and no reader following
    /// the log passes one that has yet to appear. A change that commits
    /// while a move runs is moved by the next. `node` names the caller's
    /// node in the wake-up, so that it does not wake itself. Nothing to do
    /// on SQLite.
    pub async fn sequence_events(&self, node: &str) -> Result<u64, Error> {
        let Store::Postgres(pool) = self else {
            return Ok(0);
        };
        // Most calls find nothing to do (a stream opening, a poll): one
        // read says so without taking the lock. A queue seen empty holds
        // nothing that committed before this call began, since a move
        // deletes rows in the transaction that numbers them.
        let waiting: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM event_queue)")
            .fetch_one(pool)
            .await
            .map_err(db_sqlx)?;
        if !waiting {
            return Ok(0);
        }
        let mut total = 0;
        loop {
            let mut tx = pool.begin().await.map_err(db_sqlx)?;
            // Taken before the move's statement starts, so that its
            // snapshot holds everything committed before the lock was won.
            sqlx::query("SELECT pg_advisory_xact_lock(7513)")
                .execute(&mut *tx)
                .await
                .map_err(db_sqlx)?;
            let sql = "WITH moved AS (
                  DELETE FROM event_queue WHERE id IN
                    (SELECT id FROM event_queue ORDER BY id LIMIT $1)
                  RETURNING id, at, kind, conversation_id, inbox_id, user_id, data)
                INSERT INTO events (at, kind, conversation_id, inbox_id, user_id, data)
                SELECT at, kind, conversation_id, inbox_id, user_id, data FROM moved ORDER BY id";
            let moved = sqlx::query(sql)
                .bind(SEQUENCE_BATCH as i64)
                .execute(&mut *tx)
                .await
                .map_err(db_sqlx)?
                .rows_affected();
            if moved > 0 {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(EVENTS_CHANNEL)
                    .bind(node)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_sqlx)?;
            }
            tx.commit().await.map_err(db_sqlx)?;
            total += moved;
            if moved < SEQUENCE_BATCH {
                return Ok(total);
            }
        }
    }

    /// On PostgreSQL, a channel that receives a unit each time another node
    /// than `node` moved events into the log (see
    /// [`Store::sequence_events`]); `None` on SQLite, where all writers are
    /// in this process.
    pub async fn event_wakeups(
        &self,
        node: &str,
    ) -> Result<Option<tokio::sync::mpsc::Receiver<()>>, Error> {
        let Store::Postgres(pool) = self else {
            return Ok(None);
        };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool)
            .await
            .map_err(db_sqlx)?;
        listener.listen(EVENTS_CHANNEL).await.map_err(db_sqlx)?;
        let (wake, wakeups) = tokio::sync::mpsc::channel(1);
        let node = node.to_owned();
        // The task ends when the receiver is dropped (the pump stopped), so
        // that its connection goes back and the pool can close on shutdown.
        tokio::spawn(async move {
            loop {
                let notified = tokio::select! {
                    _ = wake.closed() => break,
                    notified = listener.recv() => notified,
                };
                match notified {
                    Ok(n) if n.payload() == node => {}
                    Ok(_) => {
                        let _ = wake.try_send(());
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "lost the event notification connection; reconnecting");
                        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                    }
                }
            }
        });
        Ok(Some(wakeups))
    }
}
