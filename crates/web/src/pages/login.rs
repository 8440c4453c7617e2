//! Logging in and out, and choosing the language. Every professional logs in
//! with their own account; there is no account for an inbox (R1). After
//! logging in, a professional lands where their work is (see [`landing`]).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use careinbox_domain::Error;
use careinbox_service::Caller;
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
    let (token, expires) = match web.service.login(email, password, ip.clone()).await {
        Ok(session) => session,
        Err(Error::Unauthenticated) => {
            let text = visit.lang.login_failed();
            return Ok(page(&visit, &fields, Some(text), StatusCode::UNAUTHORIZED));
        }
        Err(e) => return Err(e.into()),
    };

    let next = match local_path(fields.get("next")) {
        start if start == "/" => landing(&web, &token, ip).await,
        asked => asked,
    };
    let max_age = (expires - clock::now_us()) / 1_000_000;
    let mut response = see_other(&next);
    let cookie = session_cookie(&token, max_age.max(0), visit.secure);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The first page after logging in without a page asked for. Persoonlijk,
/// unless the professional is a member of exactly one shared inbox and has
/// nothing unread in Persoonlijk: then that inbox's view, because the work
/// of, say, a doctor's assistant comes in through the practice's inbox and
/// an empty Persoonlijk would only be a click in the way. With several
/// inboxes no one of them is the obvious start, so Persoonlijk it is.
/// Choosing is a comfort: if it fails, Persoonlijk works as well.
async fn landing(web: &Web, token: &str, ip: Option<String>) -> String {
    let Ok(session) = web.service.authenticate(token).await else {
        return "/".to_owned();
    };
    let caller = Caller {
        user: session.user,
        instance_admin: session.instance_admin,
        ip,
    };
    match web.service.me(&caller).await {
        Ok(me) if me.inboxes.len() == 1 && me.personal_unread == 0 => {
            format!("/inbox/{}", me.inboxes[0].0.id)
        }
        _ => "/".to_owned(),
    }
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
