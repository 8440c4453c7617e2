//! Closed-loop load: N clients, each with its own connection, send one
//! request after another for a warm-up and then a measured window. Every
//! measured request's latency is kept (a sorted list gives exact
//! percentiles); errors are counted by status. Around the window, the
//! server's CPU time and memory, and this tool's CPU time, are read from
//! /proc.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::machine::{self, ticks_per_second};

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub samples: usize,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

impl Latency {
    /// Percentiles by nearest rank over latencies in microseconds.
    pub fn of(mut micros: Vec<u64>) -> Option<Latency> {
        if micros.is_empty() {
            return None;
        }
        micros.sort_unstable();
        let n = micros.len();
        let rank = |p: f64| {
            let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
            micros[i] as f64 / 1000.0
        };
        Some(Latency {
            samples: n,
            mean: micros.iter().sum::<u64>() as f64 / n as f64 / 1000.0,
            p50: rank(0.50),
            p90: rank(0.90),
            p99: rank(0.99),
            max: micros[n - 1] as f64 / 1000.0,
        })
    }
}

/// Resources used during a measured window.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Usage {
    pub server_cpu_s: f64,
    /// Server CPU seconds per second of window: 2.0 is both cores.
    pub server_cores: f64,
    pub server_rss_mb_before: f64,
    pub server_rss_mb_after: f64,
    pub server_rss_mb_peak: f64,
    /// This tool's CPU: the clients share the machine with the server.
    pub client_cpu_s: f64,
    /// PostgreSQL: CPU of the server's database connections.
    pub database_cpu_s: Option<f64>,
    /// CPU that other processes on the machine took meanwhile: figures
    /// taken while something else ran are worth less.
    pub other_cpu_s: f64,
    /// The server's context switches, all threads.
    pub server_switches: u64,
    /// The server's busiest threads: name and CPU seconds.
    pub server_threads: Vec<(String, f64)>,
}

/// Reads the server's process and, on PostgreSQL, its database backends
/// at the start and end of a window, and the server's peak RSS in between.
pub struct Meter {
    server: u32,
    backends: Vec<u32>,
    started: Instant,
    server_before: machine::ProcSample,
    client_before: u64,
    backends_before: u64,
    machine_before: u64,
    threads_before: Vec<machine::ThreadSample>,
    peak_kb: Arc<AtomicU64>,
    watcher: tokio::task::JoinHandle<()>,
}

impl Meter {
    pub fn start(server: u32, backends: Vec<u32>) -> Meter {
        let server_before = machine::sample(server).unwrap_or_default();
        let peak_kb = Arc::new(AtomicU64::new(server_before.rss_kb));
        let peak = peak_kb.clone();
        let watcher = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if let Some(s) = machine::sample(server) {
                    peak.fetch_max(s.rss_kb, Ordering::Relaxed);
                }
            }
        });
        Meter {
            server,
            backends_before: backends.iter().filter_map(|p| machine::cpu_ticks(*p)).sum(),
            backends,
            started: Instant::now(),
            server_before,
            client_before: machine::cpu_ticks(std::process::id()).unwrap_or(0),
            machine_before: machine::machine_busy_ticks(),
            threads_before: machine::threads(server),
            peak_kb,
            watcher,
        }
    }

    pub fn finish(self) -> Usage {
        self.watcher.abort();
        let elapsed = self.started.elapsed().as_secs_f64();
        let after = machine::sample(self.server).unwrap_or_default();
        let client = machine::cpu_ticks(std::process::id()).unwrap_or(0);
        let tick = ticks_per_second();
        let server_cpu_s =
            after.cpu_ticks.saturating_sub(self.server_before.cpu_ticks) as f64 / tick;
        let database_cpu_s = (!self.backends.is_empty()).then(|| {
            let now: u64 = self
                .backends
                .iter()
                .filter_map(|p| machine::cpu_ticks(*p))
                .sum();
            now.saturating_sub(self.backends_before) as f64 / tick
        });
        let peak = self.peak_kb.load(Ordering::Relaxed).max(after.rss_kb);
        let client_cpu_s = client.saturating_sub(self.client_before) as f64 / tick;
        let machine_cpu_s =
            machine::machine_busy_ticks().saturating_sub(self.machine_before) as f64 / tick;
        let measured = server_cpu_s + client_cpu_s + database_cpu_s.unwrap_or(0.0);

        let mut switches = 0;
        let mut server_threads = Vec::new();
        for thread in machine::threads(self.server) {
            let before = self.threads_before.iter().find(|t| t.tid == thread.tid);
            let (ticks, switched) = before.map_or((thread.cpu_ticks, thread.switches), |b| {
                (
                    thread.cpu_ticks.saturating_sub(b.cpu_ticks),
                    thread.switches.saturating_sub(b.switches),
                )
            });
            switches += switched;
            server_threads.push((thread.name, ticks as f64 / tick));
        }
        server_threads.sort_by(|a, b| b.1.total_cmp(&a.1));
        server_threads.truncate(8);

        Usage {
            server_cpu_s,
            server_cores: server_cpu_s / elapsed.max(1e-9),
            server_rss_mb_before: self.server_before.rss_mb(),
            server_rss_mb_after: after.rss_mb(),
            server_rss_mb_peak: peak as f64 / 1024.0,
            client_cpu_s,
            database_cpu_s,
            other_cpu_s: (machine_cpu_s - measured).max(0.0),
            server_switches: switches,
            server_threads,
        }
    }
}

