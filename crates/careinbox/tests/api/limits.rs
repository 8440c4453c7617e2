//! Limits and malformed input: sizes, counts, pages, rates, and the one error
//! format every refusal uses.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

/// The longest message body (SPEC section 4).
const MAX_BODY_BYTES: usize = 64 * 1024;

#[tokio::test]
async fn a_request_over_the_size_limit_is_413() {
    let app = TestApp::spawn_with(|args| args.max_request_bytes = 16 * 1024).await;
    let admin = app.admin().await;
    let big = json!({ "name": "x".repeat(20 * 1024) });

    let refused = app.post("/api/v1/admin/teams", admin.auth(), big).await;
    let small = app
        .post(
            "/api/v1/admin/teams",
            admin.auth(),
            json!({ "name": "Klein" }),
        )
        .await;

    assert_eq!(refused.status, 413, "{refused:?}");
    assert!(
        refused.is_problem(),
        "{refused:?} ({})",
        refused.content_type()
    );
    assert_eq!(small.status, 201, "{small:?}");
}

#[tokio::test]
async fn a_message_body_over_64_kib_is_422_and_64_kib_is_accepted() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[]).await;
    let path = format!("/api/v1/conversations/{}/messages", c.id);

    let over = s
        .post(
            &path,
            s.iris.auth(),
            json!({ "body": "a".repeat(MAX_BODY_BYTES + 1) }),
        )
        .await;
    let exact = s
        .post(
            &path,
            s.iris.auth(),
            json!({ "body": "a".repeat(MAX_BODY_BYTES) }),
        )
        .await;

    assert_eq!(over.status, 422, "{}", over.status);
    assert!(over.is_problem(), "{}", over.body["detail"]);
    assert_eq!(over.error_fields(), ["body"]);
    assert_eq!(exact.status, 201, "{}", exact.status);
    let timeline = s.timeline(&c.id, &s.anna).await;
    let bodies: Vec<usize> = messages(&timeline)
        .iter()
        .map(|m| m["body"].as_str().unwrap().len())
        .collect();
    assert_eq!(bodies[1..], [MAX_BODY_BYTES]);
}

#[tokio::test]
async fn a_first_message_over_64_kib_starts_nothing() {
    let s = Scenario::build().await;
    let mut body = conversation_body("Wondzorg", &[], &[&s.assistenten], None);
    body["body"] = json!("é".repeat(MAX_BODY_BYTES / 2 + 1));

    let refused = s.post("/api/v1/conversations", s.iris.auth(), body).await;

    assert_eq!(refused.status, 422, "{}", refused.status);
    assert_eq!(refused.error_fields(), ["body"]);
    assert!(s.personal_view(&s.iris, "all").await.0.is_empty());
    assert!(
        s.inbox_view(&s.assistenten, &s.carla, "active")
            .await
            .0
            .is_empty()
    );
}

#[tokio::test]
async fn an_empty_subject_or_body_is_422() {
    let s = Scenario::build().await;
    let blank_subject = conversation_body("   ", &[&s.anna], &[], None);
    let mut blank_body = conversation_body("Wondzorg", &[&s.anna], &[], None);
    blank_body["body"] = json!(" \n ");

    let subject = s
        .post("/api/v1/conversations", s.iris.auth(), blank_subject)
        .await;
    let body = s
        .post("/api/v1/conversations", s.iris.auth(), blank_body)
        .await;

    assert_eq!(subject.status, 422, "{subject:?}");
    assert_eq!(subject.error_fields(), ["subject"]);
    assert_eq!(body.status, 422, "{body:?}");
    assert_eq!(body.error_fields(), ["body"]);
    assert!(s.personal_view(&s.anna, "all").await.0.is_empty());
}

