//! The machine and the processes being measured: core count, CPU, memory,
//! how long the disk takes to flush, and a process's resident memory and CPU
//! seconds as /proc reports them.

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use serde::Serialize;

/// What the figures were measured on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu_model: String,
    pub memory_mb: u64,
    pub kernel: String,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or("unknown".into(), |(_, m)| m.trim().to_owned());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kb = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_owned();
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            memory_mb: memory_kb / 1024,
            kernel,
        }
    }
}

/// The median time of a 4 KiB write plus fdatasync in `dir`, in ms: the
/// floor under every durable commit on this disk. Virtual disks vary from
/// minute to minute, so a hundred samples are taken.
pub fn fsync_ms(dir: &Path) -> Option<f64> {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).ok()?;
    let block = [0x5au8; 4096];
    let mut times = Vec::with_capacity(100);
    for _ in 0..100 {
        let started = Instant::now();
        file.write_all(&block).ok()?;
        file.sync_data().ok()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    drop(file);
    let _ = std::fs::remove_file(&path);
    times.sort_by(f64::total_cmp);
    Some(times[times.len() / 2])
}

/// One reading of a process: resident memory and CPU time used so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcSample {
    pub rss_kb: u64,
    pub cpu_ticks: u64,
}

impl ProcSample {
    pub fn rss_mb(&self) -> f64 {
        self.rss_kb as f64 / 1024.0
    }
}

/// Reads VmRSS from /proc/<pid>/status and utime + stime from
/// /proc/<pid>/stat; `None` once the process is gone.
pub fn sample(pid: u32) -> Option<ProcSample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    Some(ProcSample {
        rss_kb,
        cpu_ticks: cpu_ticks(pid)?,
    })
}

/// utime + stime of a process in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name in parentheses may hold spaces; the fields after the
    // last ')' are fixed: state is the first, utime the 12th, stime the 13th.
    let (_, fields) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = fields.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// One thread of a process: its name, CPU ticks and context switches.
#[derive(Debug, Clone)]
pub struct ThreadSample {
    pub tid: u32,
    pub name: String,
    pub cpu_ticks: u64,
    pub switches: u64,
}

/// Every thread of a process, from /proc/<pid>/task.
pub fn threads(pid: u32) -> Vec<ThreadSample> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut threads = Vec::new();
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
            continue;
        };
        let dir = task.path();
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        let switches = status
            .lines()
            .filter(|l| l.contains("ctxt_switches:"))
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum();
        let Some(cpu_ticks) = task_ticks(pid, tid) else {
            continue;
        };
        threads.push(ThreadSample {
            tid,
            name: name.trim().to_owned(),
            cpu_ticks,
            switches,
        });
    }
    threads
}

fn task_ticks(pid: u32, tid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat")).ok()?;
    let (_, fields) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = fields.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// CPU ticks the whole machine spent busy (all but idle and iowait), from
/// /proc/stat: with the server's and the tool's own, it tells how much other
/// processes took during a measurement.
pub fn machine_busy_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(cpu) = stat.lines().next() else {
        return 0;
    };
    let ticks: Vec<u64> = cpu
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    total.saturating_sub(idle)
}

/// Clock ticks per second (`getconf CLK_TCK`, 100 on Linux when unknown).
pub fn ticks_per_second() -> f64 {
    static TICKS: OnceLock<f64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Raises this process's soft limit of open files towards `needed` (up to
/// the hard limit) with `prlimit`, which the server child then inherits:
/// 10,000 streams need 10,000 sockets on each side. Returns the soft limit
/// in force afterwards.
pub fn raise_open_files(needed: u64) -> u64 {
    let (soft, hard) = open_files_limit().unwrap_or((1024, 1024));
    if soft >= needed {
        return soft;
    }
    let target = needed.min(hard);
    let pid = std::process::id().to_string();
    let _ = std::process::Command::new("prlimit")
        .args(["--pid", &pid, &format!("--nofile={target}:{hard}")])
        .status();
    open_files_limit().map_or(soft, |(soft, _)| soft)
}

fn open_files_limit() -> Option<(u64, u64)> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let mut numbers = line["Max open files".len()..].split_whitespace();
    let soft = numbers.next()?.parse().ok()?;
    let hard = numbers
        .next()
        .and_then(|h| h.parse().ok())
        .unwrap_or(u64::MAX);
    Some((soft, hard))
}
