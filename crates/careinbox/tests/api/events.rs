//! The realtime stream (SPEC section 5) beyond R6: resuming with
//! `Last-Event-ID` without loss, `reset` when the stream cannot resume, the
//! per-user cap on open streams, and the login it needs.

use std::time::Duration;

use futures_util::StreamExt;

use crate::support::{Scenario, TestApp};

/// Reads a stream opened with `last_event_id` for `wait`, returning the text.
async fn read_for(
    s: &Scenario,
    token: &str,
    last_event_id: Option<&str>,
    wait: Duration,
) -> (u16, String) {
    let mut request = s
        .http_client()
        .get(s.url("/api/v1/events"))
        .bearer_auth(token);
    if let Some(id) = last_event_id {
        request = request.header("Last-Event-ID", id);
    }
    let response = request.send().await.expect("the stream answers");
    let status = response.status().as_u16();
    let mut body = response.bytes_stream();
    let mut text = String::new();
    let _ = tokio::time::timeout(wait, async {
        while let Some(Ok(chunk)) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    (status, text)
}

/// The `id:` of the last event in a stream's text.
fn last_id(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("id: "))
        .next_back()
        .map(str::to_owned)
}

#[tokio::test]
async fn a_reconnecting_stream_resumes_after_last_event_id_without_loss() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let live = crate::support::EventStream::open(&s, &s.daan).await;
    s.post_message(&c.id, &s.iris, "Eerste").await;
    let seen = live.wait_for("event: message_created", 1).await;
    let resume_from = last_id(&seen).expect("an event id");
    drop(live);

    let first = s.post_message(&c.id, &s.iris, "Tweede").await;
    let second = s.post_message(&c.id, &s.carla, "Derde").await;
    let (status, replayed) = read_for(
        &s,
        &s.daan.token,
        Some(&resume_from),
        Duration::from_millis(700),
    )
    .await;

    assert_eq!(status, 200);
    assert_eq!(
        replayed.matches("event: message_created").count(),
        2,
        "{replayed}"
    );
    assert!(
        !replayed.contains(&format!("id: {resume_from}\n")),
        "replays only what came after: {replayed}"
    );
    assert!(!replayed.contains("event: reset"), "{replayed}");
    assert_ne!(first, second);
}

#[tokio::test]
async fn a_replay_holds_only_what_the_caller_may_see_now() {
    let s = Scenario::build().await;
    let shared = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let live = crate::support::EventStream::open(&s, &s.eva).await;
    s.post_message(&shared.id, &s.iris, "Voor iedereen").await;
    let resume_from = last_id(&live.wait_for("event: message_created", 1).await).expect("an id");
    drop(live);

    s.remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await
        .expect_status(204);
    s.post_message(&shared.id, &s.iris, "Na haar vertrek").await;
    let (_, replayed) = read_for(
        &s,
        &s.eva.token,
        Some(&resume_from),
        Duration::from_millis(700),
    )
    .await;

    assert!(replayed.contains("event: access_lost"), "{replayed}");
    assert!(!replayed.contains("event: message_created"), "{replayed}");
}

#[tokio::test]
async fn a_stream_that_cannot_resume_is_told_to_reset() {
    let s = Scenario::build().await;
    s.start(&s.iris, &[], &[&s.assistenten]).await;

    let (status, text) = read_for(
        &s,
        &s.daan.token,
        Some("999999999"),
        Duration::from_millis(500),
    )
    .await;
    let (bad, _) = read_for(
        &s,
        &s.daan.token,
        Some("gisteren"),
        Duration::from_millis(200),
    )
    .await;

    assert_eq!(status, 200);
    assert!(text.contains("event: reset"), "{text}");
    assert_eq!(bad, 400);
}

#[tokio::test]
async fn open_streams_per_user_are_capped_and_need_a_login() {
    let app = TestApp::spawn_with(|args| args.max_streams_per_user = 2).await;
    let admin = app.admin().await;
    let api = app.api();

    let open = |token: Option<String>| {
        let api = api.clone();
        async move {
            let mut request = api.http_client().get(api.url("/api/v1/events"));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send().await.expect("an answer")
        }
    };
    let first = open(Some(admin.token.clone())).await;
    let second = open(Some(admin.token.clone())).await;
    let third = open(Some(admin.token.clone())).await;
    let anonymous = open(None).await;

    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 200);
    assert_eq!(third.status(), 429);
    assert_eq!(anonymous.status(), 401);
    drop((first, second));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        open(Some(admin.token.clone())).await.status(),
        200,
        "a closed stream frees its place"
    );
}

#[tokio::test]
async fn the_web_session_cookie_opens_the_stream_but_no_other_api_call() {
    let s = Scenario::build().await;
    let cookie = format!("careinbox_session={}", s.carla.token);
    let client = s.http_client();

    let stream = client
        .get(s.url("/api/v1/events"))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("an answer");
    let me = client
        .get(s.url("/api/v1/me"))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("an answer");
    let start = client
        .post(s.url("/api/v1/conversations"))
        .header("Cookie", &cookie)
        .json(&serde_json::json!({"subject": "Via cookie", "body": "Mag niet.", "recipients": {"users": [s.anna.id]}}))
        .send()
        .await
        .expect("an answer");

    assert_eq!(stream.status(), 200);
    assert_eq!(me.status(), 401);
    assert_eq!(start.status(), 401);
    assert!(
        s.personal_view(&s.anna, "all").await.0.is_empty(),
        "nothing was started"
    );
}

#[tokio::test]
async fn r14_moving_the_read_position_streams_the_new_unread_counts() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    s.start(&s.iris, &[], &[&s.assistenten]).await;
    let stream = crate::support::EventStream::open(&s, &s.daan).await;

    s.put(
        &format!("/api/v1/conversations/{}/read", c.id),
        s.daan.auth(),
        serde_json::json!({ "message": c.message }),
    )
    .await
    .expect_status(204);

    let text = stream.wait_for("event: read", 1).await;
    let data = text
        .split("event: read\n")
        .nth(1)
        .and_then(|rest| rest.lines().find_map(|l| l.strip_prefix("data: ")))
        .expect("the read event's data");
    let data: serde_json::Value = serde_json::from_str(data).expect("json");
    assert_eq!(
        data["unread"]["inboxes"][&s.assistenten], 1,
        "one of two is read: {data}"
    );
    assert_eq!(data["unread"]["personal"], 0, "{data}");
}

#[tokio::test]
async fn r6_other_participants_hear_that_the_participants_changed() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let iris = crate::support::EventStream::open(&s, &s.iris).await;

    s.remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await
        .expect_status(204);

    let text = iris.wait_for("event: participants_changed", 1).await;
    assert!(text.contains(&c.id), "{text}");
    assert!(
        !text.contains("event: access_lost"),
        "access_lost is for Eva only: {text}"
    );
}
