//! The stylesheet, the live-update script and the icon, embedded in the
//! binary so that a practice network without internet access has all it
//! needs. Their URLs carry a hash of the content, so browsers may keep them
//! for a year and still get a new version the moment it ships.

use std::sync::LazyLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// (file name, content type, content).
const FILES: [(&str, &str, &[u8]); 3] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/style.css"),
    ),
    (
        "live.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/live.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../assets/icon.svg"),
    ),
];

/// A short hash of all assets together, computed once.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = Sha256::new();
    for (_, _, content) in FILES {
        hasher.update(content);
    }
    hasher
        .finalize()
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
});

/// The URL of an asset, with its version.
pub fn url(file: &str) -> String {
    format!("/assets/{file}?v={}", *VERSION)
}

pub async fn serve(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let Some((_, kind, content)) = FILES.iter().find(|(name, _, _)| *name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
