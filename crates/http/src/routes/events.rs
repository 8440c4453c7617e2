//! `GET /api/v1/events`: the caller's Server-Sent Events stream (SPEC
//! section 5).

use std::convert::Infallible;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use careinbox_domain::Error;
use careinbox_service::realtime::StreamItem;
use futures_util::Stream;

use crate::AppState;
use crate::error::{ApiResult, Problem};
use crate::extract::Auth;

/// The caller's events: `id:` is the event's sequence number, `event:` its
/// type, `data:` JSON naming the `conversation` and/or `inbox`. Send
/// `Last-Event-ID` to resume; an `event: reset` means reload everything.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", security(("bearer" = [])),
    params(("Last-Event-ID" = Option<String>, Header, description = "resume after this event")),
    responses((status = 200, content_type = "text/event-stream", body = String),
        (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn stream(
    State(app): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last_event_id = match headers
        .get("last-event-id")
        .map(|v| v.to_str().map(str::parse::<i64>))
    {
        None => None,
        Some(Ok(Ok(id))) if id >= 0 => Some(id),
        Some(_) => return Err(Error::Malformed("Last-Event-ID is not an event id".into()).into()),
    };
    let subscription = app.service.subscribe(&auth.caller, last_event_id).await?;
    let events = futures_util::stream::unfold(subscription, |mut s| async move {
        let item = s.next().await?;
        let event = match item {
            StreamItem::Event(e) => Event::default()
                .id(e.seq.to_string())
                .event(e.kind.clone())
                .data(e.data.clone()),
            StreamItem::Reset => Event::default().event("reset").data("{}"),
        };
        Some((Ok(event), s))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(app.heartbeat).text("heartbeat")))
}
