//! The pages, one module per part of the application. Each handler parses
//! the request, calls the use cases it shows, and renders.

pub mod compose;
pub mod conversation;
pub mod login;
pub mod manage;
pub mod views;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

/// A rendered page with a status.
pub fn html(status: axum::http::StatusCode, page: Markup) -> Response {
    let mut response = (status, page.into_string()).into_response();
    let value = HeaderValue::from_static("text/html; charset=utf-8");
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    response
}

/// A rendered page.
pub fn ok(page: Markup) -> Response {
    html(axum::http::StatusCode::OK, page)
}

/// After a form post: show the next page with a GET, so that reloading it
/// does not post the form again.
pub fn see_other(target: &str) -> Response {
    Redirect::to(target).into_response()
}
