//! Realtime delivery (SPEC section 5). Every change writes its events to the
//! durable event log in its own transaction. One pump per node follows that
//! log in seq order, woken by local commits and, on PostgreSQL, by NOTIFY
//! from other nodes, and hands each event to the open streams of the users
//! who may see it *now*. An event that names a user is for that user (and,
//! when it names an inbox but no conversation, for the inbox's members); one
//! that names only a conversation is for its participants; one that names
//! only an inbox is for the inbox's members. Because the audience is read from the
//! database after the change committed, a professional removed from an inbox
//! (R6) stops receiving that inbox's conversations at once.
//!
//! On PostgreSQL a change queues its events and the pump that wakes first
//! numbers them into the log (`Store::sequence_events`); any node's pump
//! does it, so the events of a node that stopped right after its commit are
//! numbered by another node's next poll.
//!
//! A stream that reconnects with `Last-Event-ID` gets what it missed from
//! the log; one too far behind (pruned, or more than [`MAX_REPLAY`] events)
//! gets a `reset` telling it to reload.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use careinbox_domain::{Error, UserId};
use careinbox_storage::{EventRow, Store, now_us};
use tokio::sync::{Notify, mpsc};

/// Events a reconnecting stream may catch up on before it must reload.
pub const MAX_REPLAY: i64 = 1000;
/// Events buffered per stream; a stream that falls further behind is closed
/// and its client resumes with `Last-Event-ID`.
const STREAM_BUFFER: usize = 512;
/// How often the pump looks at the log when nothing woke it.
const POLL: Duration = Duration::from_secs(1);

/// What a stream sends.
#[derive(Debug, Clone)]
pub enum StreamItem {
    Event(Arc<EventRow>),
    /// The client missed events that can no longer be replayed: reload.
    Reset,
}

struct Subscriber {
    id: u64,
    sender: mpsc::Sender<StreamItem>,
}

/// The open streams of this node.
pub struct Hub {
    subscribers: Mutex<HashMap<UserId, Vec<Subscriber>>>,
    next_id: AtomicU64,
    wake: Notify,
    closed: AtomicBool,
    max_per_user: usize,
    /// Names this node in the wake-ups it sends other nodes (PostgreSQL).
    node: String,
}

