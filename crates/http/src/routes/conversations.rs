//! Conversations: start, read, timeline, messages, the hub (R7, R8), read
//! position (R14), the personal view and personal archive (R10).

use axum::Json;
use axum::extract::State;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use careinbox_domain::{
    AttachmentId, ContentType, ConversationId, Error, FileName, InboxId, MessageBody, MessageId,
    Subject, UserId, View,
};
use careinbox_service::storage::ViewOf;
use careinbox_service::{NewConversation, NewParticipant, parse_cursor};
use uuid::Uuid;

use super::accounts::created;
use crate::AppState;
use crate::dto::{self, Created};
use crate::error::{ApiResult, Problem};
use crate::extract::{Auth, Body, Ids, QueryParams, RawBody};

/// Start a conversation with professionals and/or shared inboxes (R2, R3, R4).
#[utoipa::path(post, path = "/api/v1/conversations", tag = "conversations", security(("bearer" = [])),
    request_body = dto::StartConversation,
    responses((status = 201, body = dto::Started), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn start(
    State(app): State<AppState>,
    auth: Auth,
    Body(body): Body<dto::StartConversation>,
) -> ApiResult<(StatusCode, Json<dto::Started>)> {
    let subject = Subject::parse("subject", &body.subject);
    let message = MessageBody::parse(&body.body);
    let (subject, message) = match (subject, message) {
        (Ok(s), Ok(m)) => (s, m),
        (s, m) => return Err(Error::Invalid(s.err().into_iter().chain(m.err()).collect()).into()),
    };
    let new = NewConversation {
        subject,
        body: message,
        users: body.recipients.users.into_iter().map(UserId).collect(),
        inboxes: body.recipients.inboxes.into_iter().map(InboxId).collect(),
        from_inbox: body.from_inbox.map(InboxId),
    };
    let (id, message) = app.service.start_conversation(&auth.caller, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(dto::Started {
            id: id.0,
            message: message.0,
        }),
    ))
}

/// The conversation's parties and participants with their sources.
#[utoipa::path(get, path = "/api/v1/conversations/{conversation}", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path)),
    responses((status = 200, body = dto::Conversation), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
) -> ApiResult<Json<dto::Conversation>> {
    let detail = app
        .service
        .conversation(&auth.caller, ConversationId(c))
        .await?;
    let participants = detail.participants.into_iter().map(Into::into).collect();
    let mine = detail
        .mine
        .into_iter()
        .map(|m| dto::OwnParticipation {
            via: m.via.map(|i| i.0),
            archived: m.archived,
            unread: m.unread,
        })
        .collect();
    Ok(Json(dto::Conversation::new(
        detail.conversation,
        detail.inboxes,
        participants,
        mine,
    )))
}

/// The timeline: messages and system events, oldest first.
#[utoipa::path(get, path = "/api/v1/conversations/{conversation}/messages", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path), dto::PageQuery),
    responses((status = 200, body = dto::Page<dto::TimelineItem>), (status = 404, body = Problem)))]
pub async fn timeline(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
    QueryParams(q): QueryParams<dto::PageQuery>,
) -> ApiResult<Json<dto::Page<dto::TimelineItem>>> {
    let after = parse_cursor(q.cursor.as_deref())?;
    let page = app
        .service
        .timeline(&auth.caller, ConversationId(c), after, q.limit)
        .await?;
    Ok(Json(dto::Page::new(
        page.items.into_iter().map(Into::into).collect(),
        page.next_cursor,
    )))
}

/// Post a message.
#[utoipa::path(post, path = "/api/v1/conversations/{conversation}/messages", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path)), request_body = dto::NewMessage,
    responses((status = 201, body = Created), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn post_message(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
    Body(body): Body<dto::NewMessage>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let message = MessageBody::parse(&body.body)?;
    let id = app
        .service
        .post_message(&auth.caller, ConversationId(c), message)
        .await?;
    Ok(created(id.0))
}

/// Share a file: the request body is the file, `Content-Type` its type and
/// `name` its name. It appears as a message in the timeline.
#[utoipa::path(post, path = "/api/v1/conversations/{conversation}/attachments", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path), dto::AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = dto::Shared), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn post_attachment(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
    QueryParams(q): QueryParams<dto::AttachmentQuery>,
    headers: HeaderMap,
    RawBody(data): RawBody,
) -> ApiResult<(StatusCode, Json<dto::Shared>)> {
    let name = FileName::parse(&q.name)?;
    let declared = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let content_type = ContentType::parse(declared);
    let (message, file) = app
        .service
        .post_attachment(
            &auth.caller,
            ConversationId(c),
            name,
            content_type,
            data.to_vec(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(dto::Shared {
            id: file.0,
            message: message.0,
        }),
    ))
}

