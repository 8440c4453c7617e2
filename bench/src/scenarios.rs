//! The run: start the server on a fresh database, seed it, restart it, run
//! each scenario against it, then kill it under write load to check that
//! nothing acknowledged was lost. Each scenario checks that the server did
//! what the scenario asked (a page of 50, unread markers, events received)
//! before its figures are believed.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::{Mutex, mpsc};
use uuid::Uuid;

use crate::api::Api;
use crate::db::{Conn, Database, Value, placeholders};
use crate::load::{self, Latency, LoadOutcome, MakeRequest, Meter};
use crate::machine::{self, Machine};
use crate::report::{Durability, Report, Row, Seeding};
use crate::seed::{self, Person, Population};
use crate::server::{Launch, Server};
use crate::sse::{self, Received};
use crate::{Args, Backend, Scenario};

/// Conversations of the post scenario, and participants of each.
const POST_CONVERSATIONS: usize = 100;
const POST_PARTICIPANTS: usize = 10;
/// A message body of a realistic length (about 300 bytes).
const MESSAGE: &str = "Goedemiddag, de wond is vandaag opnieuw verbonden. De \
    randen zijn minder rood dan gisteren en de patiënt heeft minder pijn. Graag \
    overleg over het vervolg: kan de huisarts deze week meekijken, of zal ik \
    over drie dagen een nieuwe foto sturen? Met vriendelijke groet, de \
    wijkverpleging.";

/// What every scenario needs.
struct Ctx<'a> {
    args: &'a Args,
    server: &'a Server,
    api: Api,
    population: Population,
    backends: Backends,
}

/// On PostgreSQL, the server's database connections, whose CPU counts too.
struct Backends(Option<Mutex<Conn>>);

impl Backends {
    async fn pids(&self) -> Vec<u32> {
        let Some(conn) = &self.0 else {
            return Vec::new();
        };
        let sql = "SELECT pid::bigint FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()";
        let pids = conn.lock().await.integers(sql).await.unwrap_or_default();
        pids.into_iter().map(|p| p as u32).collect()
    }
}

impl Ctx<'_> {
    /// Waits, up to `--settle` seconds, until other processes leave the
    /// machine nearly idle: on a shared machine a build next door halves
    /// the figures. What they still took shows as "other CPU s".
    async fn settle(&self) {
        let limit = Duration::from_secs_f64(self.args.settle.max(0.0));
        let started = Instant::now();
        let mut announced = false;
        while started.elapsed() < limit {
            let busy = machine::machine_busy_ticks();
            let own = machine::cpu_ticks(self.server.pid).unwrap_or(0)
                + machine::cpu_ticks(std::process::id()).unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(500)).await;
            let others = machine::machine_busy_ticks().saturating_sub(busy) as f64
                - (machine::cpu_ticks(self.server.pid).unwrap_or(0)
                    + machine::cpu_ticks(std::process::id()).unwrap_or(0))
                .saturating_sub(own) as f64;
            let cores = others / machine::ticks_per_second() / 0.5;
            if cores < 0.25 {
                return;
            }
            if !announced {
                eprintln!("  waiting for other processes to finish ({cores:.1} cores busy)");
                announced = true;
            }
        }
    }

    async fn closed_loop(&self, clients: usize, make: MakeRequest) -> LoadOutcome {
        self.settle().await;
        // A line to start a profiler on (see docs/benchmarks.md).
        eprintln!("  load on, measuring after {:.1} s", self.args.warmup);
        // The database connections are listed after the warm-up, when the
        // server's pool has grown to what the load needs.
        let backends = self.backends.pids();
        let (warmup, duration) = (self.args.warmup(), self.args.duration());
        let outcome =
            load::closed_loop(clients, warmup, duration, self.server.pid, backends, make).await;
        for error in outcome.first_errors.iter().take(3) {
            eprintln!("  error: {error}");
        }
        outcome
    }
}

