//! Events: what changed, for whom. Written to the durable event log in the
//! transaction of the change, and handed to this node's listeners after the
//! commit.

use careinbox_domain::{ConversationId, Error, InboxId, UserId};
use careinbox_storage::{Tx, now_us};
use serde_json::json;

/// One committed change that a user's screen should follow.
#[derive(Debug, Clone)]
pub struct Event {
    pub seq: i64,
    pub kind: &'static str,
    /// Participants of this conversation receive it.
    pub conversation: Option<ConversationId>,
    /// Members of this inbox receive it.
    pub inbox: Option<InboxId>,
    /// This user receives it.
    pub user: Option<UserId>,
    /// For `access_lost`: the conversations the user can no longer see.
    pub lost: Vec<ConversationId>,
    pub data: serde_json::Value,
}

impl Event {
    pub fn new(kind: &'static str) -> Self {
        Event { seq: 0, kind, conversation: None, inbox: None, user: None, lost: Vec::new(), data: json!({}) }
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

    /// Writes the event to the log in `tx` and returns it with its seq.
    pub(crate) async fn record(mut self, tx: &mut Tx) -> Result<Event, Error> {
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
        if !self.lost.is_empty() {
            // A removal at scale loses many conversations; the ids of a few
            // let a screen update in place, a count tells it to reload.
            data["lost"] = json!(self.lost.len());
            if self.lost.len() <= 100 {
                data["conversations"] = json!(self.lost);
            }
        }
        self.data = data;
        let text = self.data.to_string();
        self.seq = tx
            .insert_event_log(self.kind, self.conversation, self.inbox, self.user, &text, now_us())
            .await?;
        Ok(self)
    }
}
