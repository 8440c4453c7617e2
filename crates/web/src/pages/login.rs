//! Logging in and out, and choosing the language. Every professional logs in
//! with their own account; there is no account for an inbox (R1).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use careinbox_domain::Error;
use maud::html;

use super::{html, see_other};
use crate::error::PageResult;
use crate::form::{Fields, Ids, Posted, PublicForm, Query};
use crate::i18n::Lang;
use crate::layout::{self, notice};
use crate::session::{
    ClientIp, LANG_COOKIE, Visit, expired_session_cookie, local_path, session_cookie,
};
use crate::{Web, clock};

pub async fn form(visit: Visit, Query(query): Query) -> Response {
    page(&visit, &query, None, StatusCode::OK)
}

pub async fn submit(
    State(web): State<Web>,
    visit: Visit,
    ClientIp(ip): ClientIp,
    PublicForm(fields): PublicForm,
) -> PageResult {
    let email = fields.text("email");
    let password = fields.text("password");
    let (token, expires) = match web.service.login(email, password, ip).await {
        Ok(session) => session,
        Err(Error::Unauthenticated) => {
            let text = visit.lang.login_failed();
            return Ok(page(&visit, &fields, Some(text), StatusCode::UNAUTHORIZED));
        }
        Err(e) => return Err(e.into()),
    };

    let max_age = (expires - clock::now_us()) / 1_000_000;
    let mut response = see_other(&local_path(fields.get("next")));
    let cookie = session_cookie(&token, max_age.max(0), visit.secure);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn logout(State(web): State<Web>, Posted { viewer, .. }: Posted) -> PageResult {
    web.service.logout(&viewer.caller, &viewer.token).await?;

    let mut response = see_other("/login");
    let cookie = expired_session_cookie(viewer.visit.secure);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The footer's switch: remembers the choice for a year.
pub async fn language(Ids(code): Ids<String>, visit: Visit, Query(query): Query) -> Response {
    let mut response = see_other(&local_path(query.get("next")));
    if let Some(lang) = Lang::from_code(&code) {
        let secure = if visit.secure { "; Secure" } else { "" };
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn page(visit: &Visit, fields: &Fields, refusal: Option<&str>, status: StatusCode) -> Response {
    let lang = visit.lang;
    let next = local_path(fields.get("next"));
    let main = html! {
        main #main .narrow .login tabindex="-1" {
            h1 { (lang.log_in()) }
            p .hint { (lang.login_hint()) }
            @if let Some(text) = refusal { (notice(text, true)) }
            form method="post" action="/login" .stack {
                input type="hidden" name="next" value=(next);
                label for="email" { (lang.email()) }
                input #email type="email" name="email" autocomplete="username" required
                    value=(fields.text("email")) autofocus;
                label for="password" { (lang.password()) }
                input #password type="password" name="password"
                    autocomplete="current-password" required;
                button .primary type="submit" { (lang.log_in()) }
            }
        }
        (layout::footer(lang, &visit.path))
    };
    html(status, layout::bare(lang, lang.log_in(), main))
}