/// A shared file's bytes, for participants of its conversation only (R15).
#[utoipa::path(get, path = "/api/v1/attachments/{attachment}", tag = "conversations", security(("bearer" = [])),
    params(("attachment" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn attachment(
    State(app): State<AppState>,
    auth: Auth,
    Ids(id): Ids<Uuid>,
) -> ApiResult<Response> {
    let file = app
        .service
        .attachment(&auth.caller, AttachmentId(id))
        .await?;
    // Always a download, never rendered in the API's origin; the name is
    // percent-encoded (RFC 6266) so any character is safe in the header.
    let encoded: String = file
        .meta
        .name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let disposition = format!("attachment; filename*=UTF-8''{encoded}");
    let headers = [
        (CONTENT_TYPE, file.meta.content_type),
        (CONTENT_DISPOSITION, disposition),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, file.data).into_response())
}

/// Add a professional or a shared inbox (R7); refused when already there (R8).
#[utoipa::path(post, path = "/api/v1/conversations/{conversation}/participants", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path)), request_body = dto::NewParticipant,
    responses((status = 201, body = Created), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_participant(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
    Body(body): Body<dto::NewParticipant>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let (who, id) = match (body.user, body.inbox) {
        (Some(user), None) => (NewParticipant::User(UserId(user)), user),
        (None, Some(inbox)) => (NewParticipant::Inbox(InboxId(inbox)), inbox),
        _ => return Err(Error::invalid("body", "give either user or inbox").into()),
    };
    app.service
        .add_participant(&auth.caller, ConversationId(c), who)
        .await?;
    Ok(created(id))
}

/// Move the caller's read position to a message (R14).
#[utoipa::path(put, path = "/api/v1/conversations/{conversation}/read", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path)), request_body = dto::ReadPosition,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn mark_read(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
    Body(body): Body<dto::ReadPosition>,
) -> ApiResult<StatusCode> {
    app.service
        .mark_read(&auth.caller, ConversationId(c), MessageId(body.message))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The personal view: direct participations (`all`: every conversation).
#[utoipa::path(get, path = "/api/v1/me/conversations", tag = "conversations", security(("bearer" = [])),
    params(dto::ViewQuery),
    responses((status = 200, body = dto::Page<dto::ConversationSummary>), (status = 401, body = Problem)))]
pub async fn personal_view(
    State(app): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<dto::ViewQuery>,
) -> ApiResult<Json<dto::Page<dto::ConversationSummary>>> {
    let view = View::parse(q.view.as_deref().unwrap_or("active"))?;
    let cursor = parse_cursor(q.cursor.as_deref())?;
    let page = app
        .service
        .personal_view(&auth.caller, view, cursor, q.limit)
        .await?;
    Ok(Json(dto::Page::new(
        page.items.into_iter().map(Into::into).collect(),
        page.next_cursor,
    )))
}

/// Archive in the personal view (direct participants, R10).
#[utoipa::path(put, path = "/api/v1/me/archive/{conversation}", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn archive(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
) -> ApiResult<StatusCode> {
    app.service
        .set_archived(&auth.caller, ConversationId(c), ViewOf::Personal, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Bring back to the personal active view (R10).
#[utoipa::path(delete, path = "/api/v1/me/archive/{conversation}", tag = "conversations", security(("bearer" = [])),
    params(("conversation" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unarchive(
    State(app): State<AppState>,
    auth: Auth,
    Ids(c): Ids<Uuid>,
) -> ApiResult<StatusCode> {
    app.service
        .set_archived(&auth.caller, ConversationId(c), ViewOf::Personal, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
