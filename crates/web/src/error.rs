//! When a page cannot be shown. A handler returns [`PageError`] with `?`; the
//! response carries a [`Failure`] marker, and the web layer's middleware,
//! which knows the visitor's language, turns it into a page: the login page
//! for an ended session, a calm "not found" for anything not there or not
//! visible (R15), and a readable sentence for a refusal.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use careinbox_domain::{Conflict, Error, FieldError};
use maud::html;

use crate::i18n::Lang;
use crate::layout;
use crate::session::Visit;

/// A use case refused, or something broke.
#[derive(Debug)]
pub struct PageError(pub Error);

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        PageError(e)
    }
}

impl From<FieldError> for PageError {
    fn from(e: FieldError) -> Self {
        PageError(Error::Invalid(vec![e]))
    }
}

pub type PageResult<T = Response> = Result<T, PageError>;

/// What went wrong, in a form the middleware can render after the handler
/// returned.
#[derive(Debug, Clone)]
pub enum Failure {
    NotFound,
    Unauthenticated,
    /// A form post that did not come from our own page.
    CrossSite,
    Forbidden(&'static str),
    Malformed,
    /// A shared file larger than the limit, in bytes, that it exceeded.
    TooLarge(usize),
    Invalid(Vec<FieldError>),
    Conflict(Conflict),
    RateLimited,
    Internal,
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::Unauthenticated => StatusCode::SEE_OTHER,
            Failure::CrossSite | Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::Malformed => StatusCode::BAD_REQUEST,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::Conflict(_) => StatusCode::CONFLICT,
            Failure::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<&Error> for Failure {
    fn from(e: &Error) -> Self {
        match e {
            Error::NotFound => Failure::NotFound,
            Error::Unauthenticated => Failure::Unauthenticated,
            Error::Forbidden(reason) => Failure::Forbidden(reason),
            Error::Malformed(_) => Failure::Malformed,
            Error::Invalid(fields) => Failure::Invalid(fields.clone()),
            Error::Conflict(c) => Failure::Conflict(*c),
            Error::RateLimited => Failure::RateLimited,
            Error::Internal(_) => Failure::Internal,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Error::Internal(cause) = &self.0 {
            // The cause goes into the request's span, never to the page.
            tracing::error!(error = %cause, "internal error");
        }
        Failure::from(&self.0).into_response()
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Replaces an answer marked with a [`Failure`] by its page.
pub fn render(response: Response, visit: &Visit) -> Response {
    let Some(failure) = response.extensions().get::<Failure>().cloned() else {
        return response;
    };
    let lang = visit.lang;
    if let Failure::Unauthenticated = failure {
        let next: String = form_urlencoded::byte_serialize(visit.path.as_bytes()).collect();
        let target = if visit.path == "/" {
            "/login".to_owned()
        } else {
            format!("/login?next={next}")
        };
        return Redirect::to(&target).into_response();
    }
    let (title, text) = match &failure {
        Failure::NotFound => (lang.not_found_title(), lang.not_found_text().to_owned()),
        Failure::CrossSite => (lang.refused_title(), lang.cross_site_text().to_owned()),
        Failure::Internal => (lang.broken_title(), lang.broken_text().to_owned()),
        other => (lang.refused_title(), refusal(lang, other)),
    };
    let body = html! {
        main #main .narrow tabindex="-1" {
            h1 { (title) }
            p { (text) }
            p { a href="/" { (lang.back_to_start()) } }
        }
    };
    crate::pages::html(failure.status(), layout::bare(lang, title, body))
}

/// A refusal as a sentence a care professional understands.
pub fn refusal(lang: Lang, failure: &Failure) -> String {
    match failure {
        Failure::Conflict(c) => lang.conflict(*c).to_owned(),
        Failure::Invalid(fields) => {
            let parts: Vec<String> = fields.iter().map(|f| lang.field_error(f)).collect();
            parts.join(" ")
        }
        Failure::Forbidden(reason) => lang.forbidden(reason).to_owned(),
        Failure::RateLimited => lang.rate_limited_text().to_owned(),
        Failure::NotFound => lang.not_found_text().to_owned(),
        Failure::Malformed => lang.malformed_text().to_owned(),
        Failure::TooLarge(limit) => lang.file_too_large(*limit),
        Failure::CrossSite => lang.cross_site_text().to_owned(),
        Failure::Unauthenticated | Failure::Internal => lang.broken_text().to_owned(),
    }
}

/// Whether a use case's refusal belongs on the form that asked (shown there
/// as a sentence), rather than on a page of its own.
pub fn shown_on_form(e: &Error) -> bool {
    matches!(
        e,
        Error::Invalid(_) | Error::Conflict(_) | Error::Forbidden(_)
    )
}

/// The sentence for an error shown on a form.
pub fn message(lang: Lang, e: &Error) -> String {
    refusal(lang, &Failure::from(e))
}
