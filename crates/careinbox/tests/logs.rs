//! The server's logs never contain message text, subjects, names or emails
//! (STYLE.md, SPEC R16's companion: privacy). Runs the real binary with JSON
//! logs at debug level, does the things that touch personal data, and reads
//! everything the process wrote.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const ADMIN_EMAIL: &str = "beheer@logs.test";
const PASSWORD: &str = "wachtwoord-voor-logs";
const SECRET_BODY: &str = "Mevrouw Geheimhouding heeft een doorligwond op de hiel";
const SECRET_SUBJECT: &str = "Wondzorg mevrouw Geheimhouding";
const SECRET_NAME: &str = "Fenna Vertrouwelijk";
const SECRET_EMAIL: &str = "fenna.vertrouwelijk@logs.test";

#[tokio::test]
async fn logs_hold_no_message_text_names_or_emails() {
    let dir = std::env::temp_dir().join(format!("careinbox-logs-{}", uuid::Uuid::new_v4()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_careinbox"))
        .args([
            "--log-format",
            "json",
            "--log",
            "debug",
            "serve",
            "--listen",
            "127.0.0.1:0",
        ])
        .arg("--data-dir")
        .arg(&dir)
        // The embedded database, whatever the environment says.
        .env_remove("DATABASE_URL")
        .env("CAREINBOX_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("CAREINBOX_ADMIN_PASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("the address line");
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .expect("an address")
        .to_owned();
    assert!(
        base.starts_with("http://"),
        "unexpected first line: {first}"
    );

    // Read the logs while the server runs: a full pipe would block it.
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut logs = String::new();
        let _ = stderr.read_to_string(&mut logs);
        logs
    });

    exercise(&base).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().expect("the server stops");
    let mut logs = reader.join().expect("the logs");
    stdout
        .read_to_string(&mut logs)
        .expect("the rest of stdout");
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);

    assert!(
        logs.lines().count() > 10,
        "expected request logs, got: {logs}"
    );
    assert!(
        logs.contains("\"route\""),
        "request lines carry the matched route"
    );
    for secret in [
        SECRET_BODY,
        SECRET_SUBJECT,
        SECRET_NAME,
        SECRET_EMAIL,
        "Geheimhouding",
        "Vertrouwelijk",
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret:?}");
    }
}

/// Creates an account, a team, a conversation and a message with the secret
/// words, reads them back, and makes a few requests fail.
async fn exercise(base: &str) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    let call = |method: reqwest::Method, path: &str, token: Option<&str>, body: Option<Value>| {
        let mut request = http.request(method, format!("{base}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let response = request.send().await.expect("an answer");
            response.json::<Value>().await.unwrap_or(Value::Null)
        }
    };
    use reqwest::Method as M;

    let login = |email: &'static str| {
        call(
            M::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": PASSWORD})),
        )
    };
    let admin = login(ADMIN_EMAIL).await["token"]
        .as_str()
        .expect("admin token")
        .to_owned();
    let team = call(
        M::POST,
        "/api/v1/admin/teams",
        Some(&admin),
        Some(json!({"name": "Praktijk"})),
    )
    .await;
    let team = team["id"].as_str().expect("team").to_owned();
    let mut users = Vec::new();
    for (email, name) in [
        (SECRET_EMAIL, SECRET_NAME),
        ("collega@logs.test", "Collega"),
    ] {
        let body =
            json!({"email": email, "name": name, "password": PASSWORD, "profession": "huisarts"});
        let user = call(M::POST, "/api/v1/admin/users", Some(&admin), Some(body)).await;
        let user = user["id"].as_str().expect("user").to_owned();
        call(
            M::POST,
            &format!("/api/v1/teams/{team}/members"),
            Some(&admin),
            Some(json!({"user": user, "role": "member"})),
        )
        .await;
        users.push(user);
    }
    let fenna = login(SECRET_EMAIL).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let start = json!({"subject": SECRET_SUBJECT, "body": SECRET_BODY, "recipients": {"users": [users[1]]}});
    let conversation = call(M::POST, "/api/v1/conversations", Some(&fenna), Some(start)).await;
    let conversation = conversation["id"]
        .as_str()
        .expect("conversation")
        .to_owned();
    let path = format!("/api/v1/conversations/{conversation}/messages");
    call(
        M::POST,
        &path,
        Some(&fenna),
        Some(json!({"body": SECRET_BODY})),
    )
    .await;
    call(M::GET, &path, Some(&fenna), None).await;
    call(
        M::GET,
        &format!("/api/v1/directory?q={}", "Vertrouwelijk"),
        Some(&fenna),
        None,
    )
    .await;

    // Failures log too: a wrong password for the secret email, an empty
    // subject, a duplicate account.
    call(
        M::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"email": SECRET_EMAIL, "password": "fout-wachtwoord"})),
    )
    .await;
    call(
        M::POST,
        "/api/v1/conversations",
        Some(&fenna),
        Some(json!({"subject": "", "body": SECRET_BODY, "recipients": {}})),
    )
    .await;
    let again = json!({"email": SECRET_EMAIL, "name": SECRET_NAME, "password": PASSWORD, "profession": "huisarts"});
    call(M::POST, "/api/v1/admin/users", Some(&admin), Some(again)).await;
}
