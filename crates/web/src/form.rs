//! Form posts. [`Posted`] is the only way a logged-in page handler reads a
//! form, and it checks the CSRF token and the origin before the handler
//! runs, so no handler can forget to.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use careinbox_domain::Error;
use uuid::Uuid;

use crate::Web;
use crate::error::{Failure, PageError};
use crate::session::{CSRF_FIELD, Viewer, same_origin};

/// The fields of an `application/x-www-form-urlencoded` body, in order;
/// a name may repeat (several recipients).
#[derive(Debug, Default, Clone)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(form_urlencoded::parse(body).into_owned().collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The field's value, or empty text when the form did not send it.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A field that must hold an id; anything else names nothing that exists.
    pub fn id(&self, name: &str) -> Result<Uuid, PageError> {
        let raw = self.get(name).ok_or(Error::NotFound)?;
        Uuid::parse_str(raw.trim()).map_err(|_| Error::NotFound.into())
    }

    pub fn checked(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v == "on" || v == "1" || v == "true")
    }
}

/// A form posted by a logged-in professional from one of our pages.
pub struct Posted {
    pub viewer: Viewer,
    pub fields: Fields,
}

impl FromRequest<Web> for Posted {
    type Rejection = Response;

    async fn from_request(request: Request, web: &Web) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        if !same_origin(&parts.headers) {
            return Err(Failure::CrossSite.into_response());
        }
        let viewer = Viewer::from_request_parts(&mut parts, web)
            .await
            .map_err(IntoResponse::into_response)?;
        let request = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(request, web)
            .await
            .map_err(|_| Failure::Malformed.into_response())?;
        let fields = Fields::parse(&bytes);
        if fields.get(CSRF_FIELD) != Some(viewer.csrf.as_str()) {
            return Err(Failure::CrossSite.into_response());
        }
        Ok(Posted { viewer, fields })
    }
}

/// A form posted before login: only the origin can be checked.
pub struct PublicForm(pub Fields);

impl FromRequest<Web> for PublicForm {
    type Rejection = Response;

    async fn from_request(request: Request, web: &Web) -> Result<Self, Self::Rejection> {
        if !same_origin(request.headers()) {
            return Err(Failure::CrossSite.into_response());
        }
        let bytes = Bytes::from_request(request, web)
            .await
            .map_err(|_| Failure::Malformed.into_response())?;
        Ok(PublicForm(Fields::parse(&bytes)))
    }
}

/// Path parameters that must be ids: anything else names nothing that
/// exists, so it gets the same "not found" page (R15).
pub struct Ids<T>(pub T);

impl<S, T> FromRequestParts<S> for Ids<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Ids(value)),
            Err(_) => Err(PageError(Error::NotFound)),
        }
    }
}

/// The query string's fields; a page treats a missing or odd value as
/// absent rather than refusing.
pub struct Query(pub Fields);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        Ok(Query(Fields::parse(raw.as_bytes())))
    }
}
