//! Sessions, the caller's overview, instance administration, teams,
//! networks, the directory and the team audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use careinbox_domain::{Email, Name, NetworkId, Password, Profession, TeamId, TeamRole, UserId};
use careinbox_service::parse_cursor;
use uuid::Uuid;

use crate::AppState;
use crate::dto::{self, Created, rfc3339};
use crate::error::{ApiResult, Problem};
use crate::extract::{Auth, Body, Ids, QueryParams};

/// Log in with email and password; answers a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "session", request_body = dto::Login,
    responses((status = 200, body = dto::Token), (status = 401, body = Problem)))]
pub async fn login(
    State(app): State<AppState>,
    ip: crate::ClientIp,
    Body(body): Body<dto::Login>,
) -> ApiResult<Json<dto::Token>> {
    let (token, expires) = app.service.login(&body.email, &body.password, ip.0).await?;
    Ok(Json(dto::Token {
        token,
        expires_at: rfc3339(expires),
    }))
}

/// End the session of this bearer token.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "session", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(State(app): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    app.service.logout(&auth.caller, &auth.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller, their teams, and their inboxes with unread counts (R14).
#[utoipa::path(get, path = "/api/v1/me", tag = "session", security(("bearer" = [])),
    responses((status = 200, body = dto::Me), (status = 401, body = Problem)))]
pub async fn me(State(app): State<AppState>, auth: Auth) -> ApiResult<Json<dto::Me>> {
    let me = app.service.me(&auth.caller).await?;
    Ok(Json(dto::Me {
        id: me.user.id.0,
        email: me.user.email,
        name: me.user.name,
        profession: me.user.profession,
        instance_admin: me.user.instance_admin,
        teams: me
            .teams
            .into_iter()
            .map(|t| dto::MyTeam {
                id: t.team.id.0,
                name: t.team.name,
                role: t.role.as_str().into(),
            })
            .collect(),
        inboxes: me
            .inboxes
            .into_iter()
            .map(|(i, unread)| dto::MyInbox {
                id: i.id.0,
                name: i.name,
                team: i.team.into(),
                manager: i.manager,
                active: i.active,
                unread,
            })
            .collect(),
        personal: dto::PersonalView {
            unread: me.personal_unread,
        },
    }))
}

/// Find an account by email, to add a new colleague to a team (team admins
/// and the instance admin; others get 404).
#[utoipa::path(get, path = "/api/v1/users", tag = "teams", security(("bearer" = [])),
    params(dto::UserQuery),
    responses((status = 200, body = dto::FoundUser), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn find_user(
    State(app): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<dto::UserQuery>,
) -> ApiResult<Json<dto::FoundUser>> {
    let user = app.service.find_user(&auth.caller, &q.email).await?;
    Ok(Json(dto::FoundUser {
        id: user.id.0,
        name: user.name,
        profession: user.profession,
    }))
}

/// Create a team (instance admin).
#[utoipa::path(post, path = "/api/v1/admin/teams", tag = "admin", security(("bearer" = [])),
    request_body = dto::NewTeam,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_team(
    State(app): State<AppState>,
    auth: Auth,
    Body(body): Body<dto::NewTeam>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let name = Name::parse("name", &body.name)?;
    let id = app.service.create_team(&auth.caller, name).await?;
    Ok(created(id.0))
}

/// Create a professional's account (instance admin).
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    request_body = dto::NewUser,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(app): State<AppState>,
    auth: Auth,
    Body(body): Body<dto::NewUser>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let account = careinbox_service::NewAccount {
        email: Email::parse(&body.email)?,
        name: Name::parse("name", &body.name)?,
        profession: Profession::parse("profession", &body.profession)?,
        password: Password::parse(&body.password)?,
    };
    let id = app.service.create_user(&auth.caller, account).await?;
    Ok(created(id.0))
}

