//! What queries return: plain data with domain ids, free of database types.

use careinbox_domain::{
    AttachmentId, ConversationId, InboxId, MessageId, TeamId, TeamRole, UserId,
};

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub profession: String,
    pub instance_admin: bool,
    pub active: bool,
}

/// Who a bearer token belongs to.
#[derive(Debug, Clone, Copy)]
pub struct SessionUser {
    pub user: UserId,
    pub instance_admin: bool,
}

#[derive(Debug, Clone)]
pub struct TeamRef {
    pub id: TeamId,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct TeamMembership {
    pub team: TeamRef,
    pub role: TeamRole,
}

#[derive(Debug, Clone)]
pub struct StaffRow {
    pub user: UserId,
    pub name: String,
    pub profession: String,
    pub role: TeamRole,
}

#[derive(Debug, Clone)]
pub struct InboxRow {
    pub id: InboxId,
    pub team: TeamRef,
    pub name: String,
    pub description: String,
    pub guidelines: String,
    pub active: bool,
}

/// The caller's standing towards an inbox's team and the inbox itself.
#[derive(Debug, Clone, Copy)]
pub struct InboxStanding {
    pub team_role: Option<TeamRole>,
    /// `Some(manager)` when the caller is a member of the inbox.
    pub member: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct InboxMemberRow {
    pub user: UserId,
    pub name: String,
    pub profession: String,
    pub manager: bool,
}

/// An inbox of which the user is a member.
#[derive(Debug, Clone)]
pub struct MyInboxRow {
    pub id: InboxId,
    pub name: String,
    pub team: TeamRef,
    pub manager: bool,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct DirectoryUser {
    pub id: UserId,
    pub name: String,
    pub profession: String,
    pub teams: Vec<TeamRef>,
}

#[derive(Debug, Clone)]
pub struct PersonRef {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub subject: String,
    pub started_by: PersonRef,
    pub created_at: i64,
    pub last_message_at: i64,
    pub last_message_seq: i64,
}

/// One row of a view listing.
#[derive(Debug, Clone)]
pub struct ViewRow {
    pub conversation: ConversationRow,
    pub unread: bool,
    pub archived: bool,
    /// Who takes part, one entry per participation (filled per page).
    pub participants: Vec<ParticipantRow>,
    /// The teams of everyone who takes part (filled per page).
    pub teams: Vec<TeamRef>,
}

/// The caller's own participation in one conversation through one source:
/// the view it puts the conversation in, and that view's state.
#[derive(Debug, Clone)]
pub struct OwnParticipation {
    pub via: Option<InboxId>,
    pub archived: bool,
    pub unread: bool,
}

#[derive(Debug, Clone)]
pub struct PartyInbox {
    pub id: InboxId,
    pub name: String,
    pub team: TeamRef,
}

#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub user: UserId,
    pub name: String,
    pub profession: String,
    pub via: Option<InboxId>,
}

#[derive(Debug, Clone)]
pub struct InboxRef {
    pub id: InboxId,
    pub name: String,
}

/// A message or a system event.
#[derive(Debug, Clone)]
pub struct TimelineRow {
    pub seq: i64,
    pub at: i64,
    pub kind: TimelineKind,
}

#[derive(Debug, Clone)]
pub enum TimelineKind {
    Message {
        id: MessageId,
        author: PersonRef,
        on_behalf_of: Option<InboxRef>,
        body: String,
        attachment: Option<AttachmentMeta>,
    },
    Event {
        event: String,
        actor: Option<PersonRef>,
        target_user: Option<PersonRef>,
        /// The inbox added (`inbox_added`), or left (`member_removed`).
        target_inbox: Option<InboxRef>,
    },
}

/// An entry for the append-only audit log (R16).
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<uuid::Uuid>,
    pub team: Option<TeamId>,
    pub inbox: Option<InboxId>,
    pub conversation: Option<ConversationId>,
    pub subject_user: Option<UserId>,
    pub ip: Option<String>,
    pub outcome: &'static str,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: Option<UserId>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<uuid::Uuid>,
    pub inbox: Option<InboxId>,
    pub conversation: Option<ConversationId>,
    pub subject_user: Option<UserId>,
    pub ip: Option<String>,
    pub outcome: String,
}

/// A row of the durable event log that feeds the realtime stream.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub conversation: Option<ConversationId>,
    pub inbox: Option<InboxId>,
    pub user: Option<UserId>,
    pub data: String,
}

/// What a timeline shows of a shared file.
#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A shared file with its bytes, and the conversation it belongs to.
#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub meta: AttachmentMeta,
    pub conversation: ConversationId,
    pub data: Vec<u8>,
}
