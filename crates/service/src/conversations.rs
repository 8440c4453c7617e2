//! Conversations: starting one (R2, R3, R4), the hub (R7, R8), messages,
//! archiving (R9, R10), read state (R14) and the views.

use std::collections::HashSet;

use careinbox_domain::rules;
use careinbox_domain::{
    AttachmentId, Conflict, ContentType, ConversationId, Error, FileName, InboxId, MessageBody,
    MessageId, Source, Subject, TeamId, UserId, View,
};
use careinbox_storage::{
    AttachmentRow, ConversationRow, ParticipantRow, PartyInbox, Target, TimelineRow, Tx, ViewOf,
    ViewRow, now_us,
};

use crate::events::Event;
use crate::{Caller, Service, audit};
use serde_json::json;

/// What `POST /api/v1/conversations` asks for, parsed.
#[derive(Debug)]
pub struct NewConversation {
    pub subject: Subject,
    pub body: MessageBody,
    pub users: Vec<UserId>,
    pub inboxes: Vec<InboxId>,
    pub from_inbox: Option<InboxId>,
}

/// Whom to add to a conversation (R7).
#[derive(Debug, Clone, Copy)]
pub enum NewParticipant {
    User(UserId),
    Inbox(InboxId),
}

/// One page of a listing and the cursor of the next, if there is one.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<i64>,
}

/// A conversation with its parties and participants.
#[derive(Debug)]
pub struct ConversationDetail {
    pub conversation: ConversationRow,
    pub inboxes: Vec<PartyInbox>,
    pub participants: Vec<ParticipantRow>,
    /// The caller's own participations, with the state of each view.
    pub mine: Vec<careinbox_storage::OwnParticipation>,
}

