//! Shared files: only participants read a conversation's attachments (R15),
//! every upload and read is audited (R16), and uploads have a size limit.

use crate::support::{Scenario, TestApp};

const PHOTO: &[u8] = b"\x89PNG\r\n\x1a\n-not-really-a-photo-of-a-wound";

async fn upload(
    s: &Scenario,
    conversation: &str,
    token: &str,
    name: &str,
    data: &[u8],
) -> reqwest::Response {
    s.http_client()
        .post(s.url(&format!(
            "/api/v1/conversations/{conversation}/attachments?name={name}"
        )))
        .bearer_auth(token)
        .header("Content-Type", "image/png")
        .body(data.to_vec())
        .send()
        .await
        .expect("an answer")
}

#[tokio::test]
async fn r15_participants_share_files_and_nobody_else_sees_them() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let shared = upload(&s, &c.id, &s.iris.token, "wond%20rechts.png", PHOTO).await;
    assert_eq!(shared.status(), 201);
    let shared: serde_json::Value = shared.json().await.expect("json");
    let path = format!(
        "/api/v1/attachments/{}",
        shared["id"].as_str().expect("an id")
    );
    let fetch = |token: Option<String>| {
        let request = s.http_client().get(s.url(&path));
        let request = match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        async move { request.send().await.expect("an answer") }
    };

    let carla = fetch(Some(s.carla.token.clone())).await;
    let joost = fetch(Some(s.joost.token.clone())).await;
    let anonymous = fetch(None).await;

    assert_eq!(carla.status(), 200);
    assert_eq!(carla.headers()["content-type"], "image/png");
    assert_eq!(carla.headers()["x-content-type-options"], "nosniff");
    let disposition = carla.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("wond%20rechts.png"),
        "{disposition}"
    );
    assert_eq!(carla.bytes().await.expect("bytes").as_ref(), PHOTO);
    assert_eq!(joost.status(), 404);
    assert_eq!(anonymous.status(), 401);
    let timeline = s.timeline(&c.id, &s.daan).await;
    let message = timeline
        .iter()
        .find(|i| !i["attachment"].is_null())
        .expect("a message with the file");
    assert_eq!(message["attachment"]["name"], "wond rechts.png");
    assert_eq!(message["attachment"]["size"], PHOTO.len());
}

#[tokio::test]
async fn r15_a_non_participant_cannot_share_into_a_conversation() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let refused = upload(&s, &c.id, &s.joost.token, "x.png", PHOTO).await;

    assert_eq!(refused.status(), 404);
    let timeline = s.timeline(&c.id, &s.iris).await;
    assert!(
        timeline.iter().all(|i| i["attachment"].is_null()),
        "nothing was shared"
    );
}

#[tokio::test]
async fn r16_uploads_and_reads_of_files_are_audited() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let shared: serde_json::Value = upload(&s, &c.id, &s.iris.token, "brief.pdf", b"%PDF-1.7")
        .await
        .json()
        .await
        .expect("json");
    let path = format!(
        "/api/v1/attachments/{}",
        shared["id"].as_str().expect("an id")
    );
    s.get(&path, s.daan.auth()).await;

    let log = s
        .get(
            &format!("/api/v1/teams/{}/audit", s.de_linde),
            s.carla.auth(),
        )
        .await
        .expect_status(200);

    let actions: Vec<(String, String)> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or("").to_owned(),
                e["actor"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("attachment.upload".into(), s.iris.id.clone())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("attachment.read".into(), s.daan.id.clone())),
        "{actions:?}"
    );
}

#[tokio::test]
async fn files_over_the_limit_are_413_and_empty_or_badly_named_ones_422() {
    let app = TestApp::spawn_with(|args| args.max_attachment_bytes = 1024).await;
    let admin = app.admin().await;
    let team = app.create_team(&admin, "Praktijk").await;
    let anna = app
        .create_person(&admin, "anna@bestanden.test", "Anna", "huisarts")
        .await;
    let bram = app
        .create_person(&admin, "bram@bestanden.test", "Bram", "huisarts")
        .await;
    app.add_team_member(&admin, &team, &anna, "member").await;
    app.add_team_member(&admin, &team, &bram, "member").await;
    let c = app.start(&anna, &[&bram], &[]).await;
    let send = |name: &'static str, size: usize| {
        let request = app
            .http_client()
            .post(app.url(&format!(
                "/api/v1/conversations/{}/attachments?name={name}",
                c.id
            )))
            .bearer_auth(&anna.token)
            .body(vec![7u8; size]);
        async move { request.send().await.expect("an answer").status().as_u16() }
    };

    assert_eq!(send("klein.bin", 1024).await, 201);
    assert_eq!(send("groot.bin", 1025).await, 413);
    assert_eq!(send("leeg.bin", 0).await, 422);
    assert_eq!(send("..", 10).await, 422);
    assert_eq!(send("map%2Fbestand.bin", 10).await, 422);
}