pub async fn run_all(
    args: &Args,
    server_bin: &Path,
    database: &Database,
    machine: &Machine,
) -> anyhow::Result<Report> {
    let mut report = Report::new(args, machine);
    let launch: Launch = database.launch(server_bin.to_path_buf());
    report.server_command = launch.describe();
    report.fsync_ms = machine::fsync_ms(&database.dir);

    eprintln!(
        "starting {} on {}",
        server_bin.display(),
        database.describe()
    );
    let server = Server::start(&launch).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    report.fresh_rss_mb = server.sample().map(|s| s.rss_mb());
    eprintln!("seeding the base objects over HTTP");
    let started = Instant::now();
    let mut population = seed::over_http(&Api::new(&server.base)).await?;
    let http_seconds = started.elapsed().as_secs_f64();
    if !server.stop().await? {
        report
            .notes
            .push("the server did not exit on SIGTERM and was killed".into());
    }

    eprintln!("seeding the large tables in the database");
    let mut conn = database.connect().await?;
    let bulk = seed::bulk(&mut conn, &mut population, args).await?;
    conn.close().await?;
    // A fresh connection: the bulk step changed its own session's settings.
    let mut conn = database.connect().await?;
    report.database = database_settings(&mut conn).await?;
    conn.close().await?;
    if database.backend == Backend::Sqlite {
        // The bulk step did not fsync: flush now, so the measurements do
        // not pay for writing back a gigabyte of dirty pages.
        std::fs::File::open(database.dir.join("careinbox.db"))?.sync_all()?;
    }
    let database_mb = database.size_mb().await?;
    report.seeding = Some(Seeding {
        http_seconds,
        bulk,
        database_mb,
    });

    eprintln!("restarting the server on the seeded database");
    let server = Server::start(&launch).await?;
    let backends = match database.backend {
        Backend::Sqlite => Backends(None),
        Backend::Postgres => Backends(Some(Mutex::new(database.connect().await?))),
    };
    let ctx = Ctx {
        args,
        server: &server,
        api: Api::new(&server.base),
        population,
        backends,
    };

    if args.runs(Scenario::Idle) {
        idle(&ctx, &mut report).await;
    }
    if args.runs(Scenario::InboxView) {
        inbox_view(&ctx, &mut report).await?;
    }
    if args.runs(Scenario::Me) {
        me(&ctx, &mut report).await?;
    }
    let mut posted = None;
    if args.runs(Scenario::PostMessage) {
        posted = Some(post_message(&ctx, &mut report).await?);
    }
    if args.runs(Scenario::StartConversation) {
        start_conversation(&ctx, &mut report).await?;
    }
    if args.runs(Scenario::Streams) {
        streams(&ctx, &mut report).await?;
    }
    if args.runs(Scenario::RemoveMember) {
        remove_member(&ctx, &mut report).await?;
    }

    match posted {
        Some(posted) => {
            let durability = crash_under_load(&ctx, database, posted).await?;
            drop(ctx);
            server.crash().await?;
            if durability.lost > 0 {
                report.fail(format!("{} acknowledged messages lost", durability.lost));
            }
            report.durability = Some(durability);
        }
        None => {
            drop(ctx);
            if !server.stop().await? {
                report
                    .notes
                    .push("the server did not exit on SIGTERM and was killed".into());
            }
        }
    }
    if args.smoke {
        let errors: Vec<String> = report
            .rows
            .iter()
            .filter(|r| r.errors > 0)
            .map(|r| {
                format!(
                    "{} had {} errors {:?}",
                    r.scenario, r.errors, r.error_statuses
                )
            })
            .collect();
        for e in errors {
            report.fail(e);
        }
    }
    Ok(report)
}

