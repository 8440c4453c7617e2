//! The HTTP layer: the JSON API v1, the OpenAPI document and its interactive
//! page, and the operations endpoints. Handlers are thin: they parse input
//! into domain values, call one use case of [`careinbox_service::Service`],
//! and shape the answer. This layer never opens a transaction.

pub mod dto;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod ratelimit;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use careinbox_domain::Error;
use careinbox_service::Service;
use tracing::Instrument;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;

/// Limits an operator can raise (and a benchmark can lift).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body in bytes (413 above it).
    pub max_request_bytes: usize,
    /// Requests per minute per client address and per session; 0 = no limit.
    pub rate_per_minute: u32,
    /// Largest shared file in bytes (413 above it).
    pub max_attachment_bytes: usize,
    /// Interval of heartbeat comments on idle event streams.
    pub heartbeat: std::time::Duration,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub metrics: Arc<Metrics>,
    limiter: Arc<RateLimiter>,
    heartbeat: std::time::Duration,
}

/// The client's IP address, when the server knows it.
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(extract::client_ip(parts)))
    }
}

/// The whole application as one router: API, documentation, operations.
pub fn app(service: Service, limits: Limits) -> Router {
    let state = AppState {
        service,
        metrics: Arc::new(Metrics::default()),
        limiter: Arc::new(RateLimiter::new(limits.rate_per_minute)),
        heartbeat: limits.heartbeat,
    };
    let files = Router::new().route(
        "/api/v1/conversations/{conversation}/attachments",
        post(routes::conversations::post_attachment)
            .layer(DefaultBodyLimit::max(limits.max_attachment_bytes)),
    );
    let api = api_routes()
        .layer(DefaultBodyLimit::max(limits.max_request_bytes))
        .merge(files)
        .route_layer(middleware::from_fn_with_state(state.clone(), rate_limit));

    Router::new()
        .merge(api)
        .route("/healthz", get(routes::ops::healthz))
        .route("/readyz", get(routes::ops::readyz))
        .route("/metrics", get(routes::ops::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
}

fn api_routes() -> Router<AppState> {
    use routes::{accounts, conversations as conv, inboxes};
    Router::new()
        .route("/api/v1/auth/login", post(accounts::login))
        .route("/api/v1/auth/logout", post(accounts::logout))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/me/conversations", get(conv::personal_view))
        .route(
            "/api/v1/me/archive/{conversation}",
            put(conv::archive).delete(conv::unarchive),
        )
        .route("/api/v1/admin/teams", post(accounts::create_team))
        .route("/api/v1/admin/users", post(accounts::create_user))
        .route(
            "/api/v1/admin/users/{user}",
            axum::routing::delete(accounts::deactivate_user),
        )
        .route("/api/v1/admin/networks", post(accounts::create_network))
        .route(
            "/api/v1/networks/{network}/teams",
            post(accounts::add_network_team),
        )
        .route(
            "/api/v1/teams/{team}/members",
            get(accounts::team_staff).post(accounts::add_team_member),
        )
        .route(
            "/api/v1/teams/{team}/members/{user}",
            axum::routing::delete(accounts::remove_team_member),
        )
        .route(
            "/api/v1/teams/{team}/inboxes",
            get(inboxes::of_team).post(inboxes::create),
        )
        .route("/api/v1/users", get(accounts::find_user))
        .route("/api/v1/teams/{team}/audit", get(accounts::team_audit))
        .route("/api/v1/directory", get(accounts::directory))
        .route(
            "/api/v1/inboxes/{inbox}",
            get(inboxes::get).patch(inboxes::update),
        )
        .route(
            "/api/v1/inboxes/{inbox}/members",
            get(inboxes::members).post(inboxes::add_member),
        )
        .route(
            "/api/v1/inboxes/{inbox}/members/{user}",
            axum::routing::delete(inboxes::remove_member),
        )
        .route("/api/v1/inboxes/{inbox}/conversations", get(inboxes::view))
        .route(
            "/api/v1/inboxes/{inbox}/archive/{conversation}",
            put(inboxes::archive).delete(inboxes::unarchive),
        )
        .route("/api/v1/conversations", post(conv::start))
        .route("/api/v1/conversations/{conversation}", get(conv::get))
        .route(
            "/api/v1/conversations/{conversation}/messages",
            get(conv::timeline).post(conv::post_message),
        )
        .route(
            "/api/v1/conversations/{conversation}/participants",
            post(conv::add_participant),
        )
        .route(
            "/api/v1/conversations/{conversation}/read",
            put(conv::mark_read),
        )
        .route("/api/v1/events", get(routes::events::stream))
        .route("/api/v1/attachments/{attachment}", get(conv::attachment))
}

/// The OpenAPI 3.1 document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "careinbox API", version = "1", description = "Secure messaging for care professionals, built around shared inboxes. See docs/api.md for conventions."),
    modifiers(&BearerAuth),
    paths(
        routes::accounts::login, routes::accounts::logout, routes::accounts::me,
        routes::accounts::create_team, routes::accounts::create_user, routes::accounts::deactivate_user,
        routes::accounts::create_network, routes::accounts::add_network_team,
        routes::accounts::team_staff, routes::accounts::add_team_member, routes::accounts::remove_team_member,
        routes::accounts::team_audit, routes::accounts::directory,
        routes::inboxes::create,
        routes::inboxes::of_team,
        routes::accounts::find_user, routes::inboxes::get, routes::inboxes::update,
        routes::inboxes::members, routes::inboxes::add_member, routes::inboxes::remove_member,
        routes::inboxes::view, routes::inboxes::archive, routes::inboxes::unarchive,
        routes::conversations::start, routes::conversations::get, routes::conversations::timeline,
        routes::conversations::post_message,
        routes::conversations::post_attachment,
        routes::conversations::attachment, routes::conversations::add_participant,
        routes::conversations::mark_read, routes::conversations::personal_view,
        routes::conversations::archive, routes::conversations::unarchive,
        routes::events::stream,
        routes::ops::healthz, routes::ops::readyz, routes::ops::metrics,
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// One span and one log line per request, with the matched route (never
/// the raw path or query, which may carry names), and the metrics.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let span = tracing::info_span!("request", %method, %route, user = tracing::field::Empty);

    let response = next.run(request).instrument(span.clone()).await;

    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    state.metrics.record(&method, &route, status, elapsed);
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match status {
        500.. => tracing::error!(status, latency_ms, "request failed"),
        400..=499 => tracing::info!(status, latency_ms, "request refused"),
        _ => tracing::debug!(status, latency_ms, "request served"),
    }
    response
}

/// 429 when the client address or the session is over its rate.
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| format!("ip:{}", a.ip()))
        .unwrap_or_else(|| "ip:unknown".into());
    let token = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| format!("session:{}", v.chars().rev().take(24).collect::<String>()));
    let mut keys = vec![ip.as_str()];
    if let Some(token) = token.as_deref() {
        keys.push(token);
    }
    if state.limiter.allow(&keys) {
        next.run(request).await
    } else {
        ApiError::Domain(Error::RateLimited).into_response()
    }
}

async fn not_found() -> Response {
    ApiError::Domain(Error::NotFound).into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::MethodNotAllowed.into_response()
}