#[tokio::test]
async fn unknown_recipients_are_422_and_start_nothing() {
    let s = Scenario::build().await;
    let unknown = unknown_id();
    let bodies = [
        json!({ "subject": "W", "body": "B", "recipients": { "users": [unknown], "inboxes": [] } }),
        json!({ "subject": "W", "body": "B", "recipients": { "users": [], "inboxes": [unknown] } }),
        json!({
            "subject": "W",
            "body": "B",
            "recipients": { "users": [s.anna.id, unknown], "inboxes": [s.assistenten] },
        }),
        json!({ "subject": "W", "body": "B", "recipients": { "users": [], "inboxes": [] } }),
    ];

    for body in bodies {
        let reply = s.post("/api/v1/conversations", s.iris.auth(), body).await;

        assert_eq!(reply.status, 422, "{reply:?}");
        assert!(reply.is_problem(), "{reply:?}");
        assert!(!reply.error_fields().is_empty(), "{reply:?}");
    }
    assert!(s.personal_view(&s.iris, "all").await.0.is_empty());
    assert!(s.personal_view(&s.anna, "all").await.0.is_empty());
    assert!(
        s.inbox_view(&s.assistenten, &s.carla, "active")
            .await
            .0
            .is_empty()
    );
}

#[tokio::test]
async fn more_than_50_recipients_is_422_and_50_are_accepted() {
    let s = Scenario::build().await;
    let colleagues = [
        &s.anna, &s.bram, &s.carla, &s.daan, &s.eva, &s.fleur, &s.gijs, &s.hanna,
    ];
    let users: Vec<&str> = colleagues.iter().map(|p| p.id.as_str()).collect();
    let mut inboxes = vec![
        s.assistenten.clone(),
        s.poh_somatiek.clone(),
        s.poh_ggz.clone(),
    ];
    while users.len() + inboxes.len() < 51 {
        let name = format!("Spreekuur {}", inboxes.len());
        inboxes.push(
            s.create_inbox(&s.carla, &s.de_linde, &name, "spreekuurvragen")
                .await,
        );
    }
    let to = |inboxes: &[String]| {
        json!({
            "subject": "Rondschrijven",
            "body": "Nieuwe openingstijden van de apotheek.",
            "recipients": { "users": users, "inboxes": inboxes },
        })
    };

    let too_many = s
        .post("/api/v1/conversations", s.joost.auth(), to(&inboxes))
        .await;
    let fifty = s
        .post(
            "/api/v1/conversations",
            s.joost.auth(),
            to(&inboxes[..50 - users.len()]),
        )
        .await;

    assert_eq!(too_many.status, 422, "{too_many:?}");
    assert_eq!(too_many.error_fields(), ["recipients"]);
    let c = id_of(&fifty.expect_status(201));
    assert_eq!(
        s.personal_view(&s.joost, "all").await.ids(),
        std::slice::from_ref(&c)
    );
    let conversation = s.conversation(&c, &s.joost).await;
    assert_eq!(party_inboxes(&conversation).len(), 50 - users.len());
}

#[tokio::test]
async fn malformed_json_is_400() {
    let s = Scenario::build().await;
    let truncated = br#"{"subject": "Wondzorg", "body": "#.to_vec();

    let reply = s
        .send_raw(
            Method::POST,
            "/api/v1/conversations",
            s.iris.auth(),
            truncated,
        )
        .await;
    let login = s
        .send_raw(
            Method::POST,
            "/api/v1/auth/login",
            None,
            b"email=x".to_vec(),
        )
        .await;

    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(reply.is_problem(), "{reply:?} ({})", reply.content_type());
    assert_eq!(login.status, 400, "{login:?}");
    assert!(s.personal_view(&s.iris, "all").await.0.is_empty());
}

#[tokio::test]
async fn a_malformed_id_in_a_path_is_400_or_404_never_500() {
    let s = Scenario::build().await;
    let paths = [
        (Method::GET, "/api/v1/conversations/not-a-uuid".to_owned()),
        (Method::GET, "/api/v1/conversations/1234/messages".into()),
        (Method::PUT, "/api/v1/me/archive/%27%20OR%201%3D1".into()),
        (Method::GET, "/api/v1/inboxes/zzz/members".into()),
        (Method::GET, "/api/v1/inboxes/zzz/conversations".into()),
        (
            Method::DELETE,
            format!("/api/v1/inboxes/{}/members/nobody", s.assistenten),
        ),
        (
            Method::PUT,
            format!("/api/v1/inboxes/{}/archive/xyz", s.assistenten),
        ),
        (
            Method::GET,
            "/api/v1/teams/00000000-0000-0000-0000-00000000000g/audit".into(),
        ),
    ];

    for (method, path) in paths {
        let reply = s.send(method, &path, s.carla.auth(), None).await;

        assert!(matches!(reply.status.as_u16(), 400 | 404), "{reply:?}");
        assert!(reply.is_problem(), "{reply:?}");
    }
    assert_eq!(
        s.inbox_members(&s.assistenten, &s.carla).await,
        ids(&[&s.carla, &s.daan, &s.eva])
    );
}

