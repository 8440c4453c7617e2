//! The one error type at the HTTP edge: every failure becomes an RFC 9457
//! `application/problem+json` body, with the status decided in one match.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use careinbox_domain::Error;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    /// The invalid fields, for 422.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: &'static str,
    pub reason: &'static str,
}

/// A failed request.
#[derive(Debug)]
pub enum ApiError {
    Domain(Error),
    /// JSON that does not fit the request's shape (422), with serde's words.
    InvalidBody(String),
    TooLarge(String),
    UnsupportedMediaType,
    MethodNotAllowed,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Domain(e)
    }
}

impl From<careinbox_domain::FieldError> for ApiError {
    fn from(e: careinbox_domain::FieldError) -> Self {
        ApiError::Domain(Error::Invalid(vec![e]))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Domain(e) => match e {
                Error::Malformed(_) => StatusCode::BAD_REQUEST,
                Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                Error::Unauthenticated => StatusCode::UNAUTHORIZED,
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                Error::NotFound => StatusCode::NOT_FOUND,
                Error::Conflict(_) => StatusCode::CONFLICT,
                Error::RateLimited => StatusCode::TOO_MANY_REQUESTS,
                Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            ApiError::InvalidBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn problem(&self) -> Problem {
        let status = self.status();
        let title = status.canonical_reason().unwrap_or("Error");
        let (detail, errors) = match self {
            ApiError::Domain(Error::Invalid(fields)) => (
                fields
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                fields
                    .iter()
                    .map(|f| FieldProblem {
                        field: f.field,
                        reason: f.reason,
                    })
                    .collect(),
            ),
            ApiError::Domain(Error::Internal(_)) => {
                ("something went wrong on our side".into(), vec![])
            }
            ApiError::Domain(Error::NotFound) => {
                ("not found, or not visible to you".into(), vec![])
            }
            ApiError::Domain(Error::Unauthenticated) => {
                ("log in first, or your session has ended".into(), vec![])
            }
            ApiError::Domain(e) => (e.to_string(), vec![]),
            ApiError::InvalidBody(text) => (
                text.clone(),
                vec![FieldProblem {
                    field: "body",
                    reason: "is missing a field or has a wrong type",
                }],
            ),
            ApiError::TooLarge(what) => (what.clone(), vec![]),
            ApiError::UnsupportedMediaType => (
                "send JSON with Content-Type: application/json".into(),
                vec![],
            ),
            ApiError::MethodNotAllowed => ("this method is not allowed here".into(), vec![]),
        };
        Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail,
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Domain(Error::Internal(cause)) = &self {
            // The cause goes into the request's span, never to the client.
            tracing::error!(error = %cause, "internal error");
        }
        problem_response(self.status(), self.problem())
    }
}

pub fn problem_response(status: StatusCode, problem: Problem) -> Response {
    let mut response = (status, Json(problem)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/problem+json"),
    );
    response
}
