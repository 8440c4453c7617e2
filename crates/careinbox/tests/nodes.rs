//! Several server nodes on one PostgreSQL database: the rules that must hold
//! under concurrency (R4, R6) with requests spread over two nodes, and
//! events that cross from one node to another through PostgreSQL itself.
//! Skipped with a printed reason where PostgreSQL is not reachable (unless
//! `CI` is set).

#[path = "common/database.rs"]
mod database;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use careinbox::Server;
use database::{Backend, TestDatabase};
use futures_util::StreamExt;
use serde_json::{Value, json};

const ADMIN: &str = "beheer@nodes.test";
const PASSWORD: &str = "wachtwoord-voor-nodes";

/// A small JSON client for one node.
#[derive(Clone)]
struct Node {
    http: reqwest::Client,
    base: String,
}

impl Node {
    fn new(server: &Server) -> Node {
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("a client");
        Node {
            http,
            base: format!("http://{}", server.addr()),
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the node answers");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> Value {
        let (status, value) = self
            .call(reqwest::Method::POST, path, token, Some(body))
            .await;
        assert!(
            status == 200 || status == 201,
            "POST {path}: {status} {value}"
        );
        value
    }

    async fn login(&self, email: &str) -> String {
        let response = self
            .http
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login answers");
        let body: Value = response.json().await.expect("a token");
        body["token"].as_str().expect("a token").to_owned()
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

/// Two nodes on one fresh PostgreSQL database, a team with an inbox of three
/// members, a partner who writes to it, and the tokens of all.
struct Cluster {
    _db: TestDatabase,
    a: Node,
    b: Node,
    _servers: (Server, Server),
    admin: String,
    team: String,
    inbox: String,
    staff: Vec<(String, String)>,
    partner: String,
}

async fn cluster(staff: usize) -> Option<Cluster> {
    let db = TestDatabase::create(Backend::Postgres).await?;
    let first = Server::start(db.serve_args(ADMIN, PASSWORD))
        .await
        .expect("node A starts");
    let second = Server::start(db.serve_args(ADMIN, PASSWORD))
        .await
        .expect("node B starts");
    let (a, b) = (Node::new(&first), Node::new(&second));
    let admin = a.login(ADMIN).await;

    let team = id(&a
        .post("/api/v1/admin/teams", &admin, json!({"name": "Praktijk"}))
        .await);
    let partners = id(&a
        .post("/api/v1/admin/teams", &admin, json!({"name": "Thuiszorg"}))
        .await);
    let network = id(&a
        .post("/api/v1/admin/networks", &admin, json!({"name": "Netwerk"}))
        .await);
    for t in [&team, &partners] {
        a.post(
            &format!("/api/v1/networks/{network}/teams"),
            &admin,
            json!({"team": t}),
        )
        .await;
    }
    let mut people = Vec::new();
    for n in 0..staff {
        let email = format!("staf{n}@nodes.test");
        let user = json!({"email": email, "name": format!("Staf {n}"), "password": PASSWORD, "profession": "assistent"});
        let user_id = id(&a.post("/api/v1/admin/users", &admin, user).await);
        a.post(
            &format!("/api/v1/teams/{team}/members"),
            &admin,
            json!({"user": user_id, "role": "member"}),
        )
        .await;
        people.push((user_id, a.login(&email).await));
    }
    let partner = json!({"email": "partner@nodes.test", "name": "Partner", "password": PASSWORD, "profession": "wijkverpleegkundige"});
    let partner_id = id(&a.post("/api/v1/admin/users", &admin, partner).await);
    a.post(
        &format!("/api/v1/teams/{partners}/members"),
        &admin,
        json!({"user": partner_id, "role": "member"}),
    )
    .await;
    let partner = a.login("partner@nodes.test").await;
    let inbox = json!({"name": "Assistenten", "description": "", "guidelines": ""});
    let inbox = id(&a
        .post(&format!("/api/v1/teams/{team}/inboxes"), &admin, inbox)
        .await);

    Some(Cluster {
        _db: db,
        a,
        b,
        _servers: (first, second),
        admin,
        team,
        inbox,
        staff: people,
        partner,
    })
}

impl Cluster {
    async fn via_inbox_participants(&self, conversation: &str) -> BTreeSet<String> {
        let (status, c) = self
            .a
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/conversations/{conversation}"),
                &self.partner,
                None,
            )
            .await;
        assert_eq!(status, 200, "{c}");
        c["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .filter(|p| p["via"].as_str() == Some(self.inbox.as_str()))
            .map(|p| p["user"].as_str().expect("a user").to_owned())
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r4_snapshot_is_atomic_with_membership_changes_on_another_node() {
    let Some(cluster) = cluster(4).await else {
        return;
    };
    let members_path = format!("/api/v1/inboxes/{}/members", cluster.inbox);
    let (first, rest) = cluster.staff.split_first().expect("staff");
    cluster
        .a
        .post(&members_path, &cluster.admin, json!({"user": first.0}))
        .await;

    // Node A changes the membership in a known sequence while node B starts
    // conversations with the inbox from several tasks.
    let states = {
        let node = cluster.a.clone();
        let (admin, path, rest) = (cluster.admin.clone(), members_path.clone(), rest.to_vec());
        let first = first.0.clone();
        tokio::spawn(async move {
            let mut current: BTreeSet<String> = BTreeSet::from([first]);
            let mut states = vec![current.clone()];
            for round in 0..6 {
                for (user, _) in &rest {
                    if round % 2 == 0 {
                        node.post(&path, &admin, json!({"user": user})).await;
                        current.insert(user.clone());
                    } else {
                        let (status, _) = node
                            .call(
                                reqwest::Method::DELETE,
                                &format!("{path}/{user}"),
                                &admin,
                                None,
                            )
                            .await;
                        assert_eq!(status, 204);
                        current.remove(user);
                    }
                    states.push(current.clone());
                }
            }
            states
        })
    };
    let mut starts = Vec::new();
    for task in 0..4 {
        let (node, token, inbox) = (
            cluster.b.clone(),
            cluster.partner.clone(),
            cluster.inbox.clone(),
        );
        starts.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..8 {
                let body = json!({"subject": format!("Vraag {task}-{n}"), "body": "Graag terugbellen.",
                    "recipients": {"inboxes": [inbox]}});
                ids.push(node.post("/api/v1/conversations", &token, body).await["id"].as_str().expect("id").to_owned());
            }
            ids
        }));
    }
    let states = states.await.expect("membership task");
    let mut conversations = Vec::new();
    for task in starts {
        conversations.extend(task.await.expect("start task"));
    }

    // Members removed later lose their participation (R6), so compare the
    // snapshot with the states minus those no longer members at the end.
    let final_members = states.last().expect("a final state").clone();
    for conversation in &conversations {
        let linked = cluster.via_inbox_participants(conversation).await;
        let possible = states.iter().any(|state| {
            let kept: BTreeSet<String> = state.intersection(&final_members).cloned().collect();
            kept == linked
        });
        assert!(
            possible,
            "conversation {conversation} linked {linked:?}, which no membership state explains"
        );
    }
    assert_eq!(conversations.len(), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn r6_removal_on_one_node_races_starts_on_the_other_and_leaves_nothing_via_the_inbox() {
    let Some(cluster) = cluster(3).await else {
        return;
    };
    let members_path = format!("/api/v1/inboxes/{}/members", cluster.inbox);
    for (user, _) in &cluster.staff {
        cluster
            .a
            .post(&members_path, &cluster.admin, json!({"user": user}))
            .await;
    }
    let (leaver, leaver_token) = cluster.staff[2].clone();

    let starts = {
        let (node, token, inbox) = (
            cluster.b.clone(),
            cluster.partner.clone(),
            cluster.inbox.clone(),
        );
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..20 {
                let body = json!({"subject": format!("Vraag {n}"), "body": "Tekst.", "recipients": {"inboxes": [inbox]}});
                ids.push(
                    node.post("/api/v1/conversations", &token, body).await["id"]
                        .as_str()
                        .expect("id")
                        .to_owned(),
                );
            }
            ids
        })
    };
    tokio::time::sleep(Duration::from_millis(30)).await;
    let (status, _) = cluster
        .a
        .call(
            reqwest::Method::DELETE,
            &format!("{members_path}/{leaver}"),
            &cluster.admin,
            None,
        )
        .await;
    assert_eq!(status, 204);
    let conversations = starts.await.expect("starts");

    for conversation in &conversations {
        assert!(
            !cluster
                .via_inbox_participants(conversation)
                .await
                .contains(&leaver)
        );
        let (status, _) = cluster
            .b
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/conversations/{conversation}"),
                &leaver_token,
                None,
            )
            .await;
        assert_eq!(status, 404, "the removed member still sees {conversation}");
    }
    let _ = &cluster.team;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn events_cross_from_one_node_to_a_stream_on_the_other() {
    let Some(cluster) = cluster(1).await else {
        return;
    };
    let (member, member_token) = cluster.staff[0].clone();
    let members_path = format!("/api/v1/inboxes/{}/members", cluster.inbox);
    cluster
        .a
        .post(&members_path, &cluster.admin, json!({"user": member}))
        .await;
    let start = json!({"subject": "Wondzorg", "body": "Eerste bericht.", "recipients": {"inboxes": [cluster.inbox]}});
    let conversation = id(&cluster
        .a
        .post("/api/v1/conversations", &cluster.partner, start)
        .await);

    // The member listens on node B; the partner writes on node A.
    let response = cluster
        .b
        .http
        .get(format!("{}/api/v1/events", cluster.b.base))
        .bearer_auth(&member_token)
        .send()
        .await
        .expect("the stream opens");
    assert_eq!(response.status(), 200);
    let mut stream = response.bytes_stream();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = Instant::now();
    cluster
        .a
        .post(
            &format!("/api/v1/conversations/{conversation}/messages"),
            &cluster.partner,
            json!({"body": "Tweede."}),
        )
        .await;

    let mut seen = String::new();
    let arrived = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk.expect("stream bytes")));
            if seen.contains("event: message_created") && seen.contains(&conversation) {
                return true;
            }
        }
        false
    })
    .await;

    assert_eq!(arrived, Ok(true), "node B's stream got: {seen}");
    println!("cross-node event latency: {:?}", sent.elapsed());
}

#[tokio::test]
async fn r16_the_postgres_audit_log_refuses_updates_and_deletes() {
    let Some(db) = TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let url = db
        .serve_args(ADMIN, PASSWORD)
        .database_url
        .expect("a url")
        .0;
    let store = careinbox_service::storage::Store::open_postgres(&url)
        .await
        .expect("the database");
    let careinbox_service::storage::Store::Postgres(pool) = &store else {
        panic!("a PostgreSQL store");
    };
    sqlx::query("INSERT INTO audit_log (at, action, object_type, outcome) VALUES (1, 'login', 'session', 'failure')")
        .execute(pool)
        .await
        .expect("appending is allowed");

    let update = sqlx::query("UPDATE audit_log SET outcome = 'success'")
        .execute(pool)
        .await;
    let delete = sqlx::query("DELETE FROM audit_log").execute(pool).await;

    store.close().await;
    assert!(update.is_err(), "an audit entry was changed");
    assert!(delete.is_err(), "an audit entry was deleted");
}
