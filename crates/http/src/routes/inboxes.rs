//! Shared inboxes: creation and settings (R12), members (R12, R6, R15), the
//! inbox view and archiving within it (R9).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use careinbox_domain::{
    ConversationId, Description, Guidelines, InboxId, Name, TeamId, UserId, View,
};
use careinbox_service::storage::ViewOf;
use careinbox_service::{InboxChanges, parse_cursor};
use uuid::Uuid;

use super::accounts::created;
use crate::AppState;
use crate::dto::{self, Created};
use crate::error::{ApiResult, Problem};
use crate::extract::{Auth, Body, Ids, QueryParams};

/// Create a shared inbox for the team (team admins).
#[utoipa::path(post, path = "/api/v1/teams/{team}/inboxes", tag = "inboxes", security(("bearer" = [])),
    params(("team" = Uuid, Path)), request_body = dto::NewInbox,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    auth: Auth,
    Ids(team): Ids<Uuid>,
    Body(body): Body<dto::NewInbox>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let name = Name::parse("name", &body.name)?;
    let description = Description::parse("description", &body.description)?;
    let guidelines = Guidelines::parse("guidelines", &body.guidelines)?;
    let id = app
        .service
        .create_inbox(&auth.caller, TeamId(team), name, description, guidelines)
        .await?;
    Ok(created(id.0))
}

/// Every inbox of the team, deactivated ones too (staff of the team).
#[utoipa::path(get, path = "/api/v1/teams/{team}/inboxes", tag = "inboxes", security(("bearer" = [])),
    params(("team" = Uuid, Path)),
    responses((status = 200, body = dto::Page<dto::Inbox>), (status = 404, body = Problem)))]
pub async fn of_team(
    State(app): State<AppState>,
    auth: Auth,
    Ids(team): Ids<Uuid>,
) -> ApiResult<Json<dto::Page<dto::Inbox>>> {
    let inboxes = app.service.team_inboxes(&auth.caller, TeamId(team)).await?;
    Ok(Json(dto::Page::new(
        inboxes.into_iter().map(Into::into).collect(),
        None,
    )))
}

/// An inbox's name, description and guidelines (R13).
#[utoipa::path(get, path = "/api/v1/inboxes/{inbox}", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path)),
    responses((status = 200, body = dto::Inbox), (status = 404, body = Problem)))]
pub async fn get(
    State(app): State<AppState>,
    auth: Auth,
    Ids(inbox): Ids<Uuid>,
) -> ApiResult<Json<dto::Inbox>> {
    Ok(Json(
        app.service
            .inbox(&auth.caller, InboxId(inbox))
            .await?
            .into(),
    ))
}

/// Rename, describe, set guidelines, deactivate (inbox managers, team admins).
#[utoipa::path(patch, path = "/api/v1/inboxes/{inbox}", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path)), request_body = dto::InboxPatch,
    responses((status = 200, body = dto::Inbox), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    auth: Auth,
    Ids(inbox): Ids<Uuid>,
    Body(body): Body<dto::InboxPatch>,
) -> ApiResult<Json<dto::Inbox>> {
    let changes = InboxChanges {
        name: body
            .name
            .as_deref()
            .map(|n| Name::parse("name", n))
            .transpose()?,
        description: body
            .description
            .as_deref()
            .map(|d| Description::parse("description", d))
            .transpose()?,
        guidelines: body
            .guidelines
            .as_deref()
            .map(|g| Guidelines::parse("guidelines", g))
            .transpose()?,
        active: body.active,
    };
    Ok(Json(
        app.service
            .update_inbox(&auth.caller, InboxId(inbox), changes)
            .await?
            .into(),
    ))
}

/// The inbox's members (staff of the inbox's team only, R15).
#[utoipa::path(get, path = "/api/v1/inboxes/{inbox}/members", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path)),
    responses((status = 200, body = dto::Page<dto::InboxMember>), (status = 404, body = Problem)))]
pub async fn members(
    State(app): State<AppState>,
    auth: Auth,
    Ids(inbox): Ids<Uuid>,
) -> ApiResult<Json<dto::Page<dto::InboxMember>>> {
    let members = app
        .service
        .inbox_members(&auth.caller, InboxId(inbox))
        .await?;
    let items = members
        .into_iter()
        .map(|m| dto::InboxMember {
            id: m.user.0,
            name: m.name,
            profession: m.profession,
            manager: m.manager,
        })
        .collect();
    Ok(Json(dto::Page::new(items, None)))
}

/// Add a member from the team's staff (R12); earlier conversations are not
/// linked to them (R5).
#[utoipa::path(post, path = "/api/v1/inboxes/{inbox}/members", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path)), request_body = dto::NewInboxMember,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(app): State<AppState>,
    auth: Auth,
    Ids(inbox): Ids<Uuid>,
    Body(body): Body<dto::NewInboxMember>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    app.service
        .add_inbox_member(
            &auth.caller,
            InboxId(inbox),
            UserId(body.user),
            body.manager,
        )
        .await?;
    Ok(created(body.user))
}

/// Remove a member: they lose every participation via this inbox (R6).
#[utoipa::path(delete, path = "/api/v1/inboxes/{inbox}/members/{user}", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path), ("user" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_member(
    State(app): State<AppState>,
    auth: Auth,
    Ids((inbox, user)): Ids<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    app.service
        .remove_inbox_member(&auth.caller, InboxId(inbox), UserId(user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The inbox's view for a member: conversations they participate in via
/// this inbox, newest activity first.
#[utoipa::path(get, path = "/api/v1/inboxes/{inbox}/conversations", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path), dto::ViewQuery),
    responses((status = 200, body = dto::Page<dto::ConversationSummary>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn view(
    State(app): State<AppState>,
    auth: Auth,
    Ids(inbox): Ids<Uuid>,
    QueryParams(q): QueryParams<dto::ViewQuery>,
) -> ApiResult<Json<dto::Page<dto::ConversationSummary>>> {
    let view = View::parse(q.view.as_deref().unwrap_or("active"))?;
    let cursor = parse_cursor(q.cursor.as_deref())?;
    let page = app
        .service
        .inbox_view(&auth.caller, InboxId(inbox), view, cursor, q.limit)
        .await?;
    Ok(Json(dto::Page::new(
        page.items.into_iter().map(Into::into).collect(),
        page.next_cursor,
    )))
}

/// Archive the conversation within the inbox, for every member (R9).
#[utoipa::path(put, path = "/api/v1/inboxes/{inbox}/archive/{conversation}", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path), ("conversation" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn archive(
    State(app): State<AppState>,
    auth: Auth,
    Ids((inbox, c)): Ids<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let view = ViewOf::Inbox(InboxId(inbox));
    app.service
        .set_archived(&auth.caller, ConversationId(c), view, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Bring the conversation back to the inbox's active view (R9).
#[utoipa::path(delete, path = "/api/v1/inboxes/{inbox}/archive/{conversation}", tag = "inboxes", security(("bearer" = [])),
    params(("inbox" = Uuid, Path), ("conversation" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn unarchive(
    State(app): State<AppState>,
    auth: Auth,
    Ids((inbox, c)): Ids<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let view = ViewOf::Inbox(InboxId(inbox));
    app.service
        .set_archived(&auth.caller, ConversationId(c), view, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
