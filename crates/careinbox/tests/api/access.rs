//! R15: a conversation exists only for its participants, an inbox's internals
//! only for its team's staff, and nothing at all without a login. Every
//! refused call is followed by a check that it changed nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

/// One request of the access matrix.
struct Call {
    method: Method,
    path: String,
    body: Option<Value>,
}

impl Call {
    fn new(method: Method, path: String, body: Option<Value>) -> Call {
        Call { method, path, body }
    }

    async fn send(&self, api: &Api, token: Option<&str>) -> Reply {
        api.send(self.method.clone(), &self.path, token, self.body.as_ref())
            .await
    }
}

/// Every conversation endpoint, aimed at conversation `c` (and inbox `inbox`
/// for archiving), with bodies that would change something if allowed.
fn conversation_calls(s: &Scenario, c: &Started, inbox: &str, newcomer: &Person) -> Vec<Call> {
    let id = &c.id;
    vec![
        Call::new(Method::GET, format!("/api/v1/conversations/{id}"), None),
        Call::new(
            Method::GET,
            format!("/api/v1/conversations/{id}/messages"),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/conversations/{id}/messages"),
            Some(json!({ "body": "Mag ik meelezen?" })),
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/conversations/{id}/participants"),
            Some(json!({ "user": newcomer.id })),
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/conversations/{id}/participants"),
            Some(json!({ "inbox": s.poh_ggz })),
        ),
        Call::new(
            Method::PUT,
            format!("/api/v1/conversations/{id}/read"),
            Some(json!({ "message": c.message })),
        ),
        Call::new(
            Method::PUT,
            format!("/api/v1/inboxes/{inbox}/archive/{id}"),
            None,
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/inboxes/{inbox}/archive/{id}"),
            None,
        ),
        Call::new(Method::PUT, format!("/api/v1/me/archive/{id}"), None),
        Call::new(Method::DELETE, format!("/api/v1/me/archive/{id}"), None),
    ]
}

/// Everything participants can observe of `c`: the conversation, its
/// timeline, the inbox views and the unread counts.
async fn conversation_state(s: &Scenario, c: &str) -> Value {
    json!({
        "conversation": s.conversation(c, &s.iris).await,
        "timeline": s.timeline(c, &s.iris).await,
        "active": s.inbox_view(&s.assistenten, &s.daan, "active").await.0,
        "archived": s.inbox_view(&s.assistenten, &s.daan, "archived").await.0,
        "daan": s.me(&s.daan).await,
        "iris": s.personal_view(&s.iris, "all").await.0,
    })
}

/// What the inbox's team and partners can observe of inbox `inbox`.
async fn inbox_state(s: &Scenario, inbox: &str) -> Value {
    let path = format!("/api/v1/inboxes/{inbox}/members?limit=100");
    json!({
        "members": s.get(&path, s.carla.auth()).await.expect_status(200),
        "directory": s.directory(&s.joost, "").await["inboxes"],
        "view": s.inbox_view(inbox, &s.carla, "active").await.0,
    })
}

#[tokio::test]
async fn r15_non_participants_get_404_from_every_conversation_endpoint() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    s.karin_joins(true).await;
    let calls = conversation_calls(&s, &c, &s.assistenten, &s.bram);
    let before = conversation_state(&s, &c.id).await;

    for outsider in [&s.anna, &s.joost, &s.karin] {
        for call in &calls {
            let reply = call.send(&s, outsider.auth()).await;

            assert_eq!(reply.status, 404, "{} got {reply:?}", outsider.name);
            assert!(reply.is_problem(), "{reply:?}");
            assert_eq!(
                conversation_state(&s, &c.id).await,
                before,
                "{reply:?} changed something"
            );
        }
    }
}

#[tokio::test]
async fn r15_a_hidden_conversation_answers_like_a_missing_one() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let missing = Started {
        id: unknown_id(),
        message: unknown_id(),
    };
    let hidden_calls = conversation_calls(&s, &c, &s.assistenten, &s.bram);
    let missing_calls = conversation_calls(&s, &missing, &s.assistenten, &s.bram);

    for (hidden, missing) in hidden_calls.iter().zip(&missing_calls) {
        let hidden = hidden.send(&s, s.joost.auth()).await;
        let missing = missing.send(&s, s.joost.auth()).await;

        assert_eq!(hidden.status, 404, "{hidden:?}");
        assert_eq!(missing.status, 404, "{missing:?}");
        assert_eq!(hidden.body["title"], missing.body["title"]);
        assert_eq!(hidden.body["detail"], missing.body["detail"]);
    }
}