/// The settings that decide durability and speed, as the database reports
/// them.
async fn database_settings(conn: &mut Conn) -> anyhow::Result<serde_json::Value> {
    if !conn.is_postgres() {
        let journal = conn.text("PRAGMA journal_mode", &[]).await?;
        let version = conn.text("SELECT sqlite_version()", &[]).await?;
        return Ok(json!({
            "engine": format!("SQLite {version}"),
            "journal_mode": journal,
            "synchronous": "FULL (set by careinbox on every connection)",
            "connections": "1 writer, 4 readers",
        }));
    }
    let mut settings = serde_json::Map::new();
    let names = [
        "server_version",
        "synchronous_commit",
        "fsync",
        "wal_sync_method",
        "commit_delay",
        "shared_buffers",
        "max_connections",
    ];
    for name in names {
        let value = conn
            .text(&format!("SELECT current_setting('{name}')"), &[])
            .await?;
        settings.insert(name.into(), value.into());
    }
    settings.insert("connections".into(), "pool of 16 per node".into());
    Ok(settings.into())
}

/// The judgement on a target, or none in a smoke run.
fn judge(args: &Args, met: bool) -> Option<bool> {
    (!args.smoke).then_some(met)
}

async fn idle(ctx: &Ctx<'_>, report: &mut Report) {
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss = ctx.server.sample().map_or(0.0, |s| s.rss_mb());
    let mut row = Row::new(
        "idle",
        "idle server on the seeded database, before any load".into(),
        "RSS < 30 MB",
    );
    row.usage = Some(load::Usage {
        server_rss_mb_before: rss,
        server_rss_mb_after: rss,
        server_rss_mb_peak: rss,
        ..Default::default()
    });
    row.met = judge(ctx.args, rss < 30.0);
    row.figures = json!({ "rss_mb": rss, "fresh_empty_rss_mb": report.fresh_rss_mb });
    eprintln!("idle: {rss:.1} MB");
    report.rows.push(row);
}

fn get_request(url: String, token: String) -> MakeRequest {
    Arc::new(move |client: &reqwest::Client, _, _| client.get(&url).bearer_auth(&token))
}

async fn inbox_view(ctx: &Ctx<'_>, report: &mut Report) -> anyhow::Result<()> {
    let viewer = ctx.population.viewer();
    let path = format!(
        "/api/v1/inboxes/{}/conversations?view=active",
        ctx.population.view_inbox
    );
    let page = ctx.api.get(&viewer.token, &path).await?;
    let items = page["items"].as_array().map_or(0, Vec::len);
    let unread = page["items"].as_array().map_or(0, |items| {
        items.iter().filter(|i| i["unread"] == true).count()
    });
    let expected = ctx.args.view_conversations.min(50) as usize;
    if items != expected || unread == 0 {
        report.fail(format!(
            "inbox view: {items} items ({unread} unread), expected {expected}"
        ));
    }

    let what = format!(
        "first page (50) of an inbox view of {} conversations, with unread markers",
        ctx.args.view_conversations
    );
    let figures = json!({ "items": items, "unread_in_first_page": unread });
    for clients in read_concurrency(ctx.args) {
        eprintln!("inbox view: {clients} clients");
        let make = get_request(ctx.api.url(&path), viewer.token.clone());
        let outcome = ctx.closed_loop(clients, make).await;
        let target = "p50 < 2 ms, p99 < 10 ms";
        let mut row = Row::from_load("inbox_view", what.clone(), target, &outcome);
        let met = outcome
            .latency_ms
            .as_ref()
            .is_some_and(|l| l.p50 < 2.0 && l.p99 < 10.0);
        row.met = judge(ctx.args, met);
        row.figures = figures.clone();
        report.rows.push(row);
    }
    Ok(())
}

/// Read latency alone (one client) and under load (`--read-clients`): on
/// two cores, eight clients queue behind each other, so both are shown.
fn read_concurrency(args: &Args) -> Vec<usize> {
    let mut levels = vec![1];
    if args.read_clients > 1 {
        levels.push(args.read_clients);
    }
    levels
}