/// Deactivate an account: its sessions end and it leaves every inbox (R17, R6).
#[utoipa::path(delete, path = "/api/v1/admin/users/{user}", tag = "admin", security(("bearer" = [])),
    params(("user" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn deactivate_user(
    State(app): State<AppState>,
    auth: Auth,
    Ids(user): Ids<Uuid>,
) -> ApiResult<StatusCode> {
    app.service
        .deactivate_user(&auth.caller, UserId(user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a network (instance admin).
#[utoipa::path(post, path = "/api/v1/admin/networks", tag = "admin", security(("bearer" = [])),
    request_body = dto::NewNetwork,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_network(
    State(app): State<AppState>,
    auth: Auth,
    Body(body): Body<dto::NewNetwork>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let name = Name::parse("name", &body.name)?;
    let id = app.service.create_network(&auth.caller, name).await?;
    Ok(created(id.0))
}

/// A team joins a network (instance admin).
#[utoipa::path(post, path = "/api/v1/networks/{network}/teams", tag = "admin", security(("bearer" = [])),
    params(("network" = Uuid, Path)), request_body = dto::NetworkTeam,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_network_team(
    State(app): State<AppState>,
    auth: Auth,
    Ids(network): Ids<Uuid>,
    Body(body): Body<dto::NetworkTeam>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    app.service
        .add_network_team(&auth.caller, NetworkId(network), TeamId(body.team))
        .await?;
    Ok(created(body.team))
}

/// The team's staff (staff of the team only).
#[utoipa::path(get, path = "/api/v1/teams/{team}/members", tag = "teams", security(("bearer" = [])),
    params(("team" = Uuid, Path)),
    responses((status = 200, body = dto::Page<dto::Staff>), (status = 404, body = Problem)))]
pub async fn team_staff(
    State(app): State<AppState>,
    auth: Auth,
    Ids(team): Ids<Uuid>,
) -> ApiResult<Json<dto::Page<dto::Staff>>> {
    let staff = app.service.team_staff(&auth.caller, TeamId(team)).await?;
    let items = staff
        .into_iter()
        .map(|s| dto::Staff {
            id: s.user.0,
            name: s.name,
            profession: s.profession,
            role: s.role.as_str().into(),
        })
        .collect();
    Ok(Json(dto::Page::new(items, None)))
}

/// Add a professional to the team's staff (team admin, or the instance admin).
#[utoipa::path(post, path = "/api/v1/teams/{team}/members", tag = "teams", security(("bearer" = [])),
    params(("team" = Uuid, Path)), request_body = dto::NewTeamMember,
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_team_member(
    State(app): State<AppState>,
    auth: Auth,
    Ids(team): Ids<Uuid>,
    Body(body): Body<dto::NewTeamMember>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let role = TeamRole::parse(&body.role)?;
    app.service
        .add_team_member(&auth.caller, TeamId(team), UserId(body.user), role)
        .await?;
    Ok(created(body.user))
}

/// Remove a professional from the team: they leave its inboxes (R17, R6).
#[utoipa::path(delete, path = "/api/v1/teams/{team}/members/{user}", tag = "teams", security(("bearer" = [])),
    params(("team" = Uuid, Path), ("user" = Uuid, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_team_member(
    State(app): State<AppState>,
    auth: Auth,
    Ids((team, user)): Ids<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    app.service
        .remove_team_member(&auth.caller, TeamId(team), UserId(user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The audit log about the team's staff, inboxes and their conversations
/// (team admins), newest first (R16).
#[utoipa::path(get, path = "/api/v1/teams/{team}/audit", tag = "teams", security(("bearer" = [])),
    params(("team" = Uuid, Path), dto::PageQuery),
    responses((status = 200, body = dto::Page<dto::AuditItem>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn team_audit(
    State(app): State<AppState>,
    auth: Auth,
    Ids(team): Ids<Uuid>,
    QueryParams(q): QueryParams<dto::PageQuery>,
) -> ApiResult<Json<dto::Page<dto::AuditItem>>> {
    let cursor = parse_cursor(q.cursor.as_deref())?;
    let page = app
        .service
        .team_audit(&auth.caller, TeamId(team), cursor, q.limit)
        .await?;
    Ok(Json(dto::Page::new(
        page.items.into_iter().map(Into::into).collect(),
        page.next_cursor,
    )))
}

/// Professionals and shared inboxes the caller may address, with each
/// inbox's description and guidelines for partners (R2, R13).
#[utoipa::path(get, path = "/api/v1/directory", tag = "directory", security(("bearer" = [])),
    params(dto::DirectoryQuery),
    responses((status = 200, body = dto::Directory), (status = 401, body = Problem)))]
pub async fn directory(
    State(app): State<AppState>,
    auth: Auth,
    QueryParams(q): QueryParams<dto::DirectoryQuery>,
) -> ApiResult<Json<dto::Directory>> {
    let (users, inboxes) = app
        .service
        .directory(&auth.caller, q.q.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(dto::Directory {
        professionals: users
            .into_iter()
            .map(|u| dto::DirectoryProfessional {
                id: u.id.0,
                name: u.name,
                profession: u.profession,
                teams: u.teams.into_iter().map(Into::into).collect(),
            })
            .collect(),
        inboxes: inboxes.into_iter().map(Into::into).collect(),
    }))
}

pub(crate) fn created(id: Uuid) -> (StatusCode, Json<Created>) {
    (StatusCode::CREATED, Json(Created { id }))
}
