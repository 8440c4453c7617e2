//! The careinbox binary as a library: command-line settings, start-up (database,
//! admin bootstrap, demo data) and the running server, so that `main` and the
//! integration tests start the application the same way.

pub mod demo;
pub mod settings;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use careinbox_domain::{Email, Password};
use careinbox_service::{Service, Settings, storage::Store};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use settings::{Secret, ServeArgs};

/// A running server: its real address (the tests bind port 0) and the means to
/// stop it.
pub struct Server {
    addr: SocketAddr,
    service: Service,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Opens the database, applies migrations, bootstraps the instance admin,
    /// loads demo data when asked, binds the listener and starts serving in
    /// the background.
    pub async fn start(args: ServeArgs) -> anyhow::Result<Server> {
        let store = match &args.database_url {
            Some(url) => Store::open_postgres(&url.0)
                .await
                .context("connecting to PostgreSQL")?,
            None => Store::open_sqlite(&args.data_dir)
                .await
                .with_context(|| format!("opening the database in {}", args.data_dir.display()))?,
        };
        let settings = Settings {
            session_seconds: i64::from(args.session_hours) * 3600,
            max_page_size: args.max_page_size.max(1),
            max_streams_per_user: args.max_streams_per_user.max(1),
            max_failed_logins: args.max_failed_logins,
            event_retention: Duration::from_secs(args.event_retention_hours.max(1) * 3600),
        };
        let service = Service::new(store, settings);
        bootstrap_admin(&service, &args).await?;
        if args.demo {
            demo::load(&service).await?;
        }

        let limits = careinbox_http::Limits {
            max_request_bytes: args.max_request_bytes,
            max_attachment_bytes: args.max_attachment_bytes,
            rate_per_minute: args.rate_limit_per_minute,
            heartbeat: Duration::from_secs(args.heartbeat_seconds.max(1)),
        };
        let web = careinbox_web::WebSettings {
            max_attachment_bytes: args.max_attachment_bytes,
        };
        let app = careinbox_http::app(service.clone(), limits)
            .merge(careinbox_web::router(service.clone(), web));
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("listening on {}", args.listen))?;
        let addr = listener.local_addr()?;
        service.start_realtime();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
        });
        tracing::info!(%addr, backend = service.store().backend(), "careinbox is listening");
        Ok(Server {
            addr,
            service,
            stop,
            task,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The use cases behind this server (for tests and tools that seed data).
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Stops accepting connections, lets in-flight requests finish, and
    /// returns when the server has stopped.
    pub async fn shutdown(self) {
        // Event streams never end by themselves: close them first, so that
        // the graceful shutdown only waits for ordinary requests.
        self.service.stop_realtime();
        let _ = self.stop.send(());
        let _ = self.task.await;
        self.service.store().close().await;
    }
}

async fn bootstrap_admin(service: &Service, args: &ServeArgs) -> anyhow::Result<()> {
    let email = args
        .admin_email
        .as_deref()
        .unwrap_or("admin@careinbox.local");
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("CAREINBOX_ADMIN_EMAIL {e}"))?;
    let password = match &args.admin_password {
        Some(p) => Some(
            Password::parse(&p.0).map_err(|e| anyhow::anyhow!("CAREINBOX_ADMIN_PASSWORD {e}"))?,
        ),
        None => None,
    };
    if let Some(generated) = service.bootstrap_admin(&email, password).await? {
        // Printed once, on the terminal of the operator who started the
        // server; never logged.
        println!(
            "Instance admin created: {} with one-time password {generated}",
            email.as_str()
        );
    }
    Ok(())
}
