//! Operations: health probes, metrics, and the OpenAPI contract with its
//! interactive page.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::*;

/// Every operation SPEC section 4 and docs/api.md name, as method and path.
const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("post", "/api/v1/admin/teams"),
    ("post", "/api/v1/admin/users"),
    ("delete", "/api/v1/admin/users/{user}"),
    ("post", "/api/v1/admin/networks"),
    ("post", "/api/v1/teams/{team}/members"),
    ("delete", "/api/v1/teams/{team}/members/{user}"),
    ("post", "/api/v1/networks/{network}/teams"),
    ("get", "/api/v1/directory"),
    ("post", "/api/v1/teams/{team}/inboxes"),
    ("patch", "/api/v1/inboxes/{inbox}"),
    ("get", "/api/v1/inboxes/{inbox}/members"),
    ("post", "/api/v1/inboxes/{inbox}/members"),
    ("delete", "/api/v1/inboxes/{inbox}/members/{user}"),
    ("get", "/api/v1/inboxes/{inbox}/conversations"),
    ("get", "/api/v1/me/conversations"),
    ("post", "/api/v1/conversations"),
    ("get", "/api/v1/conversations/{conversation}"),
    ("get", "/api/v1/conversations/{conversation}/messages"),
    ("post", "/api/v1/conversations/{conversation}/messages"),
    ("post", "/api/v1/conversations/{conversation}/participants"),
    ("put", "/api/v1/inboxes/{inbox}/archive/{conversation}"),
    ("delete", "/api/v1/inboxes/{inbox}/archive/{conversation}"),
    ("put", "/api/v1/me/archive/{conversation}"),
    ("delete", "/api/v1/me/archive/{conversation}"),
    ("put", "/api/v1/conversations/{conversation}/read"),
    ("get", "/api/v1/events"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
];

/// A path with every `{parameter}` segment written as `{}`, so that the
/// parameter names do not matter.
fn normalise(path: &str) -> String {
    let segments = path.split('/').map(|s| {
        if s.starts_with('{') && s.ends_with('}') {
            "{}"
        } else {
            s
        }
    });
    segments.collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn health_probes_answer_200() {
    let app = TestApp::spawn().await;

    let health = app.get("/healthz", None).await;
    let ready = app.get("/readyz", None).await;

    assert_eq!(health.status, 200, "{health:?}");
    assert_eq!(ready.status, 200, "{ready:?}");
}

#[tokio::test]
async fn metrics_count_http_requests() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.get("/api/v1/me", admin.auth()).await.expect_status(200);
    app.get("/api/v1/me", None).await.expect_status(401);

    let metrics = app.get("/metrics", None).await;

    assert_eq!(metrics.status, 200, "{metrics:?}");
    let text = metrics.body.as_str().expect("metrics are text");
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(
        metrics.content_type().starts_with("text/plain"),
        "{}",
        metrics.content_type()
    );
}

#[tokio::test]
async fn openapi_document_describes_every_operation() {
    let app = TestApp::spawn().await;

    let reply = app.get("/api/openapi.json", None).await;

    assert_eq!(reply.status, 200, "{}", reply.status);
    assert!(
        reply.content_type().starts_with("application/json"),
        "{}",
        reply.content_type()
    );
    let document = reply.body;
    let version = document["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3.1."), "openapi version {version:?}");
    let paths = document["paths"].as_object().expect("paths");
    let described: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = item
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or(vec![]);
            methods.into_iter().map(move |m| (m, normalise(path)))
        })
        .collect();
    let missing: Vec<&(&str, &str)> = OPERATIONS
        .iter()
        .filter(|(method, path)| !described.contains(&(method.to_string(), normalise(path))))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the OpenAPI document: {missing:?}"
    );
}

#[tokio::test]
async fn api_docs_are_an_html_page() {
    let app = TestApp::spawn().await;

    let docs = app.get("/api/docs", None).await;

    assert_eq!(docs.status, 200, "{}", docs.status);
    assert!(
        docs.content_type().starts_with("text/html"),
        "{}",
        docs.content_type()
    );
    let page = match &docs.body {
        Value::String(text) => text.to_lowercase(),
        other => panic!("not HTML: {other}"),
    };
    assert!(
        page.contains("<html") || page.contains("<!doctype html"),
        "{page}"
    );
}

#[test]
fn normalising_ignores_parameter_names() {
    assert_eq!(
        normalise("/api/v1/inboxes/{inbox}/archive/{c}"),
        "/api/v1/inboxes/{}/archive/{}"
    );
    assert_eq!(normalise("/api/v1/me"), "/api/v1/me");
}
