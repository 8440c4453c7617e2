//! `careinbox-bench`: seeds a careinbox database at scale, drives a running
//! `careinbox serve` over HTTP on loopback with many concurrent clients, and
//! reports throughput, latency, errors and the server's memory and CPU per
//! scenario, as a table and as a JSON file. See docs/benchmarks.md.

mod api;
mod db;
mod load;
mod machine;
mod report;
mod scenarios;
mod seed;
mod server;
mod sse;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use serde::Serialize;

/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The scenarios, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// RSS of the server at rest on the seeded database.
    Idle,
    /// First page of an inbox view holding many conversations.
    InboxView,
    /// `GET /api/v1/me` for a member of 20 inboxes.
    Me,
    /// Post messages into 100 conversations of 10 participants.
    PostMessage,
    /// Start conversations with a 10-member shared inbox.
    StartConversation,
    /// Thousands of open event streams, then fan-out of one message.
    Streams,
    /// Remove an inbox member linked to many conversations (R6).
    RemoveMember,
}

/// Load and benchmark tool for careinbox. Starts `careinbox serve` as a
/// child process on a fresh database, seeds it (small objects over the
/// API, the large tables directly in the database while the server is
/// stopped), then runs each scenario against it over HTTP on loopback and
/// writes a table and a JSON file of every figure.
#[derive(Debug, Clone, Parser, Serialize)]
#[command(name = "careinbox-bench", version)]
pub struct Args {
    /// Database the server runs on.
    #[arg(long, value_enum, default_value = "sqlite")]
    pub backend: Backend,

    /// PostgreSQL server on which a fresh database `careinbox_bench_<random>`
    /// is created for the run and dropped afterwards.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    #[serde(skip)]
    pub database_url: String,

    /// The careinbox binary to run. Without it the tool builds and runs
    /// target/<profile>/careinbox of its own profile when started by
    /// `cargo run`, and otherwise runs the binary found there.
    #[arg(long)]
    pub server_bin: Option<PathBuf>,

    /// A run for CI: tiny data, about a second per scenario, any error
    /// fails the run. It checks that the tool works, not the speed.
    #[arg(long)]
    pub smoke: bool,

    /// Seconds measured per load scenario.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,

    /// Seconds of load before measuring starts.
    #[arg(long, default_value_t = 2.0)]
    pub warmup: f64,

    /// Seconds to wait at most, before each scenario, for other processes
    /// to leave the machine idle.
    #[arg(long, default_value_t = 30.0)]
    pub settle: f64,

    /// Scenarios to run, comma-separated (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub scenarios: Vec<Scenario>,

    /// Concurrent clients posting messages.
    #[arg(long, default_value_t = 32)]
    pub post_clients: usize,

    /// Concurrent clients starting conversations.
    #[arg(long, default_value_t = 16)]
    pub start_clients: usize,

    /// Concurrent clients of the read scenarios (inbox view, /me).
    #[arg(long, default_value_t = 8)]
    pub read_clients: usize,

    /// Conversations in the large inbox view.
    #[arg(long, default_value_t = 1_000_000)]
    pub view_conversations: i64,

    /// Conversations that the removed member is linked to (R6).
    #[arg(long, default_value_t = 100_000)]
    pub removal_conversations: i64,

    /// Conversations in each of the 20 inboxes of the /me user.
    #[arg(long, default_value_t = 1_000)]
    pub me_conversations: i64,

    /// Event streams held open at once.
    #[arg(long, default_value_t = 10_000)]
    pub streams: usize,

    /// Participants, each with one open stream, of the fan-out conversation.
    #[arg(long, default_value_t = 50)]
    pub fanout: usize,

    /// Messages fanned out one after another (samples = fanout x this).
    #[arg(long, default_value_t = 20)]
    pub fanout_messages: usize,

    /// Folder that holds each run's data folder; it should be on the disk
    /// being measured (not tmpfs), since fsync is part of every write.
    #[arg(long)]
    pub work_dir: Option<PathBuf>,

