//! Who is visiting: the session cookie, the CSRF token derived from it, the
//! visitor's language and whether the page came over TLS.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};
use careinbox_domain::Error;
use careinbox_service::Caller;
use sha2::{Digest, Sha256};

use crate::Web;
use crate::error::PageError;
use crate::i18n::Lang;

/// The cookie that holds the session token. The JSON API's event stream
/// accepts it too, so the page's live updates need no token in script.
pub const SESSION_COOKIE: &str = "careinbox_session";

/// The cookie that remembers a language chosen in the page footer.
pub const LANG_COOKIE: &str = "lang";

/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// The CSRF token of a session: a hash of the session token, so that it
/// needs no storage and ends with the session, while the token itself
/// never appears in a page.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::digest(format!("csrf:{session_token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// What is known of any visitor, logged in or not.
#[derive(Debug, Clone)]
pub struct Visit {
    pub lang: Lang,
    /// Whether the browser reached us over TLS (directly or through a proxy
    /// that says so), which makes the session cookie `Secure`.
    pub secure: bool,
    /// The path and query of the request, to come back to after logging in.
    pub path: String,
}

impl Visit {
    pub fn of(headers: &HeaderMap, uri: &Uri) -> Visit {
        let lang = cookie(headers, LANG_COOKIE)
            .and_then(Lang::from_code)
            .unwrap_or_else(|| {
                let accepted = headers.get(header::ACCEPT_LANGUAGE);
                Lang::from_accept_language(accepted.and_then(|v| v.to_str().ok()))
            });
        let forwarded = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
        let secure = forwarded || uri.scheme_str() == Some("https");
        let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        Visit { lang, secure, path }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Visit::of(&parts.headers, &parts.uri))
    }
}

/// A logged-in professional looking at a page.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub caller: Caller,
    pub token: String,
    pub csrf: String,
    pub visit: Visit,
}

impl Viewer {
    pub fn lang(&self) -> Lang {
        self.visit.lang
    }
}

impl FromRequestParts<Web> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Self::Rejection> {
        let visit = Visit::of(&parts.headers, &parts.uri);
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| t.len() <= 256)
            .ok_or(Error::Unauthenticated)?
            .to_owned();
        let session = web.service.authenticate(&token).await?;
        let caller = Caller {
            user: session.user,
            instance_admin: session.instance_admin,
            ip: client_ip(parts),
        };
        tracing::Span::current().record("user", tracing::field::display(caller.user));
        let csrf = csrf_token(&token);
        Ok(Viewer {
            caller,
            token,
            csrf,
            visit,
        })
    }
}

/// The client's address, for the audit log, as an extractor.
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

/// The client's address, for the audit log.
pub fn client_ip(parts: &Parts) -> Option<String> {
    let info = parts.extensions.get::<ConnectInfo<SocketAddr>>();
    info.map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// Whether a form post comes from one of our own pages. Browsers send
/// `Sec-Fetch-Site` and `Origin` with every form post; when they are there
/// they must name this site. The CSRF token is checked besides this, so a
/// client that sends neither header is still covered.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// A path on this site to return to: only local paths, so that a crafted
/// link cannot send someone elsewhere after logging in.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The `Set-Cookie` value that stores a session token for `max_age` seconds.
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` value that ends the session cookie.
pub fn expired_session_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; careinbox_session=abc; lang=en"),
        );

        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, LANG_COOKIE), Some("en"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn csrf_token_depends_on_the_session() {
        assert_eq!(csrf_token("one").len(), 64);
        assert_ne!(csrf_token("one"), csrf_token("two"));
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("care.test:8080"));
        assert!(same_origin(&headers));

        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://care.test:8080"),
        );
        assert!(same_origin(&headers));

        headers.insert(header::ORIGIN, HeaderValue::from_static("http://evil.test"));
        assert!(!same_origin(&headers));

        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&headers));
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/c/1")), "/c/1");
        assert_eq!(local_path(Some("//evil.test")), "/");
        assert_eq!(local_path(Some("https://evil.test")), "/");
        assert_eq!(local_path(None), "/");
    }
}
