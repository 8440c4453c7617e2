//! `careinbox`: the secure messaging server for care professionals.

use clap::{Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;

/// careinbox: secure messaging for care professionals, built around shared
/// inboxes. One binary serves the web application, the JSON API and its
/// documentation, the event stream and the operations endpoints.
#[derive(Debug, Parser)]
#[command(name = "careinbox", version)]
struct Cli {
    /// Log line format.
    #[arg(
        long,
        global = true,
        env = "CAREINBOX_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,

    /// Log filter, e.g. `info` or `careinbox=debug` (RUST_LOG syntax).
    #[arg(long, global = true, env = "CAREINBOX_LOG", default_value = "info")]
    log: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server until SIGTERM or Ctrl-C, then finish in-flight requests and exit.
    Serve(careinbox::ServeArgs),
}

fn main() -> anyhow::Result<()> {
    keep_freed_memory();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.log)?;
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init(),
        LogFormat::Text => logs.init(),
    }

    match cli.command {
        Command::Serve(args) => {
            let server = careinbox::Server::start(args).await?;
            println!("careinbox listens on http://{}", server.addr());
            shutdown_signal().await;
            tracing::info!("shutting down");
            server.shutdown().await;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// glibc gives freed memory at the top of a thread's heap back to the kernel
/// as soon as 128 KiB are free there. A request allocates and frees about
/// that much (rows, SQLite pages, the JSON answer), so every request paid
/// for unmapping those pages, shooting down their TLB entries on the other
/// core and faulting them in again: a profile of the inbox view showed that
/// as a tenth of the server's CPU. Raising the threshold keeps the memory
/// for the next request; the heap still shrinks once 64 MiB are free.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator; it is
    // called first thing, before the runtime starts any thread.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
    }
}
