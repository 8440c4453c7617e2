//! The harness: a server per test on its own data folder, a small JSON client
//! around it, and the reference scenario of SPEC section 3 built through the
//! API as a fixture.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use careinbox::{ServeArgs, Server};

use crate::database::{Backend, TestDatabase};
use futures_util::StreamExt;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// The instance admin every test server creates on start.
pub const ADMIN_EMAIL: &str = "beheer@careinbox.test";

/// One password for every account of the tests (long enough for any policy).
pub const PASSWORD: &str = "wachtwoord-voor-tests-2024";

/// A running server on a data folder of its own.
pub struct TestApp {
    api: Api,
    _server: Server,
    _database: TestDatabase,
}

impl TestApp {
    /// Starts a server with the settings tests use by default.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server after `configure` changed the test settings, for
    /// tests of limits.
    pub async fn spawn_with(configure: impl FnOnce(&mut ServeArgs)) -> TestApp {
        let backend = Backend::from_env();
        let database = TestDatabase::create(backend)
            .await
            .unwrap_or_else(|| panic!("{backend:?} was asked for but is not reachable"));
        let mut args = database.serve_args(ADMIN_EMAIL, PASSWORD);
        configure(&mut args);

        let server = Server::start(args).await.expect("the test server starts");
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        let api = Api {
            http,
            base: format!("http://{}", server.addr()),
        };

        TestApp {
            api,
            _server: server,
            _database: database,
        }
    }

    /// A handle on the API to move into spawned tasks.
    pub fn api(&self) -> Api {
        self.api.clone()
    }

    /// The instance admin, logged in.
    pub async fn admin(&self) -> Person {
        let token = self.login(ADMIN_EMAIL, PASSWORD).await;
        let me = self
            .get("/api/v1/me", Some(&token))
            .await
            .expect_status(200);
        Person {
            id: id_of(&me),
            name: "Beheerder",
            email: ADMIN_EMAIL.into(),
            token,
        }
    }
}

impl Deref for TestApp {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
}

/// What the server answered: status, content type and the body as JSON
/// (`Null` when empty, a JSON string when the body is not JSON).
pub struct Reply {
    pub method: Method,
    pub path: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Checks the status and hands out the body; the panic names the request.
    #[track_caller]
    pub fn expect_status(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected answer to {self:?}"
        );
        self.body
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Whether the body is an RFC 9457 problem with the answer's status.
    pub fn is_problem(&self) -> bool {
        self.content_type().starts_with("application/problem+json")
            && self.body["status"].as_u64() == Some(u64::from(self.status.as_u16()))
            && self.body["title"].is_string()
            && self.body["detail"].is_string()
    }

    /// The fields named in a `422` problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} -> {} {}",
            self.method, self.path, self.status, self.body
        )
    }
}

/// A logged-in person of the tests.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: &'static str,
    pub email: String,
    pub token: String,
}

impl Person {
    /// The bearer token to send.
    pub fn auth(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// The answer to starting a conversation.
#[derive(Clone, Debug)]
pub struct Started {
    pub id: String,
    pub message: String,
}

/// A page of a conversation listing.
#[derive(Clone, Debug)]
pub struct Listing(pub Vec<Value>);

impl Listing {
    pub fn contains(&self, conversation: &str) -> bool {
        self.find(conversation).is_some()
    }

    pub fn find(&self, conversation: &str) -> Option<&Value> {
        self.0.iter().find(|item| item["id"] == conversation)
    }

    pub fn ids(&self) -> Vec<String> {
        self.0.iter().map(id_of).collect()
    }
}

/// A cheap handle on the server's API, to move into spawned tasks.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    /// The HTTP client, for requests the helpers do not cover (streams).
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(Method::POST, path, token, Some(&body)).await
    }