#[tokio::test]
async fn r15_outsiders_get_404_from_every_inbox_endpoint() {
    let s = Scenario::build().await;
    s.start(&s.iris, &[], &[&s.assistenten]).await;
    let inbox = &s.assistenten;
    let before = inbox_state(&s, inbox).await;
    let calls = [
        Call::new(
            Method::GET,
            format!("/api/v1/inboxes/{inbox}/members"),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/inboxes/{inbox}/members"),
            Some(json!({ "user": s.anna.id })),
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/inboxes/{inbox}/members/{}", s.daan.id),
            None,
        ),
        Call::new(
            Method::PATCH,
            format!("/api/v1/inboxes/{inbox}"),
            Some(json!({ "name": "Overgenomen", "active": false })),
        ),
        Call::new(
            Method::GET,
            format!("/api/v1/inboxes/{inbox}/conversations?view=active"),
            None,
        ),
        Call::new(
            Method::GET,
            format!("/api/v1/inboxes/{inbox}/conversations?view=archived"),
            None,
        ),
    ];

    for outsider in [&s.iris, &s.joost, &s.karin] {
        for call in &calls {
            let reply = call.send(&s, outsider.auth()).await;

            assert_eq!(reply.status, 404, "{} got {reply:?}", outsider.name);
            assert!(reply.is_problem(), "{reply:?}");
            assert_eq!(
                inbox_state(&s, inbox).await,
                before,
                "{reply:?} changed something"
            );
        }
    }
}

#[tokio::test]
async fn r15_staff_who_do_not_manage_may_look_but_not_change() {
    let s = Scenario::build().await;
    s.start(&s.iris, &[], &[&s.assistenten]).await;
    let inbox = &s.assistenten;
    let before = inbox_state(&s, inbox).await;
    let add = Call::new(
        Method::POST,
        format!("/api/v1/inboxes/{inbox}/members"),
        Some(json!({ "user": s.anna.id })),
    );
    let remove = Call::new(
        Method::DELETE,
        format!("/api/v1/inboxes/{inbox}/members/{}", s.eva.id),
        None,
    );
    let patch = Call::new(
        Method::PATCH,
        format!("/api/v1/inboxes/{inbox}"),
        Some(json!({ "name": "Overgenomen", "active": false })),
    );
    let list = Call::new(
        Method::GET,
        format!("/api/v1/inboxes/{inbox}/members"),
        None,
    );
    let view = Call::new(
        Method::GET,
        format!("/api/v1/inboxes/{inbox}/conversations"),
        None,
    );
    let expectations = [
        (&s.anna, &add, 403),
        (&s.anna, &remove, 403),
        (&s.anna, &patch, 403),
        (&s.anna, &view, 403),
        (&s.anna, &list, 200),
        (&s.daan, &add, 403),
        (&s.daan, &remove, 403),
        (&s.daan, &patch, 403),
        (&s.daan, &view, 200),
        (&s.daan, &list, 200),
    ];

    for (person, call, status) in expectations {
        let reply = call.send(&s, person.auth()).await;

        assert_eq!(reply.status, status, "{} got {reply:?}", person.name);
        if status == 403 {
            assert!(reply.is_problem(), "{reply:?}");
        } else {
            assert!(!entries(&reply.body).is_empty(), "{reply:?}");
        }
        assert_eq!(
            inbox_state(&s, inbox).await,
            before,
            "{reply:?} changed something"
        );
    }
}

#[tokio::test]
async fn r15_team_staff_who_are_not_team_admins_get_403_and_outsiders_404() {
    let s = Scenario::build().await;
    let team = &s.de_linde;
    let calls = [
        Call::new(
            Method::POST,
            format!("/api/v1/teams/{team}/members"),
            Some(json!({ "user": s.karin.id, "role": "member" })),
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/teams/{team}/members/{}", s.eva.id),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/teams/{team}/inboxes"),
            Some(json!({ "name": "Eigen inbox", "description": "", "guidelines": "" })),
        ),
    ];
    let before = (
        s.me(&s.karin).await,
        s.me(&s.eva).await,
        s.directory(&s.iris, "").await,
    );

    for (person, status) in [(&s.daan, 403), (&s.iris, 404), (&s.joost, 404)] {
        for call in &calls {
            let reply = call.send(&s, person.auth()).await;

            assert_eq!(reply.status, status, "{} got {reply:?}", person.name);
            assert!(reply.is_problem(), "{reply:?}");
            let after = (
                s.me(&s.karin).await,
                s.me(&s.eva).await,
                s.directory(&s.iris, "").await,
            );
            assert_eq!(after, before, "{reply:?} changed something");
        }
    }
}