impl Hub {
    pub fn new(max_per_user: usize) -> Self {
        Hub {
            subscribers: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            wake: Notify::new(),
            closed: AtomicBool::new(false),
            max_per_user,
            node: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// Tells the pump that a local transaction committed events.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Open streams on this node.
    pub fn stream_count(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    /// Ends every stream and stops the pump (server shutdown).
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.lock().clear();
        self.wake.notify_one();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, Vec<Subscriber>>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn register(
        self: &Arc<Self>,
        user: UserId,
    ) -> Result<(u64, mpsc::Receiver<StreamItem>), Error> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(Error::Internal("the server is shutting down".into()));
        }
        let mut subscribers = self.lock();
        let mine = subscribers.entry(user).or_default();
        if mine.len() >= self.max_per_user {
            return Err(Error::RateLimited);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = mpsc::channel(STREAM_BUFFER);
        mine.push(Subscriber { id, sender });
        Ok((id, receiver))
    }

    fn unregister(&self, user: UserId, id: u64) {
        let mut subscribers = self.lock();
        if let Some(mine) = subscribers.get_mut(&user) {
            mine.retain(|s| s.id != id);
            if mine.is_empty() {
                subscribers.remove(&user);
            }
        }
    }

    fn subscribed_users(&self) -> HashSet<UserId> {
        self.lock().keys().copied().collect()
    }

    /// Hands one event to every stream of `users`; a stream whose buffer is
    /// full is closed rather than allowed to hold the pump up.
    fn deliver(&self, event: &Arc<EventRow>, users: &HashSet<UserId>) {
        let mut subscribers = self.lock();
        for user in users {
            if let Some(mine) = subscribers.get_mut(user) {
                mine.retain(|s| s.sender.try_send(StreamItem::Event(event.clone())).is_ok());
            }
        }
        subscribers.retain(|_, mine| !mine.is_empty());
    }
}

/// One open stream: replayed events first, then live ones, each once.
pub struct Subscription {
    hub: Arc<Hub>,
    user: UserId,
    id: u64,
    replay: VecDeque<StreamItem>,
    live: mpsc::Receiver<StreamItem>,
    /// The highest seq already sent; live events at or below it are skipped.
    floor: i64,
}

impl Subscription {
    /// The next item, or `None` when the stream was closed.
    pub async fn next(&mut self) -> Option<StreamItem> {
        if let Some(item) = self.replay.pop_front() {
            if let StreamItem::Event(e) = &item {
                self.floor = self.floor.max(e.seq);
            }
            return Some(item);
        }
        loop {
            let item = self.live.recv().await?;
            match &item {
                StreamItem::Event(e) if e.seq <= self.floor => continue,
                StreamItem::Event(e) => self.floor = e.seq,
                StreamItem::Reset => {}
            }
            return Some(item);
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.unregister(self.user, self.id);
    }
}

/// Opens a stream for `user`, resuming after `last_event_id` when given.
pub(crate) async fn subscribe(
    hub: &Arc<Hub>,
    store: &Store,
    user: UserId,
    last_event_id: Option<i64>,
) -> Result<Subscription, Error> {
    let (id, live) = hub.register(user)?;
    let mut subscription = Subscription {
        hub: hub.clone(),
        user,
        id,
        replay: VecDeque::new(),
        live,
        floor: 0,
    };

    // A new stream starts at the present: what committed before it opened
    // is numbered first (PostgreSQL), so that it falls below the floor.
    store.sequence_events(&hub.node).await?;
    let mut tx = store.read().await?;
    let (newest, pruned_through) = tx.event_log_bounds().await?;
    subscription.floor = newest;
    let Some(last) = last_event_id else {
        return Ok(subscription);
    };
    // An id below the pruned part, or one this log never gave out (a
    // client of a restored or other deployment), cannot be resumed from.
    if last < pruned_through || last > newest {
        subscription.replay.push_back(StreamItem::Reset);
        return Ok(subscription);
    }
    let missed = tx.events_for_user(user, last, MAX_REPLAY + 1).await?;
    if missed.len() as i64 > MAX_REPLAY {
        subscription.replay.push_back(StreamItem::Reset);
        return Ok(subscription);
    }
    subscription.floor = last;
    subscription
        .replay
        .extend(missed.into_iter().map(|e| StreamItem::Event(Arc::new(e))));
    Ok(subscription)
}

/// Follows the event log and dispatches to this node's streams until the
/// hub is closed. Also prunes the log past its retention window.
pub(crate) async fn pump(hub: Arc<Hub>, store: Store, retention: Duration) {
    let mut wakeups = match store.event_wakeups(&hub.node).await {
        Ok(w) => w,
        Err(e) => {
            tracing::error!(error = %e, "cannot listen for events of other nodes; polling only");
            None
        }
    };
    let mut last = match store.read().await {
        Ok(mut tx) => tx
            .event_log_bounds()
            .await
            .map(|(newest, _)| newest)
            .unwrap_or(0),
        Err(_) => 0,
    };
    let mut last_prune = std::time::Instant::now();

    while !hub.closed.load(Ordering::SeqCst) {
        let remote = async {
            match wakeups.as_mut() {
                Some(w) => {
                    w.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = hub.wake.notified() => {},
            _ = remote => {},
            _ = tokio::time::sleep(POLL) => {},
        }
        match dispatch_new(&hub, &store, last).await {
            Ok(newest) => last = newest,
            // A database closed under a stopping server is no failure.
            Err(_) if hub.closed.load(Ordering::SeqCst) => break,
            Err(e) => tracing::warn!(error = %e, "event dispatch failed; retrying"),
        }
        if last_prune.elapsed() > Duration::from_secs(60) {
            last_prune = std::time::Instant::now();
            prune(&store, retention).await;
        }
    }
}

/// Dispatches every event after `last`; returns the newest seq handled.
/// First numbers what committed changes queued (PostgreSQL), so that a
/// change of this node reaches its streams without waiting for another.
async fn dispatch_new(hub: &Hub, store: &Store, mut last: i64) -> Result<i64, Error> {
    if let Err(e) = store.sequence_events(&hub.node).await {
        tracing::warn!(error = %e, "numbering queued events failed; retrying");
    }
    loop {
        let mut tx = store.read().await?;
        let batch = tx.events_after(last, 500).await?;
        let Some(newest) = batch.last().map(|e| e.seq) else {
            return Ok(last);
        };
        let listening = hub.subscribed_users();
        if !listening.is_empty() {
            let conversations: Vec<_> = batch.iter().filter_map(|e| e.conversation).collect();
            let inboxes: Vec<_> = batch
                .iter()
                .filter(|e| e.conversation.is_none())
                .filter_map(|e| e.inbox)
                .collect();
            let audience = tx.audience(&conversations, &inboxes).await?;
            drop(tx);
            for event in batch.iter() {
                let mut users: HashSet<UserId> = HashSet::new();
                users.extend(event.user);
                match (event.conversation, event.inbox, event.user) {
                    (Some(c), _, None) => {
                        users.extend(audience.participants.get(&c).into_iter().flatten())
                    }
                    (None, Some(i), _) => {
                        users.extend(audience.members.get(&i).into_iter().flatten())
                    }
                    _ => {}
                }
                users.retain(|u| listening.contains(u));
                if !users.is_empty() {
                    hub.deliver(&Arc::new(event.clone()), &users);
                }
            }
        }
        last = newest;
        if batch.len() < 500 {
            return Ok(last);
        }
    }
}

async fn prune(store: &Store, retention: Duration) {
    let before = now_us() - retention.as_micros() as i64;
    let result = async {
        let mut tx = store.write().await?;
        let n = tx.prune_events(before).await?;
        tx.commit().await?;
        Ok::<_, Error>(n)
    }
    .await;
    match result {
        Ok(0) => {}
        Ok(n) => tracing::info!(pruned = n, "pruned the event log"),
        Err(e) => tracing::warn!(error = %e, "pruning the event log failed"),
    }
}
