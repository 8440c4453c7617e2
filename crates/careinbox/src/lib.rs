//! The careinbox binary as a library: command-line settings, start-up (database,
//! admin bootstrap, demo data) and the running server, so that `main` and the
//! integration tests start the application the same way.

pub mod settings;

use std::net::SocketAddr;

pub use settings::ServeArgs;

/// A running server: its real address (the tests bind port 0) and the means to
/// stop it.
pub struct Server {
    addr: SocketAddr,
}

impl Server {
    /// Opens the database, applies migrations, bootstraps the instance admin,
    /// loads demo data when asked, binds the listener and starts serving in
    /// the background.
    pub async fn start(args: ServeArgs) -> anyhow::Result<Server> {
        let _ = args;
        anyhow::bail!("not built yet")
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, lets in-flight requests finish, and
    /// returns when the server has stopped.
    pub async fn shutdown(self) {}
}