async fn me(ctx: &Ctx<'_>, report: &mut Report) -> anyhow::Result<()> {
    let user = ctx.population.me_user();
    let me = ctx.api.get(&user.token, "/api/v1/me").await?;
    let inboxes = me["inboxes"].as_array().map_or(0, Vec::len);
    let unread: i64 = me["inboxes"]
        .as_array()
        .map_or(0, |i| i.iter().filter_map(|i| i["unread"].as_i64()).sum());
    let personal = me["personal"]["unread"].as_i64().unwrap_or(0);
    if inboxes != seed::ME_INBOXES || unread == 0 || personal == 0 {
        report.fail(format!(
            "/me: {inboxes} inboxes, {unread} unread, {personal} personal"
        ));
    }

    let what = format!(
        "GET /api/v1/me for a member of {} inboxes of {} conversations each",
        seed::ME_INBOXES,
        ctx.args.me_conversations
    );
    let figures = json!({
        "inboxes": inboxes,
        "unread_in_inboxes": unread,
        "unread_personal": personal,
    });
    for clients in read_concurrency(ctx.args) {
        eprintln!("/me: {clients} clients");
        let make = get_request(ctx.api.url("/api/v1/me"), user.token.clone());
        let outcome = ctx.closed_loop(clients, make).await;
        let mut row = Row::from_load("me", what.clone(), "p50 < 2 ms", &outcome);
        let met = outcome.latency_ms.as_ref().is_some_and(|l| l.p50 < 2.0);
        row.met = judge(ctx.args, met);
        row.figures = figures.clone();
        report.rows.push(row);
    }
    Ok(())
}

/// The conversations of the post scenario and how to post into them.
struct Posting {
    conversations: Vec<Uuid>,
    /// Messages acknowledged by the post scenario, and the first messages.
    acknowledged: u64,
    make: MakeRequest,
}

/// A JSON POST with a body serialised once.
fn post_json(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: &Arc<Vec<u8>>,
) -> reqwest::RequestBuilder {
    client
        .post(url)
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.as_ref().clone())
}

async fn post_message(ctx: &Ctx<'_>, report: &mut Report) -> anyhow::Result<Posting> {
    // Conversation k has pool members k, k+4, ..., k+36 (mod 40): ten
    // distinct people, each conversation a different set.
    let pool: Vec<Person> = ctx.population.pool().into_iter().cloned().collect();
    let member = |k: usize, j: usize| &pool[(k + 4 * j) % pool.len()];
    let mut conversations = Vec::new();
    for k in 0..POST_CONVERSATIONS {
        let users: Vec<Uuid> = (1..POST_PARTICIPANTS).map(|j| member(k, j).id).collect();
        let body = json!({
            "subject": format!("Casusoverleg {k}"),
            "body": MESSAGE,
            "recipients": { "users": users },
        });
        conversations.push(
            ctx.api
                .create(&member(k, 0).token, "/api/v1/conversations", body)
                .await?,
        );
    }

    let urls: Vec<String> = conversations
        .iter()
        .map(|c| ctx.api.url(&format!("/api/v1/conversations/{c}/messages")))
        .collect();
    let posters: Vec<Vec<String>> = (0..POST_CONVERSATIONS)
        .map(|k| {
            (0..POST_PARTICIPANTS)
                .map(|j| member(k, j).token.clone())
                .collect()
        })
        .collect();
    let body = Arc::new(serde_json::to_vec(&json!({ "body": MESSAGE }))?);
    let clients = ctx.args.post_clients;
    let make: MakeRequest = Arc::new(move |client: &reqwest::Client, c, i| {
        let k = (c + clients * i as usize) % POST_CONVERSATIONS;
        let j = (c + i as usize) % POST_PARTICIPANTS;
        post_json(client, &urls[k], &posters[k][j], &body)
    });

    eprintln!("post message: {clients} clients");
    let outcome = ctx.closed_loop(clients, make.clone()).await;
    let what = format!(
        "post a message into {POST_CONVERSATIONS} conversations of {POST_PARTICIPANTS} participants"
    );
    let mut row = Row::from_load(
        "post_message",
        what,
        ">= 4,000 messages/s, p99 < 20 ms",
        &outcome,
    );
    let p99 = outcome.latency_ms.as_ref().map_or(f64::MAX, |l| l.p99);
    row.met = judge(ctx.args, outcome.throughput_per_s >= 4000.0 && p99 < 20.0);
    if outcome.ok == 0 {
        report.fail("post message: no message was accepted");
    }
    report.rows.push(row);
    Ok(Posting {
        conversations,
        acknowledged: outcome.acknowledged + POST_CONVERSATIONS as u64,
        make,
    })
}