    /// A `PUT`; a `Null` body sends no body at all.
    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        let body = (!body.is_null()).then_some(&body);
        self.send(Method::PUT, path, token, body).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(Method::PATCH, path, token, Some(&body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::DELETE, path, token, None).await
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self.http.request(method.clone(), self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        read_reply(method, path, response).await
    }

    /// Sends `bytes` as they are, for malformed and oversized bodies.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        bytes: Vec<u8>,
    ) -> Reply {
        let mut request = self
            .http
            .request(method.clone(), self.url(path))
            .header(CONTENT_TYPE, "application/json")
            .body(bytes);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        read_reply(method, path, response).await
    }

    /// Logs in and returns the bearer token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = json!({ "email": email, "password": password });
        let reply = self
            .post("/api/v1/auth/login", None, body)
            .await
            .expect_status(200);
        reply["token"].as_str().expect("a token").to_owned()
    }

    // Instance administration, as used by the fixtures.

    pub async fn create_team(&self, admin: &Person, name: &str) -> String {
        let body = json!({ "name": name });
        id_of(
            &self
                .post("/api/v1/admin/teams", admin.auth(), body)
                .await
                .expect_status(201),
        )
    }

    pub async fn create_network(&self, admin: &Person, name: &str) -> String {
        let body = json!({ "name": name });
        id_of(
            &self
                .post("/api/v1/admin/networks", admin.auth(), body)
                .await
                .expect_status(201),
        )
    }

    pub async fn join_network(&self, admin: &Person, network: &str, team: &str) {
        let path = format!("/api/v1/networks/{network}/teams");
        self.post(&path, admin.auth(), json!({ "team": team }))
            .await
            .expect_status(201);
    }

    /// Creates an account and logs it in.
    pub async fn create_person(
        &self,
        admin: &Person,
        email: &str,
        name: &'static str,
        profession: &str,
    ) -> Person {
        let body = json!({
            "email": email,
            "name": name,
            "password": PASSWORD,
            "profession": profession,
        });
        let created = self.post("/api/v1/admin/users", admin.auth(), body).await;
        let id = id_of(&created.expect_status(201));
        let token = self.login(email, PASSWORD).await;
        Person {
            id,
            name,
            email: email.into(),
            token,
        }
    }

    pub async fn add_team_member(&self, by: &Person, team: &str, user: &Person, role: &str) {
        let path = format!("/api/v1/teams/{team}/members");
        let body = json!({ "user": user.id, "role": role });
        self.post(&path, by.auth(), body).await.expect_status(201);
    }

    pub async fn create_inbox(&self, by: &Person, team: &str, name: &str, about: &str) -> String {
        let path = format!("/api/v1/teams/{team}/inboxes");
        let body = json!({
            "name": name,
            "description": format!("{name}: {about}"),
            "guidelines": format!("Schrijf naar {name} voor {about}."),
        });
        id_of(&self.post(&path, by.auth(), body).await.expect_status(201))
    }

    /// Adds an inbox member and returns the answer, for tests of refusals.
    pub async fn add_inbox_member(&self, by: &Person, inbox: &str, user: &str) -> Reply {
        let path = format!("/api/v1/inboxes/{inbox}/members");
        self.post(&path, by.auth(), json!({ "user": user })).await
    }

    pub async fn remove_inbox_member(&self, by: &Person, inbox: &str, user: &str) -> Reply {
        self.delete(
            &format!("/api/v1/inboxes/{inbox}/members/{user}"),
            by.auth(),
        )
        .await
    }

    /// The user ids of an inbox's member list, as `viewer` sees it.
    pub async fn inbox_members(&self, inbox: &str, viewer: &Person) -> BTreeSet<String> {
        let path = format!("/api/v1/inboxes/{inbox}/members?limit=100");
        let list = self.get(&path, viewer.auth()).await.expect_status(200);
        entries(&list).iter().map(member_user_id).collect()
    }

    // Conversations.

    /// Starts a conversation with a standard subject and first message.
    pub async fn start(&self, by: &Person, users: &[&Person], inboxes: &[&str]) -> Started {
        let body = conversation_body("Wondzorg mevrouw J.", users, inboxes, None);
        self.start_with(by, body).await
    }

    /// Starts a conversation from inbox `from` (R3).
    pub async fn start_from(
        &self,
        by: &Person,
        from: &str,
        users: &[&Person],
        inboxes: &[&str],
    ) -> Started {
        let body = conversation_body("Medicatiereview", users, inboxes, Some(from));
        self.start_with(by, body).await
    }

    pub async fn start_with(&self, by: &Person, body: Value) -> Started {
        let reply = self.post("/api/v1/conversations", by.auth(), body).await;
        let started = reply.expect_status(201);
        Started {
            id: id_of(&started),
            message: started["message"]
                .as_str()
                .expect("the first message's id")
                .into(),
        }
    }

    pub async fn post_message(&self, conversation: &str, by: &Person, text: &str) -> String {
        let path = format!("/api/v1/conversations/{conversation}/messages");
        let reply = self.post(&path, by.auth(), json!({ "body": text })).await;
        id_of(&reply.expect_status(201))
    }

    pub async fn add_participant(&self, conversation: &str, by: &Person, body: Value) -> Reply {
        let path = format!("/api/v1/conversations/{conversation}/participants");
        self.post(&path, by.auth(), body).await
    }

    /// `GET /api/v1/conversations/{c}` as `viewer`, who must see it.
    pub async fn conversation(&self, conversation: &str, viewer: &Person) -> Value {
        let path = format!("/api/v1/conversations/{conversation}");
        self.get(&path, viewer.auth()).await.expect_status(200)
    }

    /// Every participation as (user, via inbox or `None` for direct).
    pub async fn participations(
        &self,
        conversation: &str,
        viewer: &Person,
    ) -> BTreeSet<(String, Option<String>)> {
        participations(&self.conversation(conversation, viewer).await)
    }

    /// The users who participate via `inbox`.
    pub async fn via(&self, conversation: &str, inbox: &str, viewer: &Person) -> BTreeSet<String> {
        let all = self.participations(conversation, viewer).await;
        all.into_iter()
            .filter(|(_, via)| via.as_deref() == Some(inbox))
            .map(|(u, _)| u)
            .collect()
    }

    /// The whole timeline, following the cursor.
    pub async fn timeline(&self, conversation: &str, viewer: &Person) -> Vec<Value> {
        let first = format!("/api/v1/conversations/{conversation}/messages?limit=100");
        let mut path = first.clone();
        let mut all = Vec::new();
        for _ in 0..50 {
            let page = self.get(&path, viewer.auth()).await.expect_status(200);
            all.extend(items(&page).iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("{first}&cursor={}", encode(cursor)),
                None => return all,
            }
        }
        panic!("the timeline of {conversation} does not end");
    }

    /// An inbox view (`active` or `archived`) as `viewer` sees it.
    pub async fn inbox_view(&self, inbox: &str, viewer: &Person, view: &str) -> Listing {
        let path = format!("/api/v1/inboxes/{inbox}/conversations?view={view}&limit=100");
        Listing(items(&self.get(&path, viewer.auth()).await.expect_status(200)).to_vec())
    }

    /// The personal view (`active`, `archived` or `all`).
    pub async fn personal_view(&self, viewer: &Person, view: &str) -> Listing {
        let path = format!("/api/v1/me/conversations?view={view}&limit=100");
        Listing(items(&self.get(&path, viewer.auth()).await.expect_status(200)).to_vec())
    }

    pub async fn me(&self, viewer: &Person) -> Value {
        self.get("/api/v1/me", viewer.auth())
            .await
            .expect_status(200)
    }

    /// The unread count `viewer`'s `/me` shows for an inbox they are in.
    pub async fn inbox_unread(&self, viewer: &Person, inbox: &str) -> u64 {
        let me = self.me(viewer).await;
        let entry = items_of(&me["inboxes"])
            .into_iter()
            .find(|i| i["id"] == inbox);
        let entry =
            entry.unwrap_or_else(|| panic!("{} is not in inbox {inbox}: {me}", viewer.name));
        entry["unread"].as_u64().expect("an unread count")
    }

    pub async fn personal_unread(&self, viewer: &Person) -> u64 {
        self.me(viewer).await["personal"]["unread"]
            .as_u64()
            .expect("an unread count")
    }

    pub async fn directory(&self, viewer: &Person, query: &str) -> Value {
        let path = format!("/api/v1/directory?q={}", encode(query));
        self.get(&path, viewer.auth()).await.expect_status(200)
    }
}

