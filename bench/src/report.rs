//! The results: one row per scenario with its figures, target and verdict,
//! printed as a Markdown table (readable in a terminal, pasteable into
//! docs/benchmarks.md) and written as JSON with the machine and the exact
//! configuration.

use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use crate::load::{Latency, LoadOutcome, Usage};
use crate::machine::Machine;
use crate::seed::BulkReport;
use crate::{Args, Backend, workspace_root};

/// One scenario's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub scenario: &'static str,
    pub what: String,
    pub clients: usize,
    pub ok: u64,
    pub errors: u64,
    pub error_statuses: std::collections::BTreeMap<String, u64>,
    pub throughput_per_s: Option<f64>,
    pub latency_ms: Option<Latency>,
    pub usage: Option<Usage>,
    pub target: &'static str,
    /// `None` in a smoke run, where targets are not judged.
    pub met: Option<bool>,
    /// Figures particular to the scenario.
    pub figures: serde_json::Value,
}

impl Row {
    pub fn new(scenario: &'static str, what: String, target: &'static str) -> Row {
        Row {
            scenario,
            what,
            clients: 0,
            ok: 0,
            errors: 0,
            error_statuses: Default::default(),
            throughput_per_s: None,
            latency_ms: None,
            usage: None,
            target,
            met: None,
            figures: serde_json::json!({}),
        }
    }

    pub fn from_load(
        scenario: &'static str,
        what: String,
        target: &'static str,
        load: &LoadOutcome,
    ) -> Row {
        Row {
            clients: load.clients,
            ok: load.ok,
            errors: load.errors,
            error_statuses: load.error_statuses.clone(),
            throughput_per_s: Some(load.throughput_per_s),
            latency_ms: load.latency_ms.clone(),
            usage: Some(load.usage.clone()),
            ..Row::new(scenario, what, target)
        }
    }
}

/// What a durable acknowledgement promises, checked: the server is killed
/// (SIGKILL) while clients post, then every message answered 201 must be in
/// the database.
#[derive(Debug, Clone, Serialize)]
pub struct Durability {
    pub acknowledged: u64,
    pub found: i64,
    pub lost: i64,
}

#[derive(Debug, Serialize)]
pub struct Seeding {
    pub http_seconds: f64,
    pub bulk: BulkReport,
    pub database_mb: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub tool: String,
    pub started_at: String,
    pub backend: Backend,
    pub smoke: bool,
    pub machine: Machine,
    /// Median 4 KiB write + fdatasync in the data folder, ms.
    pub fsync_ms: Option<f64>,
    pub git: Option<String>,
    pub server_command: Vec<String>,
    pub database: serde_json::Value,
    pub args: Args,
    pub seeding: Option<Seeding>,
    /// RSS of the server just started on an empty database, MB.
    pub fresh_rss_mb: Option<f64>,
    pub rows: Vec<Row>,
    pub durability: Option<Durability>,
    /// Checks that failed: the tool or the server did not behave.
    pub failures: Vec<String>,
    /// What else was seen that bears on the figures.
    pub notes: Vec<String>,
}