async fn start_conversation(ctx: &Ctx<'_>, report: &mut Report) -> anyhow::Result<()> {
    let pool: Vec<String> = ctx
        .population
        .pool()
        .iter()
        .map(|p| p.token.clone())
        .collect();
    let url = ctx.api.url("/api/v1/conversations");
    let body = Arc::new(serde_json::to_vec(&json!({
        "subject": "Vraag over medicatie",
        "body": MESSAGE,
        "recipients": { "inboxes": [ctx.population.start_inbox] },
    }))?);
    let clients = ctx.args.start_clients;
    let make: MakeRequest = Arc::new(move |client: &reqwest::Client, c, i| {
        let starter = &pool[(c + clients * i as usize) % pool.len()];
        post_json(client, &url, starter, &body)
    });

    eprintln!("start conversation: {clients} clients");
    let outcome = ctx.closed_loop(clients, make).await;
    let what = "start a conversation with a 10-member shared inbox".to_owned();
    let mut row = Row::from_load(
        "start_conversation",
        what,
        ">= 1,500 conversations/s",
        &outcome,
    );
    row.met = judge(ctx.args, outcome.throughput_per_s >= 1500.0);
    if outcome.ok == 0 {
        report.fail("start conversation: no conversation was started");
    }
    report.rows.push(row);
    Ok(())
}