#[tokio::test]
async fn pages_hold_at_most_100_items_and_the_cursor_continues() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[]).await;
    for n in 0..110 {
        s.post_message(&c.id, &s.iris, &format!("Meting {n}")).await;
    }
    let path = format!("/api/v1/conversations/{}/messages", c.id);

    let capped = s
        .get(&format!("{path}?limit=1000"), s.anna.auth())
        .await
        .expect_status(200);
    let default = s.get(&path, s.anna.auth()).await.expect_status(200);
    let zero = s.get(&format!("{path}?limit=0"), s.anna.auth()).await;
    let forged = s
        .get(&format!("{path}?cursor=bm90LW91cnM"), s.anna.auth())
        .await;

    assert_eq!(items(&capped).len(), 100);
    assert!(
        capped["next_cursor"].is_string(),
        "{}",
        capped["next_cursor"]
    );
    assert_eq!(items(&default).len(), 50);
    assert_eq!(zero.status, 400, "{zero:?}");
    assert_eq!(forged.status, 400, "{forged:?}");
    let cursor = encode(capped["next_cursor"].as_str().unwrap());
    let rest = s
        .get(&format!("{path}?limit=1000&cursor={cursor}"), s.anna.auth())
        .await;
    let rest = rest.expect_status(200);
    let all: Vec<&Value> = items(&capped).iter().chain(items(&rest)).collect();
    let seqs: BTreeSet<u64> = all.iter().filter_map(|item| item["seq"].as_u64()).collect();
    assert_eq!(seqs.len(), all.len(), "every item once, each with its seq");
    assert_eq!(
        all.iter().filter(|item| item["kind"] == "message").count(),
        111
    );
    assert!(rest["next_cursor"].is_null(), "{}", rest["next_cursor"]);
    let in_order: Vec<u64> = all.iter().filter_map(|item| item["seq"].as_u64()).collect();
    assert!(
        in_order.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {in_order:?}"
    );
}

#[tokio::test]
async fn a_smaller_configured_page_size_caps_listings() {
    let s = Scenario::build_with(|args| args.max_page_size = 3).await;
    for _ in 0..5 {
        s.start(&s.iris, &[], &[&s.assistenten]).await;
    }
    let path = format!(
        "/api/v1/inboxes/{}/conversations?view=active&limit=100",
        s.assistenten
    );

    let first = s.get(&path, s.daan.auth()).await.expect_status(200);

    assert_eq!(items(&first).len(), 3);
    let cursor = encode(first["next_cursor"].as_str().expect("a next page"));
    let second = s
        .get(&format!("{path}&cursor={cursor}"), s.daan.auth())
        .await
        .expect_status(200);
    let ids: BTreeSet<String> = items(&first)
        .iter()
        .chain(items(&second))
        .map(id_of)
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn listings_answer_items_and_next_cursor() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;
    let listings = [
        (&s.anna, format!("/api/v1/conversations/{}/messages", c.id)),
        (
            &s.carla,
            format!(
                "/api/v1/inboxes/{}/conversations?view=active",
                s.assistenten
            ),
        ),
        (&s.anna, "/api/v1/me/conversations?view=all".to_owned()),
        (
            &s.carla,
            format!("/api/v1/inboxes/{}/members", s.assistenten),
        ),
        (&s.carla, format!("/api/v1/teams/{}/audit", s.de_linde)),
    ];

    for (viewer, path) in listings {
        let page = s.get(&path, viewer.auth()).await.expect_status(200);

        assert!(
            page["items"].as_array().is_some_and(|i| !i.is_empty()),
            "{path}: {page}"
        );
        assert!(
            page.get("next_cursor").is_some_and(Value::is_null),
            "{path}: {page}"
        );
    }
}