impl Service {
    /// R15: the conversation with its parties and participants, for
    /// participants only.
    pub async fn conversation(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<ConversationDetail, Error> {
        let result = self.conversation_unaudited(caller, id).await;
        self.audit_refusal(caller, "conversation.read", id, result)
            .await
    }

    /// The timeline, oldest first, after the cursor (R7: a newly added
    /// participant sees it whole).
    pub async fn timeline(
        &self,
        caller: &Caller,
        id: ConversationId,
        after: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Page<TimelineRow>, Error> {
        let result = self.timeline_unaudited(caller, id, after, limit).await;
        self.audit_refusal(caller, "timeline.read", id, result)
            .await
    }

    pub async fn post_message(
        &self,
        caller: &Caller,
        id: ConversationId,
        body: MessageBody,
    ) -> Result<MessageId, Error> {
        let result = self.post_message_unaudited(caller, id, body).await;
        self.audit_refusal(caller, "message.post", id, result).await
    }

    /// R7, R8: any participant adds a professional or an inbox they could
    /// address; an inbox links its current members (R4).
    pub async fn add_participant(
        &self,
        caller: &Caller,
        id: ConversationId,
        who: NewParticipant,
    ) -> Result<(), Error> {
        let result = self.add_participant_unaudited(caller, id, who).await;
        self.audit_refusal(caller, "conversation.add_participant", id, result)
            .await
    }

    /// R9 (inbox view) and R10 (personal view): archive or restore.
    pub async fn set_archived(
        &self,
        caller: &Caller,
        id: ConversationId,
        view: ViewOf,
        archived: bool,
    ) -> Result<(), Error> {
        let result = self
            .set_archived_unaudited(caller, id, view, archived)
            .await;
        self.audit_refusal(caller, "conversation.archive", id, result)
            .await
    }

    /// R14: moves the caller's read position to `message`.
    pub async fn mark_read(
        &self,
        caller: &Caller,
        id: ConversationId,
        message: MessageId,
    ) -> Result<(), Error> {
        let result = self.mark_read_unaudited(caller, id, message).await;
        self.audit_refusal(caller, "conversation.mark_read", id, result)
            .await
    }

    /// R2, R3, R4: starts a conversation with its first message. Every
    /// addressed inbox links exactly its members of this moment.
    pub async fn start_conversation(
        &self,
        caller: &Caller,
        new: NewConversation,
    ) -> Result<(ConversationId, MessageId), Error> {
        rules::check_recipients(caller.user, &new.users, &new.inboxes)?;
        if new
            .from_inbox
            .is_some_and(|from| new.inboxes.contains(&from))
        {
            return Err(Error::invalid("from_inbox", "is also a recipient"));
        }

        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                let reachable = tx.reachable_teams(caller.user).await?;
                Self::check_users_addressable(tx, &reachable, &new.users).await?;
                let mut all_inboxes = new.inboxes.clone();
                all_inboxes.extend(new.from_inbox);
                let rows = tx.inboxes(&all_inboxes).await?;
                let teams: Vec<TeamId> = new
                    .inboxes
                    .iter()
                    .map(|id| {
                        rows.iter()
                            .find(|r| r.id == *id)
                            .map_or(TeamId(uuid::Uuid::nil()), |r| r.team.id)
                    })
                    .collect();
                rules::check_addressable(&reachable, &teams)?;
                if let Some(from) = new.from_inbox {
                    let member = match rows.iter().find(|r| r.id == from) {
                        Some(row) => tx
                            .inbox_standing(from, row.team.id, caller.user)
                            .await?
                            .member
                            .is_some(),
                        None => false,
                    };
                    if !member {
                        return Err(Error::invalid(
                            "from_inbox",
                            "you are not a member of this inbox",
                        ));
                    }
                }
                if rows.iter().any(|r| !r.active) {
                    return Err(Conflict::InboxDeactivated.into());
                }

                let id = ConversationId::new();
                let now = now_us();
                tx.insert_conversation(id, new.subject.as_str(), caller.user, now)
                    .await?;
                let mut locked = all_inboxes.clone();
                locked.sort();
                for inbox in &locked {
                    tx.lock_inbox(*inbox, false).await?;
                }
                match new.from_inbox {
                    Some(from) => {
                        tx.insert_party_inbox(id, from, caller.user, now).await?;
                        tx.link_inbox_members(id, from, now).await?;
                    }
                    None => {
                        tx.insert_participation(id, caller.user, Source::Direct, now)
                            .await?
                    }
                }
                for user in &new.users {
                    tx.insert_participation(id, *user, Source::Direct, now)
                        .await?;
                }
                for inbox in &new.inboxes {
                    tx.insert_party_inbox(id, *inbox, caller.user, now).await?;
                    tx.link_inbox_members(id, *inbox, now).await?;
                }
                let message = MessageId::new();
                tx.insert_message(
                    id,
                    message,
                    caller.user,
                    new.from_inbox,
                    new.body.as_str(),
                    now,
                )
                .await?;

                let mut entry = audit(caller, "conversation.start", "conversation");
                entry.object_id = Some(id.0);
                entry.conversation = Some(id);
                entry.inbox = new.from_inbox;
                tx.insert_audit(&entry, now).await?;
                let event = Event::new("conversation_started").conversation(id);

                Ok(((id, message), vec![event]))
            })
        })
        .await
    }

    /// R15: the conversation with its parties and participants, for
    /// participants only.
    async fn conversation_unaudited(
        &self,
        caller: &Caller,
        id: ConversationId,
    ) -> Result<ConversationDetail, Error> {
        let mut tx = self.store.read().await?;
        rules::check_participates(&tx.sources(id, caller.user).await?)?;
        let conversation = tx.conversation(id).await?.ok_or(Error::NotFound)?;
        let inboxes = tx.party_inboxes(id).await?;
        let participants = tx.participants(id).await?;
        let mine = tx.own_participations(id, caller.user).await?;
        drop(tx);

        self.audit_read(read_entry(caller, "conversation.read", id))
            .await?;
        Ok(ConversationDetail {
            conversation,
            inboxes,
            mine,
            participants,
        })
    }

    /// The timeline, oldest first, after the cursor (R7: a newly added
    /// participant sees it whole).
    async fn timeline_unaudited(
        &self,
        caller: &Caller,
        id: ConversationId,
        after: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Page<TimelineRow>, Error> {
        let limit = self.page_size(limit)?;
        let mut tx = self.store.read().await?;
        rules::check_participates(&tx.sources(id, caller.user).await?)?;
        let mut items = tx.timeline(id, after.unwrap_or(0), limit + 1).await?;
        drop(tx);

        let next_cursor = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|i| i.seq)
        } else {
            None
        };
        self.audit_read(read_entry(caller, "timeline.read", id))
            .await?;
        Ok(Page { items, next_cursor })
    }

    async fn post_message_unaudited(
        &self,
        caller: &Caller,
        id: ConversationId,
        body: MessageBody,
    ) -> Result<MessageId, Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                rules::check_participates(&tx.sources(id, caller.user).await?)?;
                let message = MessageId::new();
                let now = now_us();
                tx.insert_message(id, message, caller.user, None, body.as_str(), now)
                    .await?;

                let mut entry = read_entry(caller, "message.post", id);
                entry.object_type = "message";
                entry.object_id = Some(message.0);
                tx.insert_audit(&entry, now).await?;
                let event = Event::new("message_created").conversation(id);

                Ok((message, vec![event]))
            })
        })
        .await
    }

    /// R7, R8: any participant adds a professional or an inbox they could
    /// address; an inbox links its current members (R4).
    async fn add_participant_unaudited(
        &self,
        caller: &Caller,
        id: ConversationId,
        who: NewParticipant,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                rules::check_participates(&tx.sources(id, caller.user).await?)?;
                let now = now_us();
                let mut entry = read_entry(caller, "conversation.add_participant", id);
                let target = match who {
                    NewParticipant::User(user) => {
                        let reachable = tx.reachable_teams(caller.user).await?;
                        Self::check_users_addressable(tx, &reachable, &[user]).await?;
                        rules::check_not_participant(&tx.sources(id, user).await?)?;
                        tx.insert_participation(id, user, Source::Direct, now)
                            .await?;
                        entry.subject_user = Some(user);
                        Target::User(user)
                    }
                    NewParticipant::Inbox(inbox) => {
                        let row = tx.inbox(inbox).await?;
                        let team = row
                            .as_ref()
                            .map_or(TeamId(uuid::Uuid::nil()), |r| r.team.id);
                        rules::check_addressable(&tx.reachable_teams(caller.user).await?, &[team])?;
                        if row.is_some_and(|r| !r.active) {
                            return Err(Conflict::InboxDeactivated.into());
                        }
                        tx.lock_inbox(inbox, false).await?;
                        tx.insert_party_inbox(id, inbox, caller.user, now).await?;
                        tx.link_inbox_members(id, inbox, now).await?;
                        entry.inbox = Some(inbox);
                        Target::Inbox(inbox)
                    }
                };
                let kind = match target {
                    Target::User(_) => "participant_added",
                    Target::Inbox(_) => "inbox_added",
                };
                tx.insert_event(id, kind, Some(caller.user), target, now)
                    .await?;
                tx.insert_audit(&entry, now).await?;
                let event = Event::new("participants_changed").conversation(id);

                Ok(((), vec![event]))
            })
        })
        .await
    }

    /// R9 (inbox view) and R10 (personal view): archive or restore.
    async fn set_archived_unaudited(
        &self,
        caller: &Caller,
        id: ConversationId,
        view: ViewOf,
        archived: bool,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                let sources = tx.sources(id, caller.user).await?;
                match view {
                    ViewOf::Inbox(inbox) => rules::check_may_archive_in_inbox(&sources, inbox)?,
                    ViewOf::Personal => rules::check_may_archive_personally(&sources)?,
                }
                tx.set_archived(id, view, caller.user, archived).await?;

                let action = if archived {
                    "conversation.archive"
                } else {
                    "conversation.unarchive"
                };
                let mut entry = read_entry(caller, action, id);
                let mut event =
                    Event::new(if archived { "archived" } else { "unarchived" }).conversation(id);
                match view {
                    ViewOf::Inbox(inbox) => {
                        entry.inbox = Some(inbox);
                        event = event.inbox(inbox);
                    }
                    ViewOf::Personal => event = event.user(caller.user),
                }
                tx.insert_audit(&entry, now_us()).await?;

                Ok(((), vec![event]))
            })
        })
        .await
    }

    /// R14: moves the caller's read position to `message`.
    async fn mark_read_unaudited(
        &self,
        caller: &Caller,
        id: ConversationId,
        message: MessageId,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                rules::check_participates(&tx.sources(id, caller.user).await?)?;
                let seq = tx.message_seq(id, message).await?.ok_or_else(|| {
                    Error::invalid("message", "not a message of this conversation")
                })?;
                tx.mark_read(id, caller.user, seq).await?;
                tx.insert_audit(&read_entry(caller, "conversation.mark_read", id), now_us())
                    .await?;
                // The reader's other screens update their badges from this.
                let counts = tx.unread_counts(caller.user).await?;
                let mut unread = json!({ "personal": 0, "inboxes": {} });
                for (view, n) in counts {
                    match view {
                        Some(inbox) => unread["inboxes"][inbox.to_string()] = json!(n),
                        None => unread["personal"] = json!(n),
                    }
                }
                let mut event = Event::new("read").conversation(id).user(caller.user);
                event.unread = Some(unread);

                Ok(((), vec![event]))
            })
        })
        .await
    }

    /// An inbox's view for a member of it: conversations they participate in
    /// via the inbox, newest activity first.
    pub async fn inbox_view(
        &self,
        caller: &Caller,
        inbox: InboxId,
        view: View,
        cursor: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Page<ViewRow>, Error> {
        let limit = self.page_size(limit)?;
        let archived = match view {
            View::Active => false,
            View::Archived => true,
            View::All => {
                return Err(Error::invalid(
                    "view",
                    "an inbox view is active or archived",
                ));
            }
        };
        let mut tx = self.store.read().await?;
        let (_, access) = Self::inbox_access(&mut tx, caller, inbox).await?;
        access.check_see_view()?;
        let rows = tx
            .view_page(
                caller.user,
                ViewOf::Inbox(inbox),
                archived,
                cursor.unwrap_or(i64::MAX),
                limit + 1,
            )
            .await?;
        let page = page(&mut tx, rows, limit).await?;
        drop(tx);

        let mut entry = audit(caller, "inbox.view", "inbox");
        entry.object_id = Some(inbox.0);
        entry.inbox = Some(inbox);
        self.audit_read(entry).await?;
        Ok(page)
    }

    /// The personal view: direct participations, or with `View::All`
    /// every conversation by any source.
    pub async fn personal_view(
        &self,
        caller: &Caller,
        view: View,
        cursor: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Page<ViewRow>, Error> {
        let limit = self.page_size(limit)?;
        let before = cursor.unwrap_or(i64::MAX);
        let mut tx = self.store.read().await?;
        let rows = match view {
            View::Active => {
                tx.view_page(caller.user, ViewOf::Personal, false, before, limit + 1)
                    .await?
            }
            View::Archived => {
                tx.view_page(caller.user, ViewOf::Personal, true, before, limit + 1)
                    .await?
            }
            View::All => tx.all_page(caller.user, before, limit + 1).await?,
        };
        let page = page(&mut tx, rows, limit).await?;
        drop(tx);

        self.audit_read(audit(caller, "personal.view", "view"))
            .await?;
        Ok(page)
    }

    /// Shares a file in the conversation: a message naming the file, with
    /// the file attached. Participants only (R15).
    pub async fn post_attachment(
        &self,
        caller: &Caller,
        id: ConversationId,
        name: FileName,
        content_type: ContentType,
        data: Vec<u8>,
    ) -> Result<(MessageId, AttachmentId), Error> {
        if data.is_empty() {
            return Err(Error::invalid("body", "the file is empty"));
        }
        let result = {
            self.write_as(caller, move |tx, caller| {
                Box::pin(async move {
                    rules::check_participates(&tx.sources(id, caller.user).await?)?;
                    let (message, file) = (MessageId::new(), AttachmentId::new());
                    let now = now_us();
                    let seq = tx
                        .insert_message(id, message, caller.user, None, name.as_str(), now)
                        .await?;
                    tx.insert_attachment(
                        file,
                        id,
                        seq,
                        name.as_str(),
                        content_type.as_str(),
                        &data,
                        caller.user,
                        now,
                    )
                    .await?;
                    let mut entry = read_entry(caller, "attachment.upload", id);
                    entry.object_type = "attachment";
                    entry.object_id = Some(file.0);
                    tx.insert_audit(&entry, now).await?;
                    let event = Event::new("message_created").conversation(id);
                    Ok(((message, file), vec![event]))
                })
            })
            .await
        };
        self.audit_refusal(caller, "attachment.upload", id, result)
            .await
    }

    /// A shared file, for participants of its conversation only (R15):
    /// to anyone else it does not exist.
    pub async fn attachment(
        &self,
        caller: &Caller,
        id: AttachmentId,
    ) -> Result<AttachmentRow, Error> {
        let mut tx = self.store.read().await?;
        let file = tx.attachment(id).await?.ok_or(Error::NotFound)?;
        let access = rules::check_participates(&tx.sources(file.conversation, caller.user).await?);
        drop(tx);

        let conversation = file.conversation;
        let file = self
            .audit_refusal(
                caller,
                "attachment.read",
                conversation,
                access.map(|()| file),
            )
            .await?;
        let mut entry = read_entry(caller, "attachment.read", conversation);
        entry.object_type = "attachment";
        entry.object_id = Some(id.0);
        self.audit_read(entry).await?;
        Ok(file)
    }

    /// R2: each user is an active account in a team the caller may address
    /// (`reachable`). Unknown and unreachable users get the same answer.
    async fn check_users_addressable(
        tx: &mut Tx,
        reachable: &HashSet<TeamId>,
        users: &[UserId],
    ) -> Result<(), Error> {
        if users.is_empty() {
            return Ok(());
        }
        let addressable: HashSet<UserId> = tx
            .teams_of_users(users)
            .await?
            .into_iter()
            .filter(|(_, team)| team.is_some_and(|t| reachable.contains(&t)))
            .map(|(user, _)| user)
            .collect();
        if users.iter().all(|u| addressable.contains(u)) {
            Ok(())
        } else {
            Err(Error::invalid(
                "recipients",
                "unknown recipient, or one you cannot address",
            ))
        }
    }
}

impl Service {
    /// R16: a refused attempt on a conversation (not a participant, or not
    /// allowed) is recorded too, with its outcome, and without content.
    async fn audit_refusal<T>(
        &self,
        caller: &Caller,
        action: &'static str,
        id: ConversationId,
        result: Result<T, Error>,
    ) -> Result<T, Error> {
        if let Err(Error::NotFound | Error::Forbidden(_)) = &result {
            let mut entry = read_entry(caller, action, id);
            entry.outcome = "denied";
            self.audit_read(entry).await?;
        }
        result
    }
}

fn read_entry(
    caller: &Caller,
    action: &'static str,
    id: ConversationId,
) -> careinbox_storage::AuditEntry {
    let mut entry = audit(caller, action, "conversation");
    entry.object_id = Some(id.0);
    entry.conversation = Some(id);
    entry
}

/// Cuts a view's rows (fetched one beyond `limit`) to a page, and adds who
/// takes part in each of its conversations, in the same snapshot.
async fn page(tx: &mut Tx, mut rows: Vec<ViewRow>, limit: i64) -> Result<Page<ViewRow>, Error> {
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.conversation.last_message_seq)
    } else {
        None
    };
    let ids: Vec<ConversationId> = rows.iter().map(|r| r.conversation.id).collect();
    let mut details = tx.page_details(&ids).await?;
    for row in &mut rows {
        if let Some((participants, teams)) = details.remove(&row.conversation.id) {
            row.participants = participants;
            row.teams = teams;
        }
    }
    Ok(Page {
        items: rows,
        next_cursor,
    })
}
