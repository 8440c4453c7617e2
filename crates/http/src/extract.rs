//! Extractors that turn every rejection into a problem document: the caller
//! from the bearer token, JSON bodies, path ids and query strings.

use std::net::SocketAddr;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use careinbox_domain::Error;
use careinbox_service::Caller;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

/// The authenticated professional making the request.
pub struct Auth {
    pub caller: Caller,
    pub token: String,
}

/// The cookie in which the web application keeps its session token.
pub const SESSION_COOKIE: &str = "careinbox_session";

/// The only API path that also accepts the web application's session
/// cookie: the browser's EventSource cannot set headers. Every other API
/// call needs the bearer token, so a cookie alone can never make a JSON
/// change on a user's behalf (no CSRF through the API).
pub const COOKIE_PATH: &str = "/api/v1/events";

/// The session token of a request: the bearer token, or on the event stream
/// the web application's session cookie.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let cookie_allowed = parts.method == axum::http::Method::GET && parts.uri.path() == COOKIE_PATH;
    let from_header = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        });
    let token = from_header.or_else(|| cookie_allowed.then(|| session_cookie(parts)).flatten())?;
    Some(token.trim()).filter(|t| !t.is_empty() && t.len() <= 256)
}

fn session_cookie(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

/// The client's address, for the audit log.
pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

impl<S> FromRequestParts<S> for Auth
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = bearer(parts).ok_or(Error::Unauthenticated)?.to_owned();
        let session = state.service.authenticate(&token).await?;
        let caller = Caller {
            user: session.user,
            instance_admin: session.instance_admin,
            ip: client_ip(parts),
        };
        tracing::Span::current().record("user", tracing::field::display(caller.user));
        Ok(Auth { caller, token })
    }
}

/// A JSON request body whose rejections are problem documents: 400 for
/// malformed JSON, 413 for a body over the limit, 415 without a JSON
/// content type, 422 for missing or mistyped fields.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(e) => ApiError::InvalidBody(e.body_text()),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::Domain(Error::Malformed("the body is not valid JSON".into()))
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
        JsonRejection::BytesRejection(e)
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
        {
            ApiError::TooLarge("the request body is larger than this server accepts".into())
        }
        other => ApiError::Domain(Error::Malformed(other.body_text())),
    }
}

/// A query string whose rejections are 400 problem documents.
pub struct QueryParams<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryParams<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(QueryParams(value)),
            Err(e @ QueryRejection::FailedToDeserializeQueryString(_)) => {
                Err(Error::Malformed(e.body_text()).into())
            }
            Err(e) => Err(Error::Malformed(e.body_text()).into()),
        }
    }
}

/// Path parameters whose rejections are 404: an id that is not a UUID names
/// nothing that exists.
pub struct Ids<T>(pub T);

impl<S, T> FromRequestParts<S> for Ids<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Ids(value)),
            Err(_) => Err(Error::NotFound.into()),
        }
    }
}

/// A raw request body (a shared file); a body over the route's limit is a
/// 413 problem.
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::body::Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(RawBody(bytes)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => Err(
                ApiError::TooLarge("the file is larger than this server accepts".into()),
            ),
            Err(e) => Err(Error::Malformed(e.body_text()).into()),
        }
    }
}