#[tokio::test]
async fn views_list_the_newest_activity_first() {
    let s = Scenario::build().await;
    let first = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;
    let second = s.start(&s.joost, &[&s.anna], &[&s.assistenten]).await;
    let third = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;

    s.post_message(&first.id, &s.iris, "Nog een vraag").await;

    let expected = [first.id.clone(), third.id.clone(), second.id.clone()];
    assert_eq!(
        s.inbox_view(&s.assistenten, &s.eva, "active").await.ids(),
        expected
    );
    assert_eq!(s.personal_view(&s.anna, "active").await.ids(), expected);
}

#[tokio::test]
async fn errors_are_problem_json() {
    let s = Scenario::build().await;

    let not_found = s
        .get(
            &format!("/api/v1/conversations/{}", unknown_id()),
            s.iris.auth(),
        )
        .await;
    let unauthorized = s.get("/api/v1/me", None).await;
    let invalid = s
        .post(
            "/api/v1/conversations",
            s.iris.auth(),
            conversation_body("", &[&s.anna], &[], None),
        )
        .await;
    let forbidden = s
        .add_inbox_member(&s.daan, &s.assistenten, &s.anna.id)
        .await;
    let wrong_login = s
        .post(
            "/api/v1/auth/login",
            None,
            json!({ "email": s.iris.email, "password": "fout-wachtwoord" }),
        )
        .await;

    for (reply, status) in [
        (&not_found, 404),
        (&unauthorized, 401),
        (&invalid, 422),
        (&forbidden, 403),
        (&wrong_login, 401),
    ] {
        assert_eq!(reply.status, status, "{reply:?}");
        assert!(reply.is_problem(), "{reply:?} ({})", reply.content_type());
    }
    assert_eq!(invalid.body["errors"][0]["field"], "subject");
    assert!(invalid.body["errors"][0]["reason"].is_string());
    assert!(not_found.body.get("errors").is_none(), "{not_found:?}");
}

#[tokio::test]
async fn too_many_requests_are_429() {
    let app = TestApp::spawn_with(|args| args.rate_limit_per_minute = 5).await;
    let token = app.login(ADMIN_EMAIL, PASSWORD).await;

    let mut replies = Vec::new();
    for _ in 0..10 {
        replies.push(app.get("/api/v1/me", Some(&token)).await);
    }

    assert_eq!(replies[0].status, 200, "{:?}", replies[0]);
    let limited: Vec<&Reply> = replies.iter().filter(|r| r.status == 429).collect();
    assert!(limited.len() >= 5, "{replies:?}");
    assert!(limited.iter().all(|r| r.is_problem()), "{limited:?}");
    assert!(
        replies
            .iter()
            .all(|r| matches!(r.status.as_u16(), 200 | 429)),
        "{replies:?}"
    );
    assert_eq!(replies.last().unwrap().status, 429);
}

#[tokio::test]
async fn repeated_failed_logins_are_429_even_with_the_right_password() {
    let app = crate::support::TestApp::spawn_with(|args| args.max_failed_logins = 2).await;
    let admin = app.admin().await;
    let anna = app
        .create_person(&admin, "anna@inlog.test", "Anna", "huisarts")
        .await;
    let attempt = |password: &'static str| {
        let body = serde_json::json!({"email": "anna@inlog.test", "password": password});
        let app = app.api();
        async move {
            app.post("/api/v1/auth/login", None, body)
                .await
                .status
                .as_u16()
        }
    };

    let first = attempt("fout-wachtwoord-1").await;
    let second = attempt("fout-wachtwoord-2").await;
    let then = attempt(crate::support::PASSWORD).await;

    assert_eq!((first, second), (401, 401));
    assert_eq!(
        then, 429,
        "the right password after the limit is refused too"
    );
    assert!(!anna.token.is_empty());
}