/// The outcome of a closed-loop run.
#[derive(Debug, Clone, Serialize)]
pub struct LoadOutcome {
    pub clients: usize,
    pub measured_s: f64,
    /// Successful requests in the measured window.
    pub ok: u64,
    pub errors: u64,
    /// Errors by status (`"transport"` when no answer came).
    pub error_statuses: BTreeMap<String, u64>,
    pub throughput_per_s: f64,
    pub latency_ms: Option<Latency>,
    pub usage: Usage,
    /// Successful requests including the warm-up: what the server
    /// acknowledged, for the durability check.
    #[serde(skip)]
    pub acknowledged: u64,
    /// The first error of each client that had one, for diagnosis.
    #[serde(skip)]
    pub first_errors: Vec<String>,
}

/// Makes request `i` of client `c`.
pub type MakeRequest =
    Arc<dyn Fn(&reqwest::Client, usize, u64) -> reqwest::RequestBuilder + Send + Sync>;

struct ClientOutcome {
    micros: Vec<u64>,
    errors: BTreeMap<String, u64>,
    acknowledged: u64,
    first_error: Option<String>,
}

/// Runs `clients` clients for `warmup` + `duration`; only requests sent
/// within the measured window count.
pub async fn closed_loop(
    clients: usize,
    warmup: Duration,
    duration: Duration,
    server: u32,
    backends: impl std::future::Future<Output = Vec<u32>>,
    make: MakeRequest,
) -> LoadOutcome {
    let start = Instant::now();
    let measure_from = start + warmup;
    let end = measure_from + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let make = make.clone();
            tokio::spawn(async move { client_loop(c, measure_from, end, make).await })
        })
        .collect();

    tokio::time::sleep_until(measure_from.into()).await;
    let meter = Meter::start(server, backends.await);
    tokio::time::sleep_until(end.into()).await;
    let usage = meter.finish();

    let mut micros = Vec::new();
    let mut error_statuses = BTreeMap::new();
    let mut acknowledged = 0;
    let mut first_errors = Vec::new();
    for task in tasks {
        let Ok(outcome) = task.await else { continue };
        micros.extend(outcome.micros);
        acknowledged += outcome.acknowledged;
        for (status, n) in outcome.errors {
            *error_statuses.entry(status).or_default() += n;
        }
        first_errors.extend(outcome.first_error);
    }
    let measured_s = duration.as_secs_f64();
    LoadOutcome {
        clients,
        measured_s,
        ok: micros.len() as u64,
        errors: error_statuses.values().sum(),
        error_statuses,
        throughput_per_s: micros.len() as f64 / measured_s,
        latency_ms: Latency::of(micros),
        usage,
        acknowledged,
        first_errors,
    }
}

async fn client_loop(
    c: usize,
    measure_from: Instant,
    end: Instant,
    make: MakeRequest,
) -> ClientOutcome {
    // One client, one connection: reqwest reuses the idle one.
    let client = crate::api::client();
    let mut outcome = ClientOutcome {
        micros: Vec::new(),
        errors: BTreeMap::new(),
        acknowledged: 0,
        first_error: None,
    };
    let mut i = 0;
    loop {
        let sent = Instant::now();
        if sent >= end {
            break;
        }
        let result = make(&client, c, i).send().await;
        let error = match result {
            Ok(response) => {
                let status = response.status();
                let body = response.bytes().await;
                match (status.is_success(), body) {
                    (true, Ok(_)) => None,
                    (_, Ok(b)) => Some((
                        status.as_u16().to_string(),
                        String::from_utf8_lossy(&b).into_owned(),
                    )),
                    (_, Err(e)) => Some(("transport".to_owned(), e.to_string())),
                }
            }
            Err(e) => Some(("transport".to_owned(), e.to_string())),
        };
        let took = sent.elapsed();
        match error {
            None => {
                outcome.acknowledged += 1;
                if sent >= measure_from {
                    outcome.micros.push(took.as_micros() as u64);
                }
            }
            Some((status, detail)) => {
                if sent >= measure_from {
                    *outcome.errors.entry(status.clone()).or_default() += 1;
                }
                if outcome.first_error.is_none() {
                    outcome.first_error = Some(format!("{status}: {detail}"));
                }
            }
        }
        i += 1;
    }
    outcome
}
