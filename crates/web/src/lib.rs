//! The careinbox web application: server-rendered pages in which care
//! professionals read and answer their conversations, start new ones and
//! manage their shared inboxes. Handlers are thin, like the API's: they parse
//! the request into domain values, call one use case of
//! [`careinbox_service::Service`] and render the answer with maud. Assets are
//! embedded in the binary, so the application works on a practice network
//! without internet access.
//!
//! Routes: `/` (personal view), `/inbox/{id}` (an inbox's view),
//! `/c/{id}` (a conversation, with `/c/{id}/bestand/{file}` for its shared
//! files), `/compose`, `/beheer/...` (inbox and team management), `/login`,
//! `/logout`, `/lang/{nl|en}` and `/assets/...`.
//! Nothing here lives under `/api`, so the JSON API keeps its own 404s.

mod assets;
mod clock;
mod error;
mod form;
mod i18n;
mod layout;
mod pages;
mod session;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use careinbox_service::Service;
use tracing::Instrument;

pub use i18n::Lang;
pub use session::{CSRF_FIELD, SESSION_COOKIE, csrf_token};

/// What every page handler can reach.
#[derive(Clone)]
pub struct Web {
    pub service: Service,
    pub settings: WebSettings,
}

/// The limits the operator sets for the pages, shared with the API.
#[derive(Debug, Clone, Copy)]
pub struct WebSettings {
    /// Largest shared file in bytes; a larger upload gets a 413 page.
    pub max_attachment_bytes: usize,
}

/// Room for the upload form's other fields and the multipart framing, so
/// that a file of exactly the limit still fits in the request.
const FORM_OVERHEAD_BYTES: usize = 16 * 1024;

/// The web application's routes, ready to be merged with the API's router.
/// It has no fallback of its own: the API's router answers unknown paths.
pub fn router(service: Service, settings: WebSettings) -> Router {
    use pages::{compose, conversation as conv, login, manage, views};
    let upload_limit = settings
        .max_attachment_bytes
        .saturating_add(FORM_OVERHEAD_BYTES);
    Router::new()
        .route("/", get(views::personal))
        .route("/inbox/{inbox}", get(views::inbox))
        .route("/nav", get(views::nav))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang/{lang}", get(login::language))
        .route("/c/{conversation}", get(conv::show))
        .route("/c/{conversation}/since/{seq}", get(conv::since))
        .route("/c/{conversation}/reply", post(conv::reply))
        .route(
            "/c/{conversation}/participants",
            post(conv::add_participant),
        )
        .route("/c/{conversation}/archive", post(conv::archive))
        .route(
            "/c/{conversation}/bestand",
            post(conv::share_file).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/c/{conversation}/bestand/{attachment}",
            get(conv::shared_file),
        )
        .route("/compose", get(compose::form).post(compose::send))
        .route("/beheer", get(manage::overview))
        .route(
            "/beheer/inbox/{inbox}",
            get(manage::inbox).post(manage::update_inbox),
        )
        .route("/beheer/inbox/{inbox}/members", post(manage::add_member))
        .route(
            "/beheer/inbox/{inbox}/members/{user}/remove",
            get(manage::confirm_remove_member).post(manage::remove_member),
        )
        .route("/beheer/team/{team}", get(manage::team))
        .route("/beheer/team/{team}/staff", post(manage::add_staff))
        .route(
            "/beheer/team/{team}/staff/{user}/remove",
            get(manage::confirm_remove_staff).post(manage::remove_staff),
        )
        .route("/beheer/team/{team}/inboxes", post(manage::create_inbox))
        .route("/assets/{file}", get(assets::serve))
        .layer(middleware::from_fn(finish))
        .with_state(Web { service, settings })
}

/// One span and one log line per page request (with the matched route,
/// never the path itself), the error page in the visitor's language, and the
/// headers every answer carries.
async fn finish(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = request.method().as_str().to_owned();
    let span = tracing::info_span!("page", %method, %route, user = tracing::field::Empty);
    let mut visit = session::Visit::of(request.headers(), request.uri());
    if request.method() != axum::http::Method::GET {
        // After logging in again, a form post cannot be repeated: go home.
        visit.path = "/".to_owned();
    }

    let response = next.run(request).instrument(span.clone()).await;
    let mut response = error::render(response, &visit);

    let status = response.status().as_u16();
    let _entered = span.enter();
    match status {
        500.. => tracing::error!(status, "page failed"),
        400..=499 => tracing::info!(status, "page refused"),
        _ => tracing::debug!(status, "page served"),
    }
    secure_headers(&mut response);
    response
}

/// Pages hold patient information: no caching, no framing, no scripts or
/// styles but our own. A handler that chose its own caching keeps it: the
/// versioned assets are cached for a year, shared files not at all.
fn secure_headers(response: &mut Response) {
    let headers = response.headers_mut();
    let policy = "default-src 'self'; script-src 'self'; style-src 'self'; \
        img-src 'self' data:; connect-src 'self'; form-action 'self'; \
        frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