#[tokio::test]
async fn r15_only_the_instance_admin_administers_the_instance() {
    let s = Scenario::build().await;
    let user = json!({
        "email": "nieuw@delinde.test",
        "name": "Nieuwe Collega",
        "password": PASSWORD,
        "profession": "huisarts",
    });
    let calls = [
        Call::new(Method::POST, "/api/v1/admin/users".into(), Some(user)),
        Call::new(
            Method::POST,
            "/api/v1/admin/teams".into(),
            Some(json!({ "name": "Nep" })),
        ),
        Call::new(
            Method::POST,
            "/api/v1/admin/networks".into(),
            Some(json!({ "name": "Nep" })),
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/admin/users/{}", s.eva.id),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/networks/{}/teams", s.network),
            Some(json!({ "team": unknown_id() })),
        ),
    ];

    for call in &calls {
        let reply = call.send(&s, s.carla.auth()).await;

        assert!(matches!(reply.status.as_u16(), 403 | 404), "{reply:?}");
        assert!(reply.is_problem(), "{reply:?}");
    }
    let login = json!({ "email": "nieuw@delinde.test", "password": PASSWORD });
    let login = s.post("/api/v1/auth/login", None, login).await;
    assert_eq!(login.status, 401, "{login:?}");
    assert_eq!(s.me(&s.eva).await["id"], s.eva.id.as_str());
}

#[tokio::test]
async fn r15_staff_see_member_lists_with_every_member() {
    let s = Scenario::build().await;

    let by_staff = s.inbox_members(&s.assistenten, &s.hanna).await;

    assert_eq!(by_staff, ids(&[&s.carla, &s.daan, &s.eva]));
    assert_eq!(s.inbox_members(&s.poh_ggz, &s.anna).await, ids(&[&s.hanna]));
}

#[tokio::test]
async fn r15_every_endpoint_needs_a_login() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let inbox = s.assistenten.clone();
    let mut calls = conversation_calls(&s, &c, &inbox, &s.bram);
    calls.extend([
        Call::new(
            Method::GET,
            format!("/api/v1/inboxes/{inbox}/members"),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/inboxes/{inbox}/members"),
            Some(json!({ "user": s.anna.id })),
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/inboxes/{inbox}/members/{}", s.eva.id),
            None,
        ),
        Call::new(
            Method::PATCH,
            format!("/api/v1/inboxes/{inbox}"),
            Some(json!({ "name": "X" })),
        ),
        Call::new(
            Method::GET,
            format!("/api/v1/inboxes/{inbox}/conversations"),
            None,
        ),
        Call::new(Method::GET, "/api/v1/me".into(), None),
        Call::new(
            Method::GET,
            "/api/v1/me/conversations?view=all".into(),
            None,
        ),
        Call::new(Method::GET, "/api/v1/directory?q=".into(), None),
        Call::new(Method::GET, "/api/v1/events".into(), None),
        Call::new(Method::POST, "/api/v1/auth/logout".into(), None),
        Call::new(
            Method::POST,
            "/api/v1/conversations".into(),
            Some(conversation_body("Anoniem", &[&s.anna], &[], None)),
        ),
        Call::new(
            Method::POST,
            "/api/v1/admin/teams".into(),
            Some(json!({ "name": "Nep" })),
        ),
        Call::new(
            Method::POST,
            "/api/v1/admin/networks".into(),
            Some(json!({ "name": "Nep" })),
        ),
        Call::new(
            Method::POST,
            "/api/v1/admin/users".into(),
            Some(json!({
                "email": "nep@nep.test",
                "name": "Nep",
                "password": PASSWORD,
                "profession": "nep",
            })),
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/admin/users/{}", s.eva.id),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/networks/{}/teams", s.network),
            Some(json!({ "team": s.de_linde })),
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/teams/{}/members", s.de_linde),
            Some(json!({ "user": s.karin.id, "role": "admin" })),
        ),
        Call::new(
            Method::DELETE,
            format!("/api/v1/teams/{}/members/{}", s.de_linde, s.daan.id),
            None,
        ),
        Call::new(
            Method::POST,
            format!("/api/v1/teams/{}/inboxes", s.de_linde),
            Some(json!({ "name": "Nep", "description": "", "guidelines": "" })),
        ),
        Call::new(
            Method::GET,
            format!("/api/v1/teams/{}/audit", s.de_linde),
            None,
        ),
    ]);
    let before = (
        conversation_state(&s, &c.id).await,
        inbox_state(&s, &inbox).await,
    );

    for token in [
        None,
        Some("geen-geldig-token"),
        Some(s.assistenten.as_str()),
    ] {
        for call in &calls {
            let reply = call.send(&s, token).await;

            assert_eq!(reply.status, 401, "with {token:?}: {reply:?}");
            assert!(reply.is_problem(), "{reply:?}");
            let after = (
                conversation_state(&s, &c.id).await,
                inbox_state(&s, &inbox).await,
            );
            assert_eq!(after, before, "{reply:?} changed something");
        }
    }
    assert_eq!(s.me(&s.eva).await["id"], s.eva.id.as_str());
    assert!(s.me(&s.karin).await["teams"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn r15_logout_ends_the_session() {
    let s = Scenario::build().await;

    let logout = s
        .send(Method::POST, "/api/v1/auth/logout", s.daan.auth(), None)
        .await;

    assert_eq!(logout.status, 204, "{logout:?}");
    let after = s.get("/api/v1/me", s.daan.auth()).await;
    assert_eq!(after.status, 401, "{after:?}");
    assert_eq!(s.me(&s.eva).await["id"], s.eva.id.as_str());
}
