//! The JSON shapes of API v1, as documented in the OpenAPI document. Request
//! types hold raw strings and ids; handlers parse them into domain values.

use careinbox_service::storage as careinbox_storage;
use careinbox_storage::{
    AuditRow, ConversationRow, InboxRow, ParticipantRow, PartyInbox, PersonRef, TeamRef,
    TimelineKind, TimelineRow, ViewRow,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Formats stored microseconds as RFC 3339 UTC.
pub fn rfc3339(micros: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Login {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Token {
    pub token: String,
    /// When the session ends (RFC 3339).
    pub expires_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTeam {
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewNetwork {
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password: String,
    pub profession: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NetworkTeam {
    pub team: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTeamMember {
    pub user: Uuid,
    /// `admin` or `member`.
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewInbox {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub guidelines: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InboxPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub guidelines: Option<String>,
    /// `false` deactivates the inbox: it receives no new conversations.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewInboxMember {
    pub user: Uuid,
    #[serde(default)]
    pub manager: bool,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Recipients {
    #[serde(default)]
    pub users: Vec<Uuid>,
    #[serde(default)]
    pub inboxes: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StartConversation {
    pub subject: String,
    pub body: String,
    pub recipients: Recipients,
    /// Start on behalf of this inbox of yours (R3).
    pub from_inbox: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Started {
    pub id: Uuid,
    /// The first message.
    pub message: Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    pub body: String,
}

/// Add `{user}` or `{inbox}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewParticipant {
    pub user: Option<Uuid>,
    pub inbox: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadPosition {
    pub message: Uuid,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page (default 50, at most 100).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewQuery {
    /// `active` (default), `archived`, or for the personal view `all`.
    pub view: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// The email address of the account.
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FoundUser {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// Part of a name or team name.
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> Page<T> {
    pub fn new(items: Vec<T>, next: Option<i64>) -> Self {
        Page {
            items,
            next_cursor: next.map(|n| n.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

impl From<TeamRef> for Named {
    fn from(t: TeamRef) -> Self {
        Named {
            id: t.id.0,
            name: t.name,
        }
    }
}

impl From<PersonRef> for Named {
    fn from(p: PersonRef) -> Self {
        Named {
            id: p.id.0,
            name: p.name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyTeam {
    pub id: Uuid,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyInbox {
    pub id: Uuid,
    pub name: String,
    pub team: Named,
    pub manager: bool,
    pub active: bool,
    /// Active conversations of this view with unread messages (R14).
    pub unread: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalView {
    pub unread: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub profession: String,
    pub instance_admin: bool,
    pub teams: Vec<MyTeam>,
    pub inboxes: Vec<MyInbox>,
    pub personal: PersonalView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Staff {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub guidelines: String,
    pub active: bool,
    pub team: Named,
}

impl From<InboxRow> for Inbox {
    fn from(i: InboxRow) -> Self {
        Inbox {
            id: i.id.0,
            name: i.name,
            description: i.description,
            guidelines: i.guidelines,
            active: i.active,
            team: i.team.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxMember {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
    pub manager: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryProfessional {
    pub id: Uuid,
    pub name: String,
    pub profession: String,
    pub teams: Vec<Named>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Directory {
    pub professionals: Vec<DirectoryProfessional>,
    /// Shared inboxes with their description and guidelines (R13).
    pub inboxes: Vec<Inbox>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationSummary {
    pub id: Uuid,
    pub subject: String,
    pub started_by: Named,
    pub created_at: String,
    pub last_activity_at: String,
    /// Whether it has messages the caller has not read.
    pub unread: bool,
    pub archived: bool,
    /// Who takes part, one entry per participation.
    pub participants: Vec<Participant>,
    /// The teams of everyone who takes part.
    pub teams: Vec<Named>,
}

impl From<ViewRow> for ConversationSummary {
    fn from(r: ViewRow) -> Self {
        let c = r.conversation;
        ConversationSummary {
            id: c.id.0,
            subject: c.subject,
            started_by: c.started_by.into(),
            created_at: rfc3339(c.created_at),
            last_activity_at: rfc3339(c.last_message_at),
            unread: r.unread,
            archived: r.archived,
            participants: r.participants.into_iter().map(Into::into).collect(),
            teams: r.teams.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartyInboxDto {
    pub id: Uuid,
    pub name: String,
    pub team: Named,
}

impl From<PartyInbox> for PartyInboxDto {
    fn from(p: PartyInbox) -> Self {
        PartyInboxDto {
            id: p.id.0,
            name: p.name,
            team: p.team.into(),
        }
    }
}

/// One participation: a professional and its source.
#[derive(Debug, Serialize, ToSchema)]
pub struct Participant {
    pub user: Uuid,
    pub name: String,
    pub profession: String,
    /// The inbox this participation comes through; `null` for direct.
    pub via: Option<Uuid>,
}

impl From<ParticipantRow> for Participant {
    fn from(p: ParticipantRow) -> Self {
        Participant {
            user: p.user.0,
            name: p.name,
            profession: p.profession,
            via: p.via.map(|i| i.0),
        }
    }
}

/// One of the caller's own participations and the state of its view.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnParticipation {
    /// The inbox whose view it is; `null` for the personal view.
    pub via: Option<Uuid>,
    pub archived: bool,
    pub unread: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conversation {
    pub id: Uuid,
    pub subject: String,
    pub started_by: Named,
    pub created_at: String,
    pub last_activity_at: String,
    pub inboxes: Vec<PartyInboxDto>,
    pub participants: Vec<Participant>,
    /// The caller's own participations (R9, R10, R14).
    pub mine: Vec<OwnParticipation>,
}

impl Conversation {
    pub fn new(
        c: ConversationRow,
        inboxes: Vec<PartyInbox>,
        participants: Vec<Participant>,
        mine: Vec<OwnParticipation>,
    ) -> Self {
        Conversation {
            id: c.id.0,
            subject: c.subject,
            started_by: c.started_by.into(),
            created_at: rfc3339(c.created_at),
            last_activity_at: rfc3339(c.last_message_at),
            inboxes: inboxes.into_iter().map(Into::into).collect(),
            participants,
            mine,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Target {
    /// `user` or `inbox`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: Uuid,
    pub name: String,
}

/// A message (`kind: message`) or a system event (`kind: event`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    pub seq: i64,
    pub kind: &'static str,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// For messages: the inbox the message was sent on behalf of (R3).
    pub on_behalf_of: Option<Named>,
    /// For messages that share a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// For `member_removed`: the inbox the member left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbox: Option<Named>,
    /// A readable sentence for system events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl From<TimelineRow> for TimelineItem {
    fn from(row: TimelineRow) -> Self {
        let base = TimelineItem {
            seq: row.seq,
            kind: "message",
            at: rfc3339(row.at),
            id: None,
            author: None,
            body: None,
            on_behalf_of: None,
            attachment: None,
            event: None,
            actor: None,
            target: None,
            inbox: None,
            text: None,
        };
        match row.kind {
            TimelineKind::Message {
                id,
                author,
                on_behalf_of,
                body,
                attachment,
            } => TimelineItem {
                attachment: attachment.map(|a| Attachment {
                    id: a.id.0,
                    name: a.name,
                    content_type: a.content_type,
                    size: a.size,
                }),
                id: Some(id.0),
                author: Some(author.into()),
                body: Some(body),
                on_behalf_of: on_behalf_of.map(|i| Named {
                    id: i.id.0,
                    name: i.name,
                }),
                ..base
            },
            TimelineKind::Event {
                event,
                actor,
                target_user,
                target_inbox,
                ..
            } => {
                let actor_name = actor
                    .as_ref()
                    .map_or("Someone".to_owned(), |a| a.name.clone());
                let (target, inbox, text) = match (event.as_str(), target_user, target_inbox) {
                    ("member_removed", Some(user), Some(inbox)) => (
                        Some(Target {
                            kind: "user",
                            id: user.id.0,
                            name: user.name.clone(),
                        }),
                        Some(Named {
                            id: inbox.id.0,
                            name: inbox.name.clone(),
                        }),
                        format!("{} was removed from {}", user.name, inbox.name),
                    ),
                    (_, Some(user), _) => (
                        Some(Target {
                            kind: "user",
                            id: user.id.0,
                            name: user.name.clone(),
                        }),
                        None,
                        format!("{actor_name} added {}", user.name),
                    ),
                    (_, None, Some(inbox)) => (
                        Some(Target {
                            kind: "inbox",
                            id: inbox.id.0,
                            name: inbox.name.clone(),
                        }),
                        None,
                        format!("{actor_name} added {}", inbox.name),
                    ),
                    _ => (None, None, event.clone()),
                };
                TimelineItem {
                    kind: "event",
                    event: Some(event),
                    actor: actor.map(Into::into),
                    target,
                    inbox,
                    text: Some(text),
                    ..base
                }
            }
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub seq: i64,
    pub at: String,
    pub actor: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<Uuid>,
    pub inbox: Option<Uuid>,
    pub conversation: Option<Uuid>,
    pub subject_user: Option<Uuid>,
    pub ip: Option<String>,
    pub outcome: String,
}

impl From<AuditRow> for AuditItem {
    fn from(a: AuditRow) -> Self {
        AuditItem {
            seq: a.seq,
            at: rfc3339(a.at),
            actor: a.actor.map(|u| u.0),
            action: a.action,
            object_type: a.object_type,
            object_id: a.object_id,
            inbox: a.inbox.map(|i| i.0),
            conversation: a.conversation.map(|c| c.0),
            subject_user: a.subject_user.map(|u| u.0),
            ip: a.ip,
            outcome: a.outcome,
        }
    }
}

/// A shared file as a timeline shows it; `GET /api/v1/attachments/{id}`
/// serves its bytes.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attachment {
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// The file's name, e.g. `wond-2026-12-03.jpg`.
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Shared {
    /// The attachment.
    pub id: Uuid,
    /// The message that carries it.
    pub message: Uuid,
}
