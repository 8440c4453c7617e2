//! Typed configuration: every flag has an environment variable, and its doc
//! comment is what `careinbox serve --help` prints.

use std::fmt;
use std::path::PathBuf;

/// A secret that never prints.
#[derive(Clone)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[secret]")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

/// Settings of `careinbox serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "CAREINBOX_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// Folder of the embedded SQLite database (used when no --database-url is given).
    #[arg(long, env = "CAREINBOX_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// PostgreSQL URL (postgres://...); several nodes may share one database.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<Secret>,

    /// Load the reference scenario of SPEC.md into an empty database and print the demo logins.
    #[arg(long)]
    pub demo: bool,

    /// Email of the instance admin created on the first start.
    #[arg(long, env = "CAREINBOX_ADMIN_EMAIL")]
    pub admin_email: Option<String>,

    /// Password of the instance admin created on the first start (a one-time
    /// password is generated and printed when it is not set).
    #[arg(long, env = "CAREINBOX_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<Secret>,

    /// Largest request body in bytes; larger requests are answered 413.
    #[arg(long, env = "CAREINBOX_MAX_REQUEST_BYTES", default_value_t = 1024 * 1024)]
    pub max_request_bytes: usize,

    /// Largest shared file in bytes; larger uploads are answered 413.
    #[arg(long, env = "CAREINBOX_MAX_ATTACHMENT_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_attachment_bytes: usize,

    /// Largest page a listing returns (requests for more get this many).
    #[arg(long, env = "CAREINBOX_MAX_PAGE_SIZE", default_value_t = 100)]
    pub max_page_size: u32,

    /// Requests per minute allowed per user and per IP address (0 lifts the limit).
    #[arg(long, env = "CAREINBOX_RATE_LIMIT", default_value_t = 600)]
    pub rate_limit_per_minute: u32,

    /// Failed logins per email address and per IP address in 15 minutes
    /// before further attempts get 429 (0 lifts the limit).
    #[arg(long, env = "CAREINBOX_MAX_FAILED_LOGINS", default_value_t = 10)]
    pub max_failed_logins: u32,

    /// How long a login session lasts, in hours.
    #[arg(long, env = "CAREINBOX_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u32,

    /// Open event streams allowed per user on one node (more are answered 429).
    #[arg(long, env = "CAREINBOX_MAX_STREAMS_PER_USER", default_value_t = 10)]
    pub max_streams_per_user: usize,

    /// Seconds between heartbeat comments on an idle event stream.
    #[arg(long, env = "CAREINBOX_HEARTBEAT_SECONDS", default_value_t = 15)]
    pub heartbeat_seconds: u64,

    /// Hours the event log keeps events for streams that reconnect with Last-Event-ID.
    #[arg(long, env = "CAREINBOX_EVENT_RETENTION_HOURS", default_value_t = 24)]
    pub event_retention_hours: u64,
}

impl ServeArgs {
    /// Settings for a test: an own data folder, port 0, a known admin.
    pub fn for_tests(data_dir: PathBuf, admin_email: &str, admin_password: &str) -> Self {
        ServeArgs {
            listen: "127.0.0.1:0".into(),
            data_dir,
            database_url: None,
            demo: false,
            admin_email: Some(admin_email.into()),
            admin_password: Some(Secret(admin_password.into())),
            max_request_bytes: 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            max_page_size: 100,
            rate_limit_per_minute: 0,
            session_hours: 12,
            max_failed_logins: 10,
            max_streams_per_user: 10,
            heartbeat_seconds: 15,
            event_retention_hours: 24,
        }
    }
}
