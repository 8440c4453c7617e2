//! The use cases of careinbox. Each public method of [`Service`] is one use
//! case: it opens one transaction, asks the domain rules, writes the change,
//! its audit entry (R16) and its events, and commits. Reads of conversation
//! content are recorded in the audit log before they are answered.

mod accounts;
mod conversations;
pub mod events;
mod inboxes;
mod password;
pub mod realtime;
mod throttle;
mod writer;

use careinbox_domain::{Error, UserId};
use careinbox_storage::{AuditEntry, Durability, Store, Tx, now_us};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use std::time::Duration;

pub use accounts::{Me, NewAccount};
pub use careinbox_storage as storage;
pub use conversations::{ConversationDetail, NewConversation, NewParticipant, Page};
pub use events::Event;
pub use inboxes::InboxChanges;

/// Who is asking: the authenticated professional and where the request came
/// from (for the audit log).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserId,
    pub instance_admin: bool,
    pub ip: Option<String>,
}

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a login session lasts.
    pub session_seconds: i64,
    /// The largest page a listing returns.
    pub max_page_size: u32,
    /// Open event streams allowed per user on one node.
    pub max_streams_per_user: usize,
    /// How long the event log keeps events for reconnecting streams.
    pub event_retention: Duration,
    /// Failed logins per email address and per client address in 15
    /// minutes before further attempts are refused; 0 lifts the limit.
    pub max_failed_logins: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_seconds: 12 * 3600,
            max_page_size: 100,
            max_streams_per_user: 10,
            event_retention: Duration::from_secs(24 * 3600),
            max_failed_logins: 10,
        }
    }
}

/// The application's use cases over one database.
#[derive(Clone)]
pub struct Service {
    store: Store,
    settings: Settings,
    hub: Arc<realtime::Hub>,
    /// The group-commit writer, on SQLite.
    writer: Option<writer::Writer>,
    logins: Arc<throttle::LoginThrottle>,
}

impl Service {
    pub fn new(store: Store, settings: Settings) -> Self {
        let hub = Arc::new(realtime::Hub::new(settings.max_streams_per_user));
        let writer = store
            .single_writer()
            .then(|| writer::Writer::start(store.clone(), hub.clone()));
        let logins = Arc::new(throttle::LoginThrottle::new(settings.max_failed_logins));
        Service {
            store,
            settings,
            hub,
            writer,
            logins,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Starts this node's event pump (call once per node).
    pub fn start_realtime(&self) -> tokio::task::JoinHandle<()> {
        let pump = realtime::pump(
            self.hub.clone(),
            self.store.clone(),
            self.settings.event_retention,
        );
        tokio::spawn(pump)
    }

    /// Opens the caller's event stream, resuming after `last_event_id`.
    pub async fn subscribe(
        &self,
        caller: &Caller,
        last_event_id: Option<i64>,
    ) -> Result<realtime::Subscription, Error> {
        realtime::subscribe(&self.hub, &self.store, caller.user, last_event_id).await
    }

    /// Ends every open stream and stops the pump.
    pub fn stop_realtime(&self) {
        self.hub.close();
    }

    /// Open event streams on this node.
    pub fn stream_count(&self) -> usize {
        self.hub.stream_count()
    }

    /// Whether the database answers.
    pub async fn ready(&self) -> Result<(), Error> {
        self.store.ping().await
    }

    /// Runs a change: its statements, then its events, in one transaction,
    /// answered once the commit made it durable. On SQLite the change joins
    /// the writer's next group commit.
    async fn write<T, F>(&self, body: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<(T, Vec<Event>), Error>>
            + Send
            + 'static,
    {
        self.write_with(Durability::Flushed, body).await
    }

    /// [`Service::write`] with the given durability.
    async fn write_with<T, F>(&self, durability: Durability, body: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, Result<(T, Vec<Event>), Error>>
            + Send
            + 'static,
    {
        match &self.writer {
            Some(writer) => {
                let (done, answer) = tokio::sync::oneshot::channel();
                writer.submit(writer::job(body, durability, done)).await?;
                answer
                    .await
                    .map_err(|_| Error::Internal("the change was lost".into()))?
            }
            None => {
                let mut tx = self.store.write_with(durability).await?;
                let (value, events) = body(&mut tx).await?;
                self.commit(tx, events).await?;
                Ok(value)
            }
        }
    }

    /// [`Service::write`] for a change made by `caller`, who is handed to
    /// the change alongside the transaction.
    async fn write_as<T, F>(&self, caller: &Caller, body: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx, &'t Caller) -> BoxFuture<'t, Result<(T, Vec<Event>), Error>>
            + Send
            + 'static,
    {
        let caller = caller.clone();
        self.write(move |tx| Box::pin(async move { body(tx, &caller).await }))
            .await
    }

    /// Records the use case's events in the event log, commits, and wakes
    /// this node's event pump, which on PostgreSQL numbers them into the
    /// log (see `Store::sequence_events`).
    async fn commit(&self, mut tx: Tx, events: Vec<Event>) -> Result<(), Error> {
        events::record(&events, &mut tx).await?;
        tx.commit().await?;
        if !events.is_empty() {
            self.hub.wake();
        }
        Ok(())
    }

    /// Records a read of conversation content (R16) in its own short
    /// transaction, after the read succeeded and before it is answered. The
    /// entry is committed before the answer leaves; it reaches the disk
    /// within `writer::FLUSH_WITHIN` (SQLite) or the WAL writer's delay
    /// (PostgreSQL), not before: a read changes nothing a crash could lose
    /// but its record, and waiting for the disk on every read would make
    /// reading as slow as the disk.
    async fn audit_read(&self, entry: AuditEntry) -> Result<(), Error> {
        self.write_with(Durability::Deferred, move |tx| {
            Box::pin(async move {
                tx.insert_audit(&entry, now_us()).await?;
                Ok(((), vec![]))
            })
        })
        .await
    }

    /// A page size within 1..=max (default 50); 0 is a client error.
    fn page_size(&self, requested: Option<u32>) -> Result<i64, Error> {
        match requested {
            None => Ok(50.min(self.settings.max_page_size) as i64),
            Some(0) => Err(Error::Malformed("limit must be at least 1".into())),
            Some(n) => Ok(n.min(self.settings.max_page_size) as i64),
        }
    }
}

/// An audit entry by `caller` with the fields that are always the same.
fn audit(caller: &Caller, action: &'static str, object_type: &'static str) -> AuditEntry {
    audit_entry(Some(caller.user), caller.ip.clone(), action, object_type)
}

fn audit_entry(
    actor: Option<UserId>,
    ip: Option<String>,
    action: &'static str,
    object_type: &'static str,
) -> AuditEntry {
    AuditEntry {
        actor,
        action,
        object_type,
        object_id: None,
        team: None,
        inbox: None,
        conversation: None,
        subject_user: None,
        ip,
        outcome: "success",
    }
}

/// Parses a page cursor given out earlier (a sequence number).
pub fn parse_cursor(raw: Option<&str>) -> Result<Option<i64>, Error> {
    match raw {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| Error::Malformed("cursor is not one this server gave out".into())),
    }
}