impl Report {
    pub fn new(args: &Args, machine: &Machine) -> Report {
        Report {
            tool: format!("careinbox-bench {}", env!("CARGO_PKG_VERSION")),
            started_at: timestamp(true),
            backend: args.backend,
            smoke: args.smoke,
            machine: machine.clone(),
            fsync_ms: None,
            git: git_revision(),
            server_command: Vec::new(),
            database: serde_json::json!({}),
            args: args.clone(),
            seeding: None,
            fresh_rss_mb: None,
            rows: Vec::new(),
            durability: None,
            failures: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Records a failed check.
    pub fn fail(&mut self, what: impl Into<String>) {
        let what = what.into();
        eprintln!("  CHECK FAILED: {what}");
        self.failures.push(what);
    }

    pub fn print(&self) {
        let m = &self.machine;
        println!();
        println!(
            "careinbox-bench on {}: {} cores ({}), {} MB, fsync {} ms, git {}",
            self.backend.name(),
            m.cores,
            m.cpu_model,
            m.memory_mb,
            self.fsync_ms.map_or("?".into(), |f| format!("{f:.2}")),
            self.git.as_deref().unwrap_or("?"),
        );
        println!("server: {}", self.server_command.join(" "));
        if let Some(s) = &self.seeding {
            println!(
                "seeded: {} conversations, {} participations, {} crowd in {:.1} s \
                 (+{:.1} s over HTTP), database {:.0} MB",
                s.bulk.conversations,
                s.bulk.participations,
                s.bulk.crowd,
                s.bulk.seconds,
                s.http_seconds,
                s.database_mb
            );
        }
        println!();
        println!(
            "| scenario | clients | ok | errors | per s | p50 ms | p90 ms | p99 ms \
             | max ms | server CPU s | DB CPU s | other CPU s | RSS MB | target | met |"
        );
        println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|");
        for row in &self.rows {
            let l = row.latency_ms.as_ref();
            let ms = |f: fn(&Latency) -> f64| l.map_or("".into(), |l| format!("{:.2}", f(l)));
            let usage = row.usage.as_ref();
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                row.scenario,
                row.clients,
                row.ok,
                row.errors,
                row.throughput_per_s
                    .map_or("".into(), |t| format!("{t:.0}")),
                ms(|l| l.p50),
                ms(|l| l.p90),
                ms(|l| l.p99),
                ms(|l| l.max),
                usage.map_or("".into(), |u| format!("{:.2}", u.server_cpu_s)),
                usage
                    .and_then(|u| u.database_cpu_s)
                    .map_or("".into(), |c| format!("{c:.2}")),
                usage.map_or("".into(), |u| format!("{:.2}", u.other_cpu_s)),
                usage.map_or("".into(), |u| format!("{:.1}", u.server_rss_mb_peak)),
                row.target,
                match row.met {
                    Some(true) => "yes",
                    Some(false) => "NO",
                    None => "n/a",
                },
            );
        }
        if let Some(d) = &self.durability {
            println!();
            println!(
                "durability: server killed (SIGKILL) under write load; {} messages \
                 answered 201, {} found after the crash, {} lost",
                d.acknowledged, d.found, d.lost
            );
        }
        for note in &self.notes {
            println!("note: {note}");
        }
        for failure in &self.failures {
            println!("FAILED CHECK: {failure}");
        }
    }

    /// Writes the JSON file; a full run also becomes `latest-<backend>.json`.
    pub fn write(&self, args: &Args) -> anyhow::Result<PathBuf> {
        let dir = args
            .results_dir
            .clone()
            .unwrap_or_else(|| workspace_root().join("bench").join("results"));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let kind = if self.smoke { "smoke-" } else { "" };
        let name = format!("{kind}{}-{}.json", self.backend.name(), timestamp(false));
        let path = dir.join(name);
        let json = serde_json::to_string_pretty(self)?;
        std::fs::write(&path, &json).with_context(|| format!("writing {}", path.display()))?;
        if !self.smoke && args.scenarios.is_empty() {
            let latest = dir.join(format!("latest-{}.json", self.backend.name()));
            std::fs::write(&latest, &json)?;
        }
        Ok(path)
    }
}

/// Now in UTC, as RFC 3339 or compact for a file name.
fn timestamp(rfc3339: bool) -> String {
    let now = time::OffsetDateTime::now_utc();
    let formatted = if rfc3339 {
        now.format(&time::format_description::well_known::Rfc3339)
    } else {
        now.format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
    };
    formatted.unwrap_or_default()
}

/// The commit measured, marked when the tree had changes.
fn git_revision() -> Option<String> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(workspace_root())
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let head = git(&["rev-parse", "--short", "HEAD"])?;
    let dirty = git(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{head}+changes")
    } else {
        head
    })
}