/// Opens `streams` event streams (the first `fanout` for the participants
/// of one conversation, one each; the rest five per professional), reads
/// the server's RSS, then posts messages into that conversation one at a
/// time and times each stream's `message_created`.
async fn streams(ctx: &Ctx<'_>, report: &mut Report) -> anyhow::Result<()> {
    let args = ctx.args;
    let crowd = &ctx.population.crowd;
    let fanout = args.fanout.min(crowd.len());
    let recipients: Vec<Uuid> = crowd[1..fanout].iter().map(|p| p.id).collect();
    let body = json!({
        "subject": "Overdracht weekenddienst",
        "body": MESSAGE,
        "recipients": { "users": recipients },
    });
    let conversation = ctx
        .api
        .create(&crowd[0].token, "/api/v1/conversations", body)
        .await?;

    eprintln!("streams: opening {}", args.streams);
    let owners: Vec<&Person> = (0..args.streams)
        .map(|s| {
            if s < fanout {
                &crowd[s]
            } else {
                &crowd[fanout + (s - fanout) / 5]
            }
        })
        .collect();
    let client = crate::api::client();
    let (events, mut received) = mpsc::unbounded_channel::<Received>();
    ctx.settle().await;
    let meter = Meter::start(ctx.server.pid, ctx.backends.pids().await);
    let opening = Instant::now();
    let opened: Vec<anyhow::Result<tokio::task::JoinHandle<()>>> =
        futures_util::stream::iter(owners.iter().enumerate())
            .map(|(s, owner)| sse::open(&client, &ctx.api.base, &owner.token, s, events.clone()))
            .buffered(64)
            .collect()
            .await;
    let open_seconds = opening.elapsed().as_secs_f64();
    let mut tasks = Vec::new();
    let mut failed = 0;
    for result in opened {
        match result {
            Ok(task) => tasks.push(task),
            Err(e) => {
                if failed == 0 {
                    eprintln!("  a stream failed to open: {e:#}");
                }
                failed += 1;
            }
        }
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let open_usage = meter.finish();
    let rss = open_usage.server_rss_mb_after;
    eprintln!(
        "  {} open in {open_seconds:.1} s, server RSS {rss:.1} MB",
        tasks.len()
    );

    let mut row = Row::new(
        "streams_open",
        format!("{} open event streams on one node", args.streams),
        "10,000 streams in < 300 MB RSS",
    );
    row.clients = args.streams;
    row.ok = tasks.len() as u64;
    row.errors = failed;
    row.usage = Some(open_usage);
    row.met = judge(args, tasks.len() >= 10_000 && failed == 0 && rss < 300.0);
    row.figures = json!({ "open_seconds": open_seconds, "rss_mb": rss, "per_stream_kb": 0 });
    if failed > 0 {
        report.fail(format!(
            "streams: {failed} of {} did not open",
            args.streams
        ));
    }

    // Fan-out: one message at a time, so every message_created of the
    // conversation that arrives belongs to the message just sent.
    while received.try_recv().is_ok() {}
    let wanted = conversation.to_string();
    let meter = Meter::start(ctx.server.pid, ctx.backends.pids().await);
    let mut micros = Vec::new();
    let mut missing = 0;
    let post_path = format!("/api/v1/conversations/{conversation}/messages");
    for _ in 0..args.fanout_messages {
        let sent = Instant::now();
        ctx.api
            .create(&crowd[0].token, &post_path, json!({ "body": MESSAGE }))
            .await?;
        let mut seen = HashSet::new();
        let deadline = sent + Duration::from_secs(5);
        while seen.len() < fanout {
            let wait = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(wait, received.recv()).await {
                Ok(Some(e)) if e.kind == "message_created" && e.data.contains(&wanted) => {
                    if seen.insert(e.stream) {
                        micros.push(e.at.duration_since(sent).as_micros() as u64);
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        missing += fanout - seen.len();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fan_usage = meter.finish();
    report.rows.push(row);

    let latency = Latency::of(micros);
    let mut row = Row::new(
        "fanout",
        format!(
            "one message to {fanout} streams (of {} open), {} times; from POST to event",
            tasks.len(),
            args.fanout_messages
        ),
        "p99 < 50 ms",
    );
    row.clients = fanout;
    row.ok = latency.as_ref().map_or(0, |l| l.samples as u64);
    row.errors = missing as u64;
    row.met = judge(
        args,
        missing == 0 && latency.as_ref().is_some_and(|l| l.p99 < 50.0),
    );
    row.latency_ms = latency;
    row.usage = Some(fan_usage);
    if missing > 0 {
        report.fail(format!(
            "fan-out: {missing} deliveries did not arrive within 5 s"
        ));
    }
    report.rows.push(row);

    for task in &tasks {
        task.abort();
    }
    drop(tasks);
    tokio::time::sleep(Duration::from_secs(1)).await;
    if let Some(row) = report
        .rows
        .iter_mut()
        .find(|r| r.scenario == "streams_open")
    {
        let after = ctx.server.sample().map_or(0.0, |s| s.rss_mb());
        let base = row.usage.as_ref().map_or(0.0, |u| u.server_rss_mb_before);
        let per_stream = (rss - base) * 1024.0 / args.streams.max(1) as f64;
        row.figures["rss_mb_after_close"] = json!(after);
        row.figures["per_stream_kb"] = json!(per_stream);
    }
    Ok(())
}

/// R6 at scale: removes a member linked to many conversations via one
/// inbox while their stream is open; the stream must hear `access_lost`,
/// then nothing more of those conversations.
async fn remove_member(ctx: &Ctx<'_>, report: &mut Report) -> anyhow::Result<()> {
    let p = &ctx.population;
    let victim = p.victim();
    let lost_one = p.removal_conversation(0);
    let lost_path = format!("/api/v1/conversations/{lost_one}");
    if ctx.api.status_of(&victim.token, &lost_path).await? != reqwest::StatusCode::OK {
        report.fail("removal: the member does not see a seeded conversation before removal");
    }
    let client = crate::api::client();
    let (events, mut received) = mpsc::unbounded_channel::<Received>();
    let stream = sse::open(&client, &ctx.api.base, &victim.token, 0, events).await?;

    eprintln!(
        "remove member: linked to {} conversations",
        ctx.args.removal_conversations
    );
    let meter = Meter::start(ctx.server.pid, ctx.backends.pids().await);
    let started = Instant::now();
    let path = format!("/api/v1/inboxes/{}/members/{}", p.removal_inbox, victim.id);
    ctx.api
        .delete(&p.admin, &path)
        .await
        .context("removing the member")?;
    let took = started.elapsed();

    let mut access_lost = None;
    let deadline = started + Duration::from_secs(30);
    while access_lost.is_none() {
        let wait = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(wait, received.recv()).await {
            Ok(Some(e)) if e.kind == "access_lost" => access_lost = Some(e),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let usage = meter.finish();
    let lost_count = access_lost
        .as_ref()
        .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.data).ok())
        .and_then(|d| d["lost"].as_i64());
    let access_lost_ms = access_lost
        .as_ref()
        .map(|e| e.at.duration_since(started).as_secs_f64() * 1000.0);

    // Cut: a message in a lost conversation must not reach the stream,
    // and the conversation no longer exists for the removed member.
    let body = json!({ "body": MESSAGE });
    ctx.api
        .create(&p.stayer().token, &format!("{lost_path}/messages"), body)
        .await?;
    let wanted = lost_one.to_string();
    let mut leaked = false;
    let quiet = Instant::now() + Duration::from_secs(1);
    while let Ok(Some(e)) = tokio::time::timeout_at(quiet.into(), received.recv()).await {
        leaked |= e.kind == "message_created" && e.data.contains(&wanted);
    }
    stream.abort();
    let hidden =
        ctx.api.status_of(&victim.token, &lost_path).await? == reqwest::StatusCode::NOT_FOUND;
    let cut = access_lost.is_some() && !leaked && hidden;
    if lost_count != Some(ctx.args.removal_conversations) || !cut {
        report.fail(format!(
            "removal: access_lost {lost_count:?} of {}, leaked {leaked}, hidden {hidden}",
            ctx.args.removal_conversations
        ));
    }

    let what = format!(
        "remove a member linked to {} conversations via one inbox (R6)",
        ctx.args.removal_conversations
    );
    let mut row = Row::new("remove_member", what, "< 2 s, streams cut");
    row.clients = 1;
    row.ok = 1;
    row.latency_ms = Latency::of(vec![took.as_micros() as u64]);
    row.usage = Some(usage);
    row.met = judge(ctx.args, took < Duration::from_secs(2) && cut);
    row.figures = json!({
        "delete_ms": took.as_secs_f64() * 1000.0,
        "access_lost_ms": access_lost_ms,
        "conversations_lost": lost_count,
        "stream_cut": cut,
    });
    report.rows.push(row);
    Ok(())
}

/// Posts with the post scenario's clients and kills the server (SIGKILL)
/// half-way; then counts the messages of those conversations in the
/// database. Every message answered 201 must be there.
async fn crash_under_load(
    ctx: &Ctx<'_>,
    database: &Database,
    posted: Posting,
) -> anyhow::Result<Durability> {
    eprintln!(
        "durability: killing the server while {} clients post",
        ctx.args.post_clients
    );
    let pid = ctx.server.pid;
    let killer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    });
    let outcome = load::closed_loop(
        ctx.args.post_clients,
        Duration::ZERO,
        Duration::from_millis(1500),
        pid,
        async { Vec::new() },
        posted.make,
    )
    .await;
    killer.await?;
    while machine::sample(pid).is_some_and(|s| s.rss_kb > 0) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let acknowledged = posted.acknowledged + outcome.acknowledged;
    let mut conn = database.connect().await?;
    let sql = format!(
        "SELECT COUNT(*) FROM timeline WHERE kind = 'message' AND conversation_id IN ({})",
        placeholders(1, posted.conversations.len())
    );
    let ids: Vec<Value> = posted.conversations.iter().map(|c| Value::Id(*c)).collect();
    let found = conn.scalar(&sql, &ids).await?;
    conn.close().await?;
    Ok(Durability {
        acknowledged,
        found,
        lost: (acknowledged as i64 - found).max(0),
    })
}
