//! The embedded SQLite database: one writer connection and a pool of
//! readers, driven by rusqlite on the calling thread.
//!
//! A statement on SQLite takes microseconds, less than handing it to another
//! thread and back; so statements run where the use case runs, with cached
//! prepared statements, and a use case that reads costs no thread switch at
//! all. Writes are serialized on the one writer connection (SQLite allows one
//! writer at a time); the service's group-commit writer is its only user in
//! the server. WAL mode lets readers run beside the writer, each in its own
//! snapshot.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::OwnedMutexGuard;

use crate::sql::DbError;

/// Idle readers kept for reuse; more are opened when more reads overlap.
const IDLE_READERS: usize = 8;

/// Prepared statements kept per connection: more than the queries the
/// storage layer has, so that none is prepared twice.
const STATEMENT_CACHE: usize = 256;

pub struct SqliteDb {
    path: PathBuf,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Mutex<Vec<Connection>>,
}

/// The connection settings every connection shares. `synchronous=FULL`
/// makes a commit durable before it returns. The query planner's
/// stability guarantee keeps a prepared statement's plan whatever values are
/// bound: without it SQLite prepares a statement again whenever a value that
/// could change the plan (a `LIMIT`, a value compared with a partial index's
/// condition) is bound anew, which the profile showed as a tenth of all CPU.
fn configure(conn: &Connection) -> Result<(), DbError> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -32000;",
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

impl SqliteDb {
    /// Opens the database file, which the migrations have already created.
    pub(crate) fn open(path: &Path) -> Result<SqliteDb, DbError> {
        let writer = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        writer.execute_batch("PRAGMA journal_mode = WAL;")?;
        configure(&writer)?;
        Ok(SqliteDb {
            path: path.to_owned(),
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            readers: Mutex::new(Vec::new()),
        })
    }

    fn open_reader(&self) -> Result<Connection, DbError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        Ok(conn)
    }

    /// The writer connection, once no other change holds it.
    pub(crate) async fn writer(&self) -> OwnedMutexGuard<Connection> {
        self.writer.clone().lock_owned().await
    }

    /// An idle reader, or a new one.
    pub(crate) fn reader(self: &Arc<Self>) -> Result<Lease, DbError> {
        let idle = self.readers.lock().map(|mut r| r.pop()).unwrap_or(None);
        let conn = match idle {
            Some(conn) => conn,
            None => self.open_reader()?,
        };
        Ok(Lease::Reader(Some(conn), self.clone()))
    }

    /// Flushes the write-ahead log to the disk: makes durable what was
    /// committed without waiting for the disk (see `Tx::commit_lazily`).
    pub(crate) fn sync_wal(&self) -> std::io::Result<()> {
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        match std::fs::File::open(wal) {
            Ok(file) => file.sync_data(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub(crate) fn close(&self) {
        if let Ok(mut readers) = self.readers.lock() {
            readers.clear();
        }
    }
}

/// A connection held by one transaction.
pub(crate) enum Lease {
    /// Goes back to the pool when dropped.
    Reader(Option<Connection>, Arc<SqliteDb>),
    Writer(OwnedMutexGuard<Connection>),
}

impl Lease {
    fn conn(&self) -> &Connection {
        match self {
            Lease::Reader(Some(conn), _) => conn,
            Lease::Reader(None, _) => {
                unreachable!("a reader lease holds its connection until dropped")
            }
            Lease::Writer(guard) => guard,
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Lease::Reader(conn, db) = self
            && let Some(conn) = conn.take()
            && let Ok(mut idle) = db.readers.lock()
            && idle.len() < IDLE_READERS
        {
            idle.push(conn);
        }
    }
}

/// A transaction on one connection; rolled back when dropped unfinished.
pub(crate) struct SqliteTx {
    lease: Lease,
    open: bool,
}

impl SqliteTx {
    pub(crate) fn begin(lease: Lease, begin: &str) -> Result<SqliteTx, DbError> {
        lease.conn().prepare_cached(begin)?.execute([])?;
        Ok(SqliteTx { lease, open: true })
    }

    pub(crate) fn conn(&self) -> &Connection {
        self.lease.conn()
    }

    pub(crate) fn commit(mut self) -> Result<(), DbError> {
        self.conn().prepare_cached("COMMIT")?.execute([])?;
        self.open = false;
        Ok(())
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if self.open {
            let rolled_back = self
                .conn()
                .prepare_cached("ROLLBACK")
                .and_then(|mut s| s.execute([]));
            if let Err(e) = rolled_back {
                tracing::error!(error = %e, "cannot roll back a SQLite transaction");
            }
        }
    }
}
