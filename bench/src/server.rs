//! The server under test: `careinbox serve` as a child process with its own
//! data folder or database, port and admin account, started, stopped and,
//! for the durability check, killed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::machine::{self, ProcSample};

/// The instance admin of every bench database.
pub const ADMIN_EMAIL: &str = "bench-admin@careinbox.bench";
pub const ADMIN_PASSWORD: &str = "bench-admin-password";

/// How a server is started: the binary and the flags that select its
/// database. Everything else is left at the server's defaults except the
/// rate limit, which a load test must lift.
#[derive(Debug, Clone)]
pub struct Launch {
    pub bin: PathBuf,
    pub database_flags: Vec<String>,
    pub log: PathBuf,
}

impl Launch {
    /// The full command line, with the admin password masked, for the
    /// report.
    pub fn describe(&self) -> Vec<String> {
        let mut line = vec![self.bin.display().to_string()];
        line.extend(self.flags(true));
        line
    }

    fn flags(&self, masked: bool) -> Vec<String> {
        let mut flags = vec!["serve".to_owned(), "--listen".into(), "127.0.0.1:0".into()];
        flags.extend(self.database_flags.iter().cloned());
        let password = if masked { "***" } else { ADMIN_PASSWORD };
        flags.extend([
            "--rate-limit-per-minute".to_owned(),
            "0".into(),
            "--admin-email".into(),
            ADMIN_EMAIL.into(),
            "--admin-password".into(),
            password.into(),
        ]);
        flags
    }
}

/// A running server. Dropping it kills the process, so that no server
/// outlives a failed run.
pub struct Server {
    child: Child,
    pub base: String,
    pub pid: u32,
}

impl Server {
    /// Starts the server and waits until it listens and its database
    /// answers.
    pub async fn start(launch: &Launch) -> anyhow::Result<Server> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&launch.log)
            .with_context(|| format!("opening {}", launch.log.display()))?;
        let mut command = Command::new(&launch.bin);
        command
            .args(launch.flags(false))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        // The configuration must be exactly the one reported: no setting
        // may leak in from the environment (CI sets DATABASE_URL, say).
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("CAREINBOX_") || key == "DATABASE_URL" {
                command.env_remove(key);
            }
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", launch.bin.display()))?;
        let pid = child.id();

        let stdout = child.stdout.take().context("the server's stdout")?;
        let (address, listening) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Read every line, so that the server never blocks on a full
            // pipe; only the "listens on" line matters.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.split("listens on ").nth(1) {
                    let _ = address.send(url.trim().to_owned());
                }
            }
        });
        let mut server = Server {
            child,
            base: String::new(),
            pid,
        };
        server.base = server.wait_for_address(listening, &launch.log).await?;
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_for_address(
        &mut self,
        listening: std::sync::mpsc::Receiver<String>,
        log: &Path,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            match listening.try_recv() {
                Ok(url) => return Ok(url),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    bail!("the server exited while starting; see {}", log.display())
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited ({status}); see {}", log.display());
            }
            if Instant::now() > deadline {
                bail!(
                    "the server did not listen within 120 s; see {}",
                    log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn wait_ready(&self) -> anyhow::Result<()> {
        let client = reqwest::Client::builder().no_proxy().build()?;
        let url = format!("{}/readyz", self.base);
        for _ in 0..500 {
            if let Ok(r) = client.get(&url).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        bail!("{url} did not answer 200")
    }

    pub fn sample(&self) -> Option<ProcSample> {
        machine::sample(self.pid)
    }

    /// Asks the server to stop (SIGTERM: it finishes in-flight requests and
    /// closes the database) and waits. Answers false when it had to be
    /// killed after 15 s instead.
    pub async fn stop(mut self) -> anyhow::Result<bool> {
        signal(self.pid, "TERM");
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                eprintln!("  the server did not exit within 15 s of SIGTERM: killed");
                self.child.kill()?;
                self.child.wait()?;
                return Ok(false);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(true)
    }

    /// Kills the server without warning (SIGKILL), as a crash would.
    pub async fn crash(mut self) -> anyhow::Result<()> {
        // It may be dead already (killed by pid under load): reap it.
        let _ = self.child.kill();
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends a signal with kill(1): std can only send SIGKILL.
fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .status();
}
