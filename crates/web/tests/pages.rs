//! The web application in process: the router over a service on a fresh
//! SQLite database per test, driven with `oneshot` requests. The browser
//! test in `web-tests/` walks the whole reference scenario; these tests pin
//! the security and comfort promises that are cheap to check here.

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use careinbox_domain::{
    Description, Email, Guidelines, InboxId, MessageBody, Name, Password, Profession, Subject,
    TeamId, TeamRole, UserId,
};
use careinbox_service::storage::{Store, ViewOf};
use careinbox_service::{Caller, InboxChanges, NewAccount, NewConversation, Service};
use tower::ServiceExt;

const PASSWORD: &str = "wachtwoord-voor-tests";

/// The largest shared file in these tests: small, so that a file over it
/// is quick to send.
const FILE_LIMIT: usize = 64 * 1024;

/// The boundary between the parts of the upload forms sent here.
const BOUNDARY: &str = "----careinbox-test-7d2f";

/// A router over a database of its own, with one practice, one home-care
/// team in its network, and a shared inbox.
struct App {
    router: Router,
    service: Service,
    dir: PathBuf,
    admin: Caller,
    linde: TeamId,
    iris: UserId,
    carla: UserId,
    assistenten: InboxId,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl App {
    async fn spawn() -> App {
        let dir = std::env::temp_dir().join(format!("careinbox-web-{}", uuid::Uuid::new_v4()));
        let store = Store::open_sqlite(&dir).await.expect("a test database");
        let service = Service::new(store, Default::default());
        let admin_email = Email::parse("admin@careinbox.test").unwrap();
        service
            .bootstrap_admin(&admin_email, Some(Password::parse(PASSWORD).unwrap()))
            .await
            .unwrap();
        let admin_id = service.fresh_instance_admin().await.unwrap().unwrap();
        let admin = Caller {
            user: admin_id,
            instance_admin: true,
            ip: None,
        };

        let linde = team(&service, &admin, "Huisartsenpraktijk De Linde").await;
        let oost = team(&service, &admin, "Thuiszorg Oost").await;
        let network = service
            .create_network(&admin, Name::parse("name", "Zorgnetwerk Oost").unwrap())
            .await
            .unwrap();
        for t in [linde, oost] {
            service.add_network_team(&admin, network, t).await.unwrap();
        }
        let carla = user(&service, &admin, "carla@delinde.test", "Carla Smit").await;
        let iris = user(&service, &admin, "iris@oost.test", "Iris Hendriks").await;
        service
            .add_team_member(&admin, linde, carla, TeamRole::Admin)
            .await
            .unwrap();
        service
            .add_team_member(&admin, oost, iris, TeamRole::Admin)
            .await
            .unwrap();
        let assistenten = service
            .create_inbox(
                &admin,
                linde,
                Name::parse("name", "Assistenten De Linde").unwrap(),
                Description::parse("description", "De doktersassistenten.").unwrap(),
                Guidelines::parse("guidelines", "Schrijf hierheen als je twijfelt.").unwrap(),
            )
            .await
            .unwrap();
        service
            .add_inbox_member(&admin, assistenten, carla, true)
            .await
            .unwrap();

        let settings = careinbox_web::WebSettings {
            max_attachment_bytes: FILE_LIMIT,
        };
        let router = careinbox_web::router(service.clone(), settings);
        App {
            router,
            service,
            dir,
            admin,
            linde,
            iris,
            carla,
            assistenten,
        }
    }

    /// A session token and its CSRF token for the account with `email`.
    async fn session(&self, email: &str) -> (String, String) {
        let (token, _) = self.service.login(email, PASSWORD, None).await.unwrap();
        let csrf = careinbox_web::csrf_token(&token);
        (token, csrf)
    }

    /// Where logging in through the login form leads.
    async fn landing(&self, email: &str) -> String {
        let form = [("email", email), ("password", PASSWORD)];
        let page = self.post("/login", None, &form).await;
        page.header(header::LOCATION)
    }

    async fn start(&self, from: UserId, subject: &str) -> String {
        self.start_to(from, subject, vec![], vec![self.assistenten])
            .await
    }

    async fn start_to(
        &self,
        from: UserId,
        subject: &str,
        users: Vec<UserId>,
        inboxes: Vec<InboxId>,
    ) -> String {
        let new = NewConversation {
            subject: Subject::parse("subject", subject).unwrap(),
            body: MessageBody::parse("Kan iemand meekijken?").unwrap(),
            users,
            inboxes,
            from_inbox: None,
        };
        let (id, _) = self
            .service
            .start_conversation(&caller(from), new)
            .await
            .unwrap();
        id.to_string()
    }

    /// A new doctor's assistant of De Linde, member of Assistenten De Linde.
    async fn assistant(&self, email: &str, name: &str) -> UserId {
        let id = user(&self.service, &self.admin, email, name).await;
        self.service
            .add_team_member(&self.admin, self.linde, id, TeamRole::Member)
            .await
            .unwrap();
        self.service
            .add_inbox_member(&self.admin, self.assistenten, id, false)
            .await
            .unwrap();
        id
    }

    /// Another shared inbox of De Linde.
    async fn inbox(&self, name: &str) -> InboxId {
        self.service
            .create_inbox(
                &self.admin,
                self.linde,
                Name::parse("name", name).unwrap(),
                Description::parse("description", "").unwrap(),
                Guidelines::parse("guidelines", "").unwrap(),
            )
            .await
            .unwrap()
    }

    async fn send(&self, request: Request<Body>) -> Page {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 10 << 20)
            .await
            .unwrap();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            bytes: body.to_vec(),
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Page {
        let mut request = Request::get(path);
        if let Some(token) = token {
            request = request.header(header::COOKIE, format!("careinbox_session={token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, token: Option<&str>, form: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "careinbox.test")
            .header(header::ORIGIN, "http://careinbox.test");
        if let Some(token) = token {
            request = request.header(header::COOKIE, format!("careinbox_session={token}"));
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Shares a file through the conversation's form, as a browser sends
    /// it: the CSRF token (when given) first, then the file.
    async fn share(&self, c: &str, token: &str, csrf: Option<&str>, file: &File<'_>) -> Page {
        let mut body = Vec::new();
        if let Some(csrf) = csrf {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\n\
                     Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\
                     {csrf}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\n\
                 Content-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n\
                 Content-Type: {}\r\n\r\n",
                file.name, file.content_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.data);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(format!("/c/{c}/bestand"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::HOST, "careinbox.test")
            .header(header::ORIGIN, "http://careinbox.test")
            .header(header::COOKIE, format!("careinbox_session={token}"));

        self.send(request.body(Body::from(body)).unwrap()).await
    }
}

/// A file to share.
struct File<'a> {
    name: &'a str,
    content_type: &'a str,
    data: &'a [u8],
}

/// A small picture's worth of bytes, not valid UTF-8, so that a download
/// that changed them would show.
fn photo(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

struct Page {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
    bytes: Vec<u8>,
}

impl Page {
    fn header(&self, name: header::HeaderName) -> String {
        let values = self.headers.get_all(name).iter();
        values
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The address of the first shared file's link on a page.
fn file_link(page: &Page) -> String {
    let start = page.body.find("/bestand/").expect("a file link");
    let start = page.body[..start].rfind('"').unwrap() + 1;
    let end = start + page.body[start..].find('"').unwrap();
    page.body[start..end].to_owned()
}

fn caller(user: UserId) -> Caller {
    Caller {
        user,
        instance_admin: false,
        ip: None,
    }
}

/// The list of conversations on a list page, without the frame around it.
fn list_of(page: &Page) -> &str {
    let start = page
        .body
        .find(r#"<ul class="conversations">"#)
        .expect("a list");
    let end = start + page.body[start..].find("</ul>").unwrap();
    &page.body[start..end]
}

async fn team(service: &Service, admin: &Caller, name: &str) -> TeamId {
    service
        .create_team(admin, Name::parse("name", name).unwrap())
        .await
        .unwrap()
}

async fn user(service: &Service, admin: &Caller, email: &str, name: &str) -> UserId {
    let account = NewAccount {
        email: Email::parse(email).unwrap(),
        name: Name::parse("name", name).unwrap(),
        profession: Profession::parse("profession", "doktersassistent").unwrap(),
        password: Password::parse(PASSWORD).unwrap(),
    };
    service.create_user(admin, account).await.unwrap()
}

#[tokio::test]
async fn login_sets_an_http_only_same_site_lax_session_cookie() {
    let app = App::spawn().await;

    let page = app
        .post(
            "/login",
            None,
            &[
                ("email", "carla@delinde.test"),
                ("password", PASSWORD),
                ("next", "/compose"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.header(header::LOCATION), "/compose");
    let cookie = page.header(header::SET_COOKIE);
    assert!(cookie.starts_with("careinbox_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        cookie.contains("Path=/") && !cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_tls() {
    let app = App::spawn().await;
    let body = "email=carla%40delinde.test&password=wachtwoord-voor-tests";
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(Body::from(body))
        .unwrap();

    let page = app.send(request).await;

    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.header(header::SET_COOKIE).contains("; Secure"));
}

#[tokio::test]
async fn a_wrong_password_is_said_on_the_login_page() {
    let app = App::spawn().await;

    let page = app
        .post(
            "/login",
            None,
            &[
                ("email", "carla@delinde.test"),
                ("password", "niet-goed-genoeg"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.body
            .contains("Het e-mailadres of het wachtwoord klopt niet.")
    );
    assert!(page.header(header::SET_COOKIE).is_empty());
}

#[tokio::test]
async fn a_form_without_the_csrf_token_changes_nothing() {
    let app = App::spawn().await;
    let (token, _) = app.session("iris@oost.test").await;
    let to = format!("inbox:{}", app.assistenten);
    let form = [("to", to.as_str()), ("subject", "Vraag"), ("body", "Hallo")];

    let missing = app.post("/compose", Some(&token), &form).await;
    let wrong = app
        .post(
            "/compose",
            Some(&token),
            &[&form[..], &[("csrf", "00")]].concat(),
        )
        .await;

    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(
        missing
            .body
            .contains("Dit formulier kwam niet van een pagina van careinbox")
    );
    let inbox = app
        .get(
            &format!("/inbox/{}", app.assistenten),
            Some(&app.session("carla@delinde.test").await.0),
        )
        .await;
    assert!(!inbox.body.contains("Vraag"), "a conversation was started");
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_the_token() {
    let app = App::spawn().await;
    let (token, csrf) = app.session("iris@oost.test").await;
    let body = format!("csrf={csrf}");
    let request = Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "careinbox.test")
        .header(header::ORIGIN, "https://elders.test")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, format!("careinbox_session={token}"))
        .body(Body::from(body))
        .unwrap();

    let page = app.send(request).await;

    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/", Some(&token)).await.status,
        StatusCode::OK,
        "still logged in"
    );
}

#[tokio::test]
async fn a_form_with_the_token_is_accepted() {
    let app = App::spawn().await;
    let (token, csrf) = app.session("iris@oost.test").await;
    let to = format!("inbox:{}", app.assistenten);

    let page = app
        .post(
            "/compose",
            Some(&token),
            &[
                ("csrf", &csrf),
                ("to", &to),
                ("subject", "Vraag over wondzorg"),
                ("body", "Hallo"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(page.header(header::LOCATION).starts_with("/c/"));
}

#[tokio::test]
async fn logout_ends_the_session_and_the_cookie() {
    let app = App::spawn().await;
    let (token, csrf) = app.session("iris@oost.test").await;

    let page = app.post("/logout", Some(&token), &[("csrf", &csrf)]).await;

    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.header(header::SET_COOKIE).contains("Max-Age=0"));
    let after = app.get("/", Some(&token)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.header(header::LOCATION), "/login");
}

#[tokio::test]
async fn pages_without_a_session_send_to_the_login_page_and_back() {
    let app = App::spawn().await;

    let page = app.get("/compose?q=POH", None).await;

    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.header(header::LOCATION),
        "/login?next=%2Fcompose%3Fq%3DPOH"
    );
}

#[tokio::test]
async fn accept_language_english_gets_english_and_dutch_is_the_default() {
    let app = App::spawn().await;
    let english = Request::get("/login").header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,nl;q=0.5");

    let en = app.send(english.body(Body::empty()).unwrap()).await;
    let nl = app.get("/login", None).await;

    assert!(en.body.contains(r#"<html lang="en">"#) && en.body.contains("Email address"));
    assert!(nl.body.contains(r#"<html lang="nl">"#) && nl.body.contains("E-mailadres"));
}

#[tokio::test]
async fn the_chosen_language_is_remembered_in_a_cookie() {
    let app = App::spawn().await;

    let switch = app.get("/lang/en?next=/login", None).await;
    let request = Request::get("/login").header(header::COOKIE, "lang=en");
    let page = app.send(request.body(Body::empty()).unwrap()).await;

    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.header(header::LOCATION), "/login");
    assert!(switch.header(header::SET_COOKIE).starts_with("lang=en;"));
    assert!(page.body.contains("Log in"));
}

#[tokio::test]
async fn r15_someone_elses_conversation_is_not_found() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    user(
        &app.service,
        &app.admin,
        "joost@apotheek.test",
        "Joost Dekker",
    )
    .await;
    let (token, _) = app.session("joost@apotheek.test").await;

    let page = app.get(&format!("/c/{c}"), Some(&token)).await;
    let not_an_id = app.get("/c/not-an-id", Some(&token)).await;

    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Niet gevonden") && !page.body.contains("Wondzorg"));
    assert_eq!(not_an_id.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn r8_adding_oneself_is_refused_with_a_readable_sentence() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (token, csrf) = app.session("carla@delinde.test").await;
    let carla = app.carla.to_string();

    let page = app
        .post(
            &format!("/c/{c}/participants"),
            Some(&token),
            &[("csrf", &csrf), ("user", &carla)],
        )
        .await;

    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains(r#"role="alert""#));
    assert!(
        page.body
            .contains("Deze zorgverlener neemt al deel aan het gesprek.")
    );
}

#[tokio::test]
async fn pages_and_their_assets_stay_under_100_kb() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg mevrouw J.").await;
    let (token, _) = app.session("carla@delinde.test").await;
    let carla = Caller {
        user: app.carla,
        instance_admin: false,
        ip: None,
    };
    for n in 0..120 {
        let body = MessageBody::parse(&format!("Bericht {n}: {}", "tekst ".repeat(60))).unwrap();
        let id = c.parse().unwrap();
        app.service.post_message(&carla, id, body).await.unwrap();
    }
    let assets: usize = ["style.css", "live.js", "icon.svg"]
        .iter()
        .map(|f| include_bytes_len(f))
        .sum();

    for path in [
        "/".to_owned(),
        format!("/inbox/{}", app.assistenten),
        format!("/c/{c}?q="),
        "/compose".to_owned(),
        format!("/beheer/inbox/{}", app.assistenten),
        "/login".to_owned(),
    ] {
        let page = app.get(&path, Some(&token)).await;

        assert_eq!(page.status, StatusCode::OK, "{path}");
        let total = page.body.len() + assets;
        assert!(total < 100 * 1024, "{path}: {total} bytes");
    }
}

fn include_bytes_len(file: &str) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(file);
    std::fs::metadata(path)
        .map(|m| m.len() as usize)
        .unwrap_or(usize::MAX / 8)
}

#[tokio::test]
async fn pages_forbid_framing_caching_and_foreign_scripts() {
    let app = App::spawn().await;

    let page = app.get("/login", None).await;

    assert!(
        page.header(header::CONTENT_SECURITY_POLICY)
            .contains("script-src 'self'")
    );
    assert_eq!(page.header(header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(page.header(header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn list_rows_name_the_partner_team_and_the_linked_colleagues() {
    let app = App::spawn().await;
    for (email, name) in [
        ("daan@delinde.test", "Daan Bakker"),
        ("eva@delinde.test", "Eva Visser"),
        ("fleur@delinde.test", "Fleur Mulder"),
    ] {
        app.assistant(email, name).await;
    }
    app.start(app.iris, "Wondzorg").await;
    let (carla, _) = app.session("carla@delinde.test").await;
    let (iris, _) = app.session("iris@oost.test").await;

    let inbox = app
        .get(&format!("/inbox/{}", app.assistenten), Some(&carla))
        .await;
    let personal = app.get("/", Some(&iris)).await;

    let row = list_of(&inbox);
    assert!(row.contains("Thuiszorg Oost"), "{row}");
    assert!(row.contains("met Daan Bakker, Eva Visser"), "{row}");
    assert!(row.contains(" +1") && row.contains("en 1 andere"), "{row}");
    assert!(!row.contains("Carla Smit"), "the viewer is left out: {row}");
    assert!(!row.contains("Huisartsenpraktijk"), "no partner: {row}");
    let row = list_of(&personal);
    assert!(row.contains("Huisartsenpraktijk De Linde"), "{row}");
    assert!(!row.contains("Carla Smit"), "not Iris's colleague: {row}");
}

#[tokio::test]
async fn r9_r10_archive_buttons_follow_each_own_view_not_the_link() {
    let app = App::spawn().await;
    let balie = app.inbox("Balie").await;
    app.service
        .add_inbox_member(&app.admin, balie, app.carla, false)
        .await
        .unwrap();
    let c = app
        .start_to(app.iris, "Wondzorg", vec![], vec![app.assistenten, balie])
        .await;
    let view = ViewOf::Inbox(app.assistenten);
    app.service
        .set_archived(&caller(app.carla), c.parse().unwrap(), view, true)
        .await
        .unwrap();
    let (carla, _) = app.session("carla@delinde.test").await;
    let (iris, _) = app.session("iris@oost.test").await;

    let plain = app.get(&format!("/c/{c}"), Some(&carla)).await;
    let from_balie = app.get(&format!("/c/{c}?in={balie}"), Some(&carla)).await;
    let starter = app.get(&format!("/c/{c}"), Some(&iris)).await;

    assert!(plain.body.contains("Terugzetten in Assistenten De Linde"));
    assert!(!plain.body.contains("Archiveren in Assistenten De Linde"));
    let archive = from_balie.body.find("Archiveren in Balie").unwrap();
    let restore = from_balie.body.find("Terugzetten in Assistenten").unwrap();
    assert!(archive < restore, "the view it was opened from comes first");
    assert!(starter.body.contains("Archiveren in Persoonlijk"));
    assert!(!starter.body.contains("Assistenten De Linde</button>"));
}

#[tokio::test]
async fn r14_r16_opening_a_read_conversation_marks_nothing_read() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (carla, _) = app.session("carla@delinde.test").await;
    let marks = || async {
        let audit = app
            .service
            .team_audit(&caller(app.carla), app.linde, None, Some(100))
            .await
            .unwrap();
        audit
            .items
            .iter()
            .filter(|a| a.action == "conversation.mark_read" && a.actor == Some(app.carla))
            .count()
    };

    app.get(&format!("/c/{c}"), Some(&carla)).await;
    let after_first = marks().await;
    let again = app.get(&format!("/c/{c}"), Some(&carla)).await;
    let after_second = marks().await;
    let reply = MessageBody::parse("Aanvulling").unwrap();
    app.service
        .post_message(&caller(app.iris), c.parse().unwrap(), reply)
        .await
        .unwrap();
    app.get(&format!("/c/{c}"), Some(&carla)).await;
    let after_reply = marks().await;

    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(after_first, 1, "the first visit reads the message");
    assert_eq!(after_second, 1, "nothing new, nothing marked");
    assert_eq!(after_reply, 2, "a new message is marked read");
}

#[tokio::test]
async fn r12_a_deactivated_inbox_stays_on_the_management_pages() {
    let app = App::spawn().await;
    let ggz = app.inbox("POH GGZ").await;
    let off = InboxChanges {
        active: Some(false),
        ..Default::default()
    };
    app.service
        .update_inbox(&app.admin, ggz, off)
        .await
        .unwrap();
    let (carla, csrf) = app.session("carla@delinde.test").await;
    let link = format!(r#"href="/beheer/inbox/{ggz}""#);

    let overview = app.get("/beheer", Some(&carla)).await;
    let team = app
        .get(&format!("/beheer/team/{}", app.linde), Some(&carla))
        .await;
    let manage = app.get(&format!("/beheer/inbox/{ggz}"), Some(&carla)).await;
    let reactivate = app
        .post(
            &format!("/beheer/inbox/{ggz}"),
            Some(&carla),
            &[("csrf", &csrf), ("action", "activate")],
        )
        .await;

    assert!(overview.body.contains(&link), "{}", overview.body);
    assert!(overview.body.contains("gedeactiveerd"));
    assert!(team.body.contains(&link));
    assert!(manage.body.contains("Inbox weer activeren"));
    assert_eq!(
        reactivate.status,
        StatusCode::SEE_OTHER,
        "{}",
        reactivate.body
    );
    assert!(app.service.inbox(&app.admin, ggz).await.unwrap().active);
}

#[tokio::test]
async fn a_team_admin_adds_a_new_colleague_by_email() {
    let app = App::spawn().await;
    let karin = user(&app.service, &app.admin, "karin@delinde.test", "Karin Vos").await;
    let (carla, csrf) = app.session("carla@delinde.test").await;
    let staff = format!("/beheer/team/{}/staff", app.linde);

    let unknown = app
        .post(
            &staff,
            Some(&carla),
            &[
                ("csrf", &csrf),
                ("email", "karin@elders.test"),
                ("role", "member"),
            ],
        )
        .await;
    let added = app
        .post(
            &staff,
            Some(&carla),
            &[
                ("csrf", &csrf),
                ("email", " Karin@DeLinde.test "),
                ("role", "member"),
            ],
        )
        .await;

    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown
            .body
            .contains("Er is geen actief account met dit e-mailadres.")
    );
    assert!(unknown.body.contains(r#"value="karin@elders.test""#));
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert!(added.header(header::LOCATION).ends_with("done=staff_added"));
    let team = app.service.team_staff(&app.admin, app.linde).await.unwrap();
    assert!(team.iter().any(|s| s.user == karin));
}

#[tokio::test]
async fn after_login_a_member_of_one_inbox_lands_in_it() {
    let app = App::spawn().await;

    let carla = app.landing("carla@delinde.test").await;
    let iris = app.landing("iris@oost.test").await;
    app.start_to(app.iris, "Voor Carla", vec![app.carla], vec![])
        .await;
    let carla_with_unread = app.landing("carla@delinde.test").await;

    assert_eq!(carla, format!("/inbox/{}", app.assistenten));
    assert_eq!(iris, "/", "no shared inbox: Persoonlijk");
    assert_eq!(carla_with_unread, "/", "unread in Persoonlijk comes first");
}

#[tokio::test]
async fn r15_a_shared_file_shows_in_the_timeline_and_downloads_unchanged() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (iris, csrf) = app.session("iris@oost.test").await;
    let (carla, _) = app.session("carla@delinde.test").await;
    let data = photo(8_400);
    let file = File {
        name: "wond été.png",
        content_type: "image/png",
        data: &data,
    };

    let shared = app.share(&c, &iris, Some(&csrf), &file).await;
    let page = app.get(&format!("/c/{c}"), Some(&carla)).await;
    let fragment = app.get(&format!("/c/{c}/since/0"), Some(&carla)).await;
    let link = file_link(&page);
    let download = app.get(&link, Some(&carla)).await;

    assert_eq!(shared.status, StatusCode::SEE_OTHER, "{}", shared.body);
    assert!(
        shared
            .header(header::LOCATION)
            .starts_with(&format!("/c/{c}#m-"))
    );
    assert!(link.starts_with(&format!("/c/{c}/bestand/")), "{link}");
    assert!(page.body.contains("wond été.png</a>"), "{}", page.body);
    assert!(page.body.contains("8,4 kB · image/png"));
    assert!(
        page.body
            .contains("Iris Hendriks heeft een bestand gedeeld")
    );
    assert!(
        fragment.body.contains(&link),
        "the live update shows it too"
    );
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, data);
    assert_eq!(
        download.header(header::CONTENT_DISPOSITION),
        "attachment; filename*=UTF-8''wond%20%C3%A9t%C3%A9.png"
    );
    assert_eq!(download.header(header::CONTENT_TYPE), "image/png");
    assert_eq!(download.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(download.header(header::CACHE_CONTROL), "private, no-store");
}

#[tokio::test]
async fn r15_a_shared_file_is_not_found_by_others_nor_under_another_conversation() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let other = app.start(app.iris, "Medicatie").await;
    let (iris, csrf) = app.session("iris@oost.test").await;
    let file = File {
        name: "wond.png",
        content_type: "image/png",
        data: &photo(300),
    };
    app.share(&c, &iris, Some(&csrf), &file).await;
    let page = app.get(&format!("/c/{c}"), Some(&iris)).await;
    let link = file_link(&page);
    let file_id = link.rsplit('/').next().unwrap();
    user(
        &app.service,
        &app.admin,
        "joost@apotheek.test",
        "Joost Dekker",
    )
    .await;
    let (joost, _) = app.session("joost@apotheek.test").await;

    let stranger = app.get(&link, Some(&joost)).await;
    let missing = app
        .get(
            &format!("/c/{c}/bestand/{}", uuid::Uuid::new_v4()),
            Some(&joost),
        )
        .await;
    let elsewhere = app
        .get(&format!("/c/{other}/bestand/{file_id}"), Some(&iris))
        .await;
    let anonymous = app.get(&link, None).await;

    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(stranger.body, missing.body, "the same page as for nothing");
    assert!(stranger.body.contains("Niet gevonden"));
    assert!(!stranger.body.contains("wond.png"));
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(
        anonymous
            .header(header::LOCATION)
            .starts_with("/login?next=")
    );
}

#[tokio::test]
async fn r15_an_upload_without_the_csrf_token_shares_nothing() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (iris, _) = app.session("iris@oost.test").await;
    let file = File {
        name: "wond.png",
        content_type: "image/png",
        data: &photo(300),
    };

    let missing = app.share(&c, &iris, None, &file).await;
    let wrong = app.share(&c, &iris, Some("00"), &file).await;

    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(
        wrong
            .body
            .contains("Dit formulier kwam niet van een pagina van careinbox")
    );
    let page = app.get(&format!("/c/{c}"), Some(&iris)).await;
    assert!(!page.body.contains("/bestand/"), "a file was shared");
}

#[tokio::test]
async fn r15_a_cross_site_upload_is_refused_even_with_the_token() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (iris, csrf) = app.session("iris@oost.test").await;
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"x.txt\"\r\n\r\nhallo\r\n--{BOUNDARY}--\r\n"
    );
    let request = Request::post(format!("/c/{c}/bestand"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::HOST, "careinbox.test")
        .header(header::ORIGIN, "https://elders.test")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, format!("careinbox_session={iris}"))
        .body(Body::from(body))
        .unwrap();

    let page = app.send(request).await;

    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = app.get(&format!("/c/{c}"), Some(&iris)).await;
    assert!(!page.body.contains("/bestand/"), "a file was shared");
}

#[tokio::test]
async fn r15_a_file_over_the_limit_gets_a_readable_413_page() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (iris, csrf) = app.session("iris@oost.test").await;
    let just_over = photo(FILE_LIMIT + 1);
    let far_over = photo(FILE_LIMIT * 3);
    let exactly = photo(FILE_LIMIT);
    let file = |data| File {
        name: "scan.pdf",
        content_type: "application/pdf",
        data,
    };

    let small_excess = app.share(&c, &iris, Some(&csrf), &file(&just_over)).await;
    let large_excess = app.share(&c, &iris, Some(&csrf), &file(&far_over)).await;
    let at_the_limit = app.share(&c, &iris, Some(&csrf), &file(&exactly)).await;

    for page in [&small_excess, &large_excess] {
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", page.body);
        assert!(
            page.body
                .contains("Dit bestand is te groot: je kunt bestanden tot 66 kB delen."),
            "{}",
            page.body
        );
    }
    let page = app.get(&format!("/c/{c}"), Some(&iris)).await;
    assert_eq!(
        page.body.matches("scan.pdf</a>").count(),
        1,
        "one was shared"
    );
    assert_eq!(
        at_the_limit.status,
        StatusCode::SEE_OTHER,
        "{}",
        at_the_limit.body
    );
}

#[tokio::test]
async fn r15_an_empty_file_or_none_is_refused_with_a_readable_sentence() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (iris, csrf) = app.session("iris@oost.test").await;
    let empty = File {
        name: "leeg.txt",
        content_type: "text/plain",
        data: b"",
    };
    let none_chosen = File {
        name: "",
        content_type: "application/octet-stream",
        data: b"",
    };

    let page = app.share(&c, &iris, Some(&csrf), &empty).await;
    let nothing = app.share(&c, &iris, Some(&csrf), &none_chosen).await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(r#"role="alert""#));
    assert!(page.body.contains("Het bestand is leeg."), "{}", page.body);
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nothing.body.contains("Kies een bestand om te delen."));
}

#[tokio::test]
async fn the_share_form_carries_the_token_and_the_limit() {
    let app = App::spawn().await;
    let c = app.start(app.iris, "Wondzorg").await;
    let (iris, csrf) = app.session("iris@oost.test").await;

    let page = app.get(&format!("/c/{c}"), Some(&iris)).await;

    let share = page.body.find(r#"id="share""#).expect("a share form");
    let start = page.body[..share].rfind("<form").unwrap();
    let form = &page.body[start..start + page.body[start..].find("</form>").unwrap()];
    assert!(form.contains(r#"enctype="multipart/form-data""#), "{form}");
    assert!(form.contains(&format!(r#"value="{csrf}""#)));
    assert!(form.contains(r#"<label for="file">Bestand delen</label>"#));
    assert!(form.contains(r#"type="file" name="file" required"#));
    assert!(form.contains(&format!(r#"data-max-bytes="{FILE_LIMIT}""#)));
}
