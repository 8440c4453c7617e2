//! Events: what changed, for whom. A use case collects them and
//! `Service::commit` writes them to the durable event log in the same
//! transaction, last; the realtime pump delivers them from there.

use careinbox_domain::{ConversationId, Error, InboxId, UserId};
use careinbox_storage::{NewEvent, Tx, now_us};
use serde_json::json;

/// A change that a user's screen should follow.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: &'static str,
    /// Participants of this conversation receive it.
    pub conversation: Option<ConversationId>,
    /// Members of this inbox receive it.
    pub inbox: Option<InboxId>,
    /// This user receives it.
    pub user: Option<UserId>,
    /// For `access_lost`: the conversations the user can no longer see.
    pub lost: Vec<ConversationId>,
    /// For `read`: the user's unread counts per view afterwards (R14).
    pub unread: Option<serde_json::Value>,
}

impl Event {
    pub fn new(kind: &'static str) -> Self {
        Event {
            kind,
            conversation: None,
            inbox: None,
            user: None,
            lost: Vec::new(),
            unread: None,
        }
    }

    pub fn conversation(mut self, id: ConversationId) -> Self {
        self.conversation = Some(id);
        self
    }

    pub fn inbox(mut self, id: InboxId) -> Self {
        self.inbox = Some(id);
        self
    }

    pub fn user(mut self, id: UserId) -> Self {
        self.user = Some(id);
        self
    }

    /// The JSON data a stream sends: the ids the event concerns.
    fn data(&self) -> serde_json::Value {
        let mut data = json!({});
        if let Some(c) = self.conversation {
            data["conversation"] = json!(c);
        }
        if let Some(i) = self.inbox {
            data["inbox"] = json!(i);
        }
        if let Some(u) = self.user {
            data["user"] = json!(u);
        }
        if let Some(unread) = &self.unread {
            data["unread"] = unread.clone();
        }
        if !self.lost.is_empty() {
            // A removal at scale loses many conversations; the ids of a few
            // let a screen update in place, a count tells it to reload.
            data["lost"] = json!(self.lost.len());
            if self.lost.len() <= 100 {
                data["conversations"] = json!(self.lost);
            }
        }
        data
    }
}

/// Writes a change's events to the log in `tx`, in their order.
pub(crate) async fn record(events: &[Event], tx: &mut Tx) -> Result<(), Error> {
    let at = now_us();
    let rows: Vec<NewEvent> = events
        .iter()
        .map(|e| NewEvent {
            kind: e.kind,
            conversation: e.conversation,
            inbox: e.inbox,
            user: e.user,
            data: e.data().to_string(),
            at,
        })
        .collect();
    tx.append_events(&rows).await
}