    /// Keep the run's database (SQLite folder or PostgreSQL database).
    #[arg(long)]
    pub keep_data: bool,

    /// Folder for the JSON results.
    #[arg(long)]
    pub results_dir: Option<PathBuf>,
}

impl Args {
    /// Sizes and times small enough for CI to run in seconds.
    fn shrink_for_smoke(&mut self) {
        self.duration = self.duration.min(1.0);
        self.warmup = self.warmup.min(0.2);
        self.settle = 0.0;
        self.view_conversations = self.view_conversations.min(2_000);
        self.removal_conversations = self.removal_conversations.min(500);
        self.me_conversations = self.me_conversations.min(20);
        self.streams = self.streams.min(100);
        self.fanout = self.fanout.min(10);
        self.fanout_messages = self.fanout_messages.min(3);
    }

    pub fn runs(&self, scenario: Scenario) -> bool {
        self.scenarios.is_empty() || self.scenarios.contains(&scenario)
    }

    pub fn warmup(&self) -> Duration {
        Duration::from_secs_f64(self.warmup.max(0.0))
    }

    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.duration.max(0.1))
    }
}

/// The repository's root: the tool is built from it and writes into it.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = Args::parse();
    if args.smoke {
        args.shrink_for_smoke();
    }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("careinbox-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(mut args: Args) -> anyhow::Result<()> {
    if args.fanout < 2 || args.fanout > 50 {
        bail!("--fanout must be 2..=50 (a conversation has at most 50 recipients)");
    }
    let server_bin = server_binary(&args)?;
    let needed_files = args.streams as u64 + 1024;
    let files = machine::raise_open_files(needed_files);
    if args.runs(Scenario::Streams) && files < needed_files {
        let fit = files.saturating_sub(1024) as usize;
        eprintln!(
            "open files are limited to {files}: holding {fit} streams instead \
             of {} (raise `ulimit -n` to hold more)",
            args.streams
        );
        args.streams = fit;
    }

    let machine = machine::Machine::read();
    let database = db::Database::create(&args).await?;
    let outcome = scenarios::run_all(&args, &server_bin, &database, &machine).await;
    let cleanup = if args.keep_data {
        eprintln!("kept the data: {}", database.describe());
        Ok(())
    } else {
        database.remove().await
    };
    let report = outcome?;
    cleanup?;

    report.print();
    let path = report.write(&args)?;
    println!("results: {}", path.display());
    if args.smoke && !report.failures.is_empty() {
        bail!("smoke run failed: {}", report.failures.join("; "));
    }
    Ok(())
}

/// The server binary: given, or built for the tool's own profile when the
/// tool runs under `cargo run` (so the figures are never those of a stale
/// binary), or else found in the target folder.
fn server_binary(args: &Args) -> anyhow::Result<PathBuf> {
    if let Some(bin) = &args.server_bin {
        if !bin.is_file() {
            bail!("--server-bin {} does not exist", bin.display());
        }
        return Ok(bin.clone());
    }
    let release = !cfg!(debug_assertions);
    let profile = if release { "release" } else { "debug" };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let bin = target.join(profile).join("careinbox");

    if let Some(cargo) = std::env::var_os("CARGO") {
        let flag = if release { " --release" } else { "" };
        eprintln!("building the server: cargo build{flag} -p careinbox");
        let mut build = std::process::Command::new(cargo);
        build.current_dir(workspace_root());
        build.args(["build", "-p", "careinbox"]);
        if release {
            build.arg("--release");
        }
        let status = build.status().context("running cargo build")?;
        if !status.success() {
            bail!("cargo build -p careinbox failed");
        }
    }
    if !bin.is_file() {
        let flag = if release { " --release" } else { "" };
        bail!(
            "{} is missing: run `cargo build{flag} -p careinbox`, or pass \
             --server-bin",
            bin.display()
        );
    }
    Ok(bin)
}