/// A caller's open `GET /api/v1/events` stream, read in the background into
/// one growing text.
pub struct EventStream {
    text: Arc<Mutex<String>>,
    reader: tokio::task::JoinHandle<()>,
}

impl EventStream {
    /// Opens the stream; it is subscribed once the answer's head arrived.
    pub async fn open(api: &Api, viewer: &Person) -> EventStream {
        let request = api
            .http
            .get(api.url("/api/v1/events"))
            .bearer_auth(&viewer.token);
        let response = request.send().await.expect("the event stream opens");
        assert_eq!(
            response.status(),
            200,
            "the event stream of {}",
            viewer.name
        );

        let text = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&text);
        let reader = tokio::spawn(async move {
            let mut body = response.bytes_stream();
            while let Some(Ok(chunk)) = body.next().await {
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk));
            }
        });
        EventStream { text, reader }
    }

    /// Everything received so far.
    pub fn text(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    /// Waits (up to ten seconds) until `needle` was received `times` times,
    /// and returns everything received by then.
    pub async fn wait_for(&self, needle: &str, times: usize) -> String {
        for _ in 0..200 {
            let text = self.text();
            if text.matches(needle).count() >= times {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{needle} did not arrive {times} times in: {}", self.text());
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

async fn read_reply(method: Method, path: &str, response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Reply {
        method,
        path: path.into(),
        status,
        headers,
        body,
    }
}

/// The body of `POST /api/v1/conversations`.
pub fn conversation_body(
    subject: &str,
    users: &[&Person],
    inboxes: &[&str],
    from_inbox: Option<&str>,
) -> Value {
    let users: Vec<&str> = users.iter().map(|p| p.id.as_str()).collect();
    let mut body = json!({
        "subject": subject,
        "body": "Graag wondzorg overnemen vanaf maandag; verband twee keer per week wisselen.",
        "recipients": { "users": users, "inboxes": inboxes },
    });
    if let Some(from) = from_inbox {
        body["from_inbox"] = json!(from);
    }
    body
}

/// The `id` field of an answer.
#[track_caller]
pub fn id_of(value: &Value) -> String {
    match value["id"].as_str() {
        Some(id) => id.to_owned(),
        None => panic!("no id in {value}"),
    }
}

/// The `items` of a listing.
#[track_caller]
pub fn items(page: &Value) -> &[Value] {
    match page["items"].as_array() {
        Some(items) => items,
        None => panic!("not a listing: {page}"),
    }
}

/// The entries of a list answer, whether a listing page or a bare array
/// (the member list; `listings_answer_items_and_next_cursor` checks shapes).
#[track_caller]
pub fn entries(list: &Value) -> &[Value] {
    match list.as_array() {
        Some(entries) => entries,
        None => items(list),
    }
}

fn items_of(value: &Value) -> Vec<&Value> {
    value
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// The user id of an inbox member list entry, whichever way it names the user
/// (`user` as id or object, or the entry's own `id`).
pub fn member_user_id(entry: &Value) -> String {
    let user = &entry["user"];
    let id = user
        .as_str()
        .or_else(|| user["id"].as_str())
        .or_else(|| entry["id"].as_str());
    id.unwrap_or_else(|| panic!("no user in member entry {entry}"))
        .to_owned()
}

/// The participations listed by `GET /api/v1/conversations/{c}`.
pub fn participations(conversation: &Value) -> BTreeSet<(String, Option<String>)> {
    let list = conversation["participants"]
        .as_array()
        .expect("a participants list");
    list.iter()
        .map(|p| {
            let user = p["user"].as_str().or_else(|| p["user"]["id"].as_str());
            let via = p["via"].as_str().or_else(|| p["via"]["id"].as_str());
            (
                user.expect("a participant's user").to_owned(),
                via.map(str::to_owned),
            )
        })
        .collect()
}

/// The inbox ids that are parties of a conversation.
pub fn party_inboxes(conversation: &Value) -> BTreeSet<String> {
    items_of(&conversation["inboxes"])
        .into_iter()
        .map(id_of)
        .collect()
}

/// A direct participation of `person`.
pub fn direct(person: &Person) -> (String, Option<String>) {
    (person.id.clone(), None)
}

/// A participation of `person` via `inbox`.
pub fn via(person: &Person, inbox: &str) -> (String, Option<String>) {
    (person.id.clone(), Some(inbox.to_owned()))
}

/// The ids of some people, to compare with sets the server reports.
pub fn ids(people: &[&Person]) -> BTreeSet<String> {
    people.iter().map(|p| p.id.clone()).collect()
}

/// The timeline's messages, oldest first.
pub fn messages(timeline: &[Value]) -> Vec<&Value> {
    timeline
        .iter()
        .filter(|item| item["kind"] == "message")
        .collect()
}

/// The timeline's system events of one kind (`participant_added`, ...).
pub fn events<'a>(timeline: &'a [Value], event: &str) -> Vec<&'a Value> {
    timeline
        .iter()
        .filter(|item| item["kind"] == "event" && item["event"] == event)
        .collect()
}

/// Whether a summary's `unread` says there is something unread (the field
/// may be a flag or a count).
pub fn is_unread(summary: &Value) -> bool {
    match &summary["unread"] {
        Value::Bool(flag) => *flag,
        Value::Number(n) => n.as_u64().unwrap_or(0) > 0,
        other => panic!("no unread field in {summary}: {other}"),
    }
}

/// Percent-encodes a query value.
pub fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A uuid nobody has.
pub fn unknown_id() -> String {
    Uuid::new_v4().to_string()
}

/// The reference scenario of SPEC section 3 before its first step: three
/// teams in one network, the practice's shared inboxes, and every person
/// logged in. Karin Vos has an account but is not yet staff of De Linde.
pub struct Scenario {
    pub app: TestApp,
    pub admin: Person,
    pub network: String,
    pub de_linde: String,
    pub thuiszorg_oost: String,
    pub apotheek_centrum: String,
    pub assistenten: String,
    pub poh_somatiek: String,
    pub poh_ggz: String,
    pub anna: Person,
    pub bram: Person,
    pub carla: Person,
    pub daan: Person,
    pub eva: Person,
    pub fleur: Person,
    pub gijs: Person,
    pub hanna: Person,
    pub iris: Person,
    pub joost: Person,
    pub karin: Person,
}

/// A team outside Zorgnetwerk Oost, for tests of what may not be addressed.
pub struct Stranger {
    pub team: String,
    pub inbox: String,
    pub lotte: Person,
}

impl Scenario {
    pub async fn build() -> Scenario {
        Self::build_with(|_| {}).await
    }

    pub async fn build_with(configure: impl FnOnce(&mut ServeArgs)) -> Scenario {
        let app = TestApp::spawn_with(configure).await;
        let admin = app.admin().await;

        let de_linde = app.create_team(&admin, "Huisartsenpraktijk De Linde").await;
        let thuiszorg_oost = app.create_team(&admin, "Thuiszorg Oost").await;
        let apotheek_centrum = app.create_team(&admin, "Apotheek Centrum").await;
        let network = app.create_network(&admin, "Zorgnetwerk Oost").await;
        for team in [&de_linde, &thuiszorg_oost, &apotheek_centrum] {
            app.join_network(&admin, &network, team).await;
        }

        let carla = app
            .create_person(
                &admin,
                "carla@delinde.test",
                "Carla Smit",
                "doktersassistent",
            )
            .await;
        app.add_team_member(&admin, &de_linde, &carla, "admin")
            .await;

        let mut staff = Vec::new();
        for (email, name, profession) in [
            ("anna@delinde.test", "Anna de Vries", "huisarts"),
            ("bram@delinde.test", "Bram Jansen", "huisarts"),
            ("daan@delinde.test", "Daan Bakker", "doktersassistent"),
            ("eva@delinde.test", "Eva Visser", "doktersassistent"),
            ("fleur@delinde.test", "Fleur Mulder", "POH-S"),
            ("gijs@delinde.test", "Gijs de Boer", "POH-S"),
            ("hanna@delinde.test", "Hanna Peters", "POH-GGZ"),
        ] {
            let person = app.create_person(&admin, email, name, profession).await;
            app.add_team_member(&carla, &de_linde, &person, "member")
                .await;
            staff.push(person);
        }
        let [anna, bram, daan, eva, fleur, gijs, hanna] =
            <[Person; 7]>::try_from(staff).expect("seven staff");

        let iris = app
            .create_person(
                &admin,
                "iris@thuiszorgoost.test",
                "Iris Hendriks",
                "wijkverpleegkundige",
            )
            .await;
        app.add_team_member(&admin, &thuiszorg_oost, &iris, "member")
            .await;
        let joost = app
            .create_person(
                &admin,
                "joost@apotheekcentrum.test",
                "Joost Dekker",
                "apotheker",
            )
            .await;
        app.add_team_member(&admin, &apotheek_centrum, &joost, "member")
            .await;
        let karin = app
            .create_person(
                &admin,
                "karin@delinde.test",
                "Karin Vos",
                "doktersassistent",
            )
            .await;

        let assistenten = app
            .create_inbox(
                &carla,
                &de_linde,
                "Assistenten De Linde",
                "recepten, wondzorg, afspraken",
            )
            .await;
        let poh_somatiek = app
            .create_inbox(
                &carla,
                &de_linde,
                "POH Somatiek",
                "diabetes, COPD, hart- en vaatzorg",
            )
            .await;
        let poh_ggz = app
            .create_inbox(&carla, &de_linde, "POH GGZ", "psychische klachten")
            .await;
        let manager = json!({ "user": carla.id, "manager": true });
        let path = format!("/api/v1/inboxes/{assistenten}/members");
        app.post(&path, carla.auth(), manager)
            .await
            .expect_status(201);
        for (inbox, member) in [
            (&assistenten, &daan),
            (&assistenten, &eva),
            (&poh_somatiek, &fleur),
            (&poh_somatiek, &gijs),
            (&poh_ggz, &hanna),
        ] {
            app.add_inbox_member(&carla, inbox, &member.id)
                .await
                .expect_status(201);
        }

        Scenario {
            app,
            admin,
            network,
            de_linde,
            thuiszorg_oost,
            apotheek_centrum,
            assistenten,
            poh_somatiek,
            poh_ggz,
            anna,
            bram,
            carla,
            daan,
            eva,
            fleur,
            gijs,
            hanna,
            iris,
            joost,
            karin,
        }
    }

    /// Step 4's first half: Karin Vos joins the practice and, when asked,
    /// the assistants' inbox.
    pub async fn karin_joins(&self, also_assistenten: bool) {
        self.add_team_member(&self.carla, &self.de_linde, &self.karin, "member")
            .await;
        if also_assistenten {
            let reply = self
                .add_inbox_member(&self.carla, &self.assistenten, &self.karin.id)
                .await;
            reply.expect_status(201);
        }
    }

    /// A physiotherapy practice in no network with Zorgnetwerk Oost.
    pub async fn stranger(&self) -> Stranger {
        let team = self.create_team(&self.admin, "Fysiotherapie West").await;
        let lotte = self
            .create_person(
                &self.admin,
                "lotte@fysiowest.test",
                "Lotte Kramer",
                "fysiotherapeut",
            )
            .await;
        self.add_team_member(&self.admin, &team, &lotte, "admin")
            .await;
        let inbox = self
            .create_inbox(&lotte, &team, "Fysio West", "verwijzingen")
            .await;
        self.add_inbox_member(&lotte, &inbox, &lotte.id)
            .await
            .expect_status(201);
        Stranger { team, inbox, lotte }
    }
}

impl Deref for Scenario {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.app.api
    }
}
