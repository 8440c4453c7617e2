//! SIGTERM shuts the server down cleanly: open event streams end, and the
//! process exits with success instead of hanging on them, on both backends.

#[path = "common/database.rs"]
mod database;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn sigterm_ends_open_streams_and_exits_cleanly_on_sqlite() {
    sigterm_ends_open_streams_and_exits_cleanly(None).await;
}

#[tokio::test]
async fn sigterm_ends_open_streams_and_exits_cleanly_on_postgres() {
    let Some(db) = database::TestDatabase::create(database::Backend::Postgres).await else {
        return;
    };
    let url = db
        .serve_args("x@y.test", "unused-password")
        .database_url
        .expect("a url");
    sigterm_ends_open_streams_and_exits_cleanly(Some(url.0)).await;
}

async fn sigterm_ends_open_streams_and_exits_cleanly(database_url: Option<String>) {
    let dir = std::env::temp_dir().join(format!("careinbox-stop-{}", uuid::Uuid::new_v4()));
    let mut command = Command::new(env!("CARGO_BIN_EXE_careinbox"));
    command.arg("serve");
    if let Some(url) = database_url {
        command.args(["--database-url", &url]);
    }
    let mut child = command
        .args(["--listen", "127.0.0.1:0", "--heartbeat-seconds", "60"])
        .arg("--data-dir")
        .arg(&dir)
        // The embedded database, whatever the environment says.
        .env_remove("DATABASE_URL")
        .env("CAREINBOX_ADMIN_EMAIL", "beheer@stop.test")
        .env("CAREINBOX_ADMIN_PASSWORD", "wachtwoord-voor-stop")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a line");
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .expect("an address")
        .to_owned();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client");
    let login = json!({"email": "beheer@stop.test", "password": "wachtwoord-voor-stop"});
    let token: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = token["token"].as_str().expect("a token").to_owned();
    let stream = http
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("a stream");
    assert_eq!(stream.status(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        let mut body = stream.bytes_stream();
        while let Some(Ok(_)) = body.next().await {}
    })
    .await;
    let mut exit = None;
    for _ in 0..100 {
        if let Some(status) = child.try_wait().expect("the process") {
            exit = Some(status);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if exit.is_none() {
        let _ = child.kill();
    }
    let _ = std::fs::remove_dir_all(&dir);

    assert!(killed.success());
    assert!(ended.is_ok(), "the open stream did not end after SIGTERM");
    assert!(
        exit.is_some_and(|s| s.success()),
        "the server did not exit cleanly: {exit:?}"
    );
}
