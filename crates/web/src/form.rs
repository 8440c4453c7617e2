//! Form posts. [`Posted`] is the only way a logged-in page handler reads a
//! form, and [`Uploaded`] the only way it reads a form with a file; both
//! check the CSRF token and the origin before the handler runs, so no
//! handler can forget to.

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
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

/// The field of an upload form that carries the file.
pub const FILE_FIELD: &str = "file";

/// A form with a file (`multipart/form-data`), posted by a logged-in
/// professional from one of our pages. The origin is checked before the
/// body is read, the CSRF token before anything in it is used, and a file
/// over the operator's limit is refused (413) with a sentence.
pub struct Uploaded {
    pub viewer: Viewer,
    pub fields: Fields,
    /// The file of [`FILE_FIELD`], when the form sent one.
    pub file: Option<UploadedFile>,
}

/// A file as the browser sent it.
pub struct UploadedFile {
    /// The file's name on the sender's computer, without any folder.
    pub name: String,
    /// The media type the browser declared, if any.
    pub content_type: Option<String>,
    pub data: Bytes,
}

impl FromRequest<Web> for Uploaded {
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
        let mut multipart = Multipart::from_request(request, web)
            .await
            .map_err(|_| Failure::Malformed.into_response())?;

        let mut texts = Vec::new();
        let mut file = None;
        let read = read_parts(&mut multipart, &mut texts, &mut file).await;

        // A body over the limit is refused for its size alone: the token
        // may lie beyond the part that was read, and nothing is done with
        // the form either way.
        let limit = web.settings.max_attachment_bytes;
        let too_large = || Failure::TooLarge(limit).into_response();
        if read
            .as_ref()
            .is_err_and(|e| e.status() == StatusCode::PAYLOAD_TOO_LARGE)
        {
            return Err(too_large());
        }
        let fields = Fields(texts);
        if fields.get(CSRF_FIELD) != Some(viewer.csrf.as_str()) {
            return Err(Failure::CrossSite.into_response());
        }
        if read.is_err() {
            return Err(Failure::Malformed.into_response());
        }
        if file.as_ref().is_some_and(|f| f.data.len() > limit) {
            return Err(too_large());
        }
        Ok(Uploaded {
            viewer,
            fields,
            file,
        })
    }
}

/// Reads the form's text fields and its first [`FILE_FIELD`] file, in the
/// order sent, until the end or the first error.
async fn read_parts(
    multipart: &mut Multipart,
    texts: &mut Vec<(String, String)>,
    file: &mut Option<UploadedFile>,
) -> Result<(), MultipartError> {
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or("").to_owned();
        match field.file_name() {
            None => texts.push((name, field.text().await?)),
            Some(sent) if name == FILE_FIELD && file.is_none() => {
                let name = base_name(sent).to_owned();
                let content_type = field.content_type().map(str::to_owned);
                let data = field.bytes().await?;
                *file = Some(UploadedFile {
                    name,
                    content_type,
                    data,
                });
            }
            // Only one file per form; the rest is skipped unread.
            Some(_) => {}
        }
    }
    Ok(())
}

/// A file name without the folders some browsers put before it.
fn base_name(sent: &str) -> &str {
    sent.rsplit(['/', '\\']).next().unwrap_or(sent)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_file_name_loses_its_folders() {
        assert_eq!(base_name("wond.png"), "wond.png");
        assert_eq!(base_name("C:\\Users\\iris\\wond.png"), "wond.png");
        assert_eq!(base_name("foto's/wond.png"), "wond.png");
        assert_eq!(base_name(""), "");
    }
}
