//! Storage behind one interface for both databases. [`Store`] opens the
//! embedded SQLite file or a PostgreSQL pool; [`Tx`] is one transaction on
//! either, with one method per query the service layer needs. Most SQL text
//! is shared (sqlx binds `$1`-style placeholders on SQLite too); where the
//! dialects differ, a method says so. No SQLite or PostgreSQL type leaves this
//! crate.

mod accounts;
mod audit;
mod conversations;
mod events;
mod inboxes;
mod rows;
mod sql;
mod sqlite;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use careinbox_domain::Error;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Postgres, Transaction};

use crate::sql::DbError;
use crate::sqlite::{Lease, SqliteTx};

pub use accounts::NewUser;
pub use conversations::{Target, ViewOf};
pub use events::{Audience, EVENTS_CHANNEL, NewEvent};
pub use inboxes::InboxSettings;
pub use rows::*;
pub use sqlite::SqliteDb;

/// A database failure, turned into the domain's opaque internal error.
pub(crate) fn db(e: DbError) -> Error {
    Error::internal(e)
}

/// Maps a unique-constraint violation to the domain conflict it means at
/// this call site, and any other failure to an internal error.
pub(crate) fn unique_is(conflict: careinbox_domain::Conflict) -> impl Fn(DbError) -> Error {
    move |e| {
        if e.is_unique_violation() {
            conflict.into()
        } else {
            db(e)
        }
    }
}

pub(crate) fn db_sqlx(e: sqlx::Error) -> Error {
    Error::internal(e)
}

/// Microseconds since the Unix epoch: the time stored in every row.
pub fn now_us() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map(|d| d.as_micros() as i64).unwrap_or_default()
}

/// Connections of a node's PostgreSQL pool; also the number of slots of
/// the unread counts (migration 0005).
const PG_CONNECTIONS: u32 = 16;

/// The database: the embedded SQLite file, or a PostgreSQL pool shared by
/// several server nodes.
#[derive(Clone)]
pub enum Store {
    /// One writer connection (SQLite allows one writer at a time), so
    /// writers queue in the application instead of failing with
    /// SQLITE_BUSY, and a pool of readers beside it (WAL).
    Sqlite(Arc<SqliteDb>),
    Postgres(PgPool),
}

pub(crate) enum TxInner {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
}

/// One transaction. Dropping it without [`Tx::commit`] rolls it back.
pub struct Tx {
    pub(crate) inner: TxInner,
}

/// When a committed change must be on the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Before the commit returns: what a change someone is told about needs
    /// (a message answered 201 survives a crash of the machine).
    Flushed,
    /// Soon after: the commit returns once the change is written and
    /// visible, which survives a crash of the process; the disk flush
    /// follows with the next flushed commit or `Store::flush`. For records
    /// that must exist before an answer but need not wait for the disk:
    /// the audit entries of reads.
    Deferred,
}

impl Store {
    /// Opens (creating if needed) `careinbox.db` in `dir` and applies the
    /// migrations. WAL lets readers run beside the writer; `synchronous=FULL`
    /// makes a commit durable before it is acknowledged, so a message answered
    /// 201 survives a crash of the machine.
    pub async fn open_sqlite(dir: &Path) -> Result<Store, Error> {
        std::fs::create_dir_all(dir).map_err(Error::internal)?;
        let path = dir.join("careinbox.db");
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // The migrations run once, through sqlx's migrator; the server's
        // statements then run on rusqlite connections (see `sqlite.rs`).
        let mut migrator = SqliteConnection::connect_with(&options)
            .await
            .map_err(db_sqlx)?;
        sqlx::migrate!("migrations/sqlite")
            .run(&mut migrator)
            .await
            .map_err(Error::internal)?;
        migrator.close().await.map_err(db_sqlx)?;
        let db = SqliteDb::open(&path)?;
        Ok(Store::Sqlite(Arc::new(db)))
    }

    /// Connects to PostgreSQL and applies the migrations.
    pub async fn open_postgres(url: &str) -> Result<Store, Error> {
        let options = sqlx::postgres::PgConnectOptions::from_str(url).map_err(db_sqlx)?;
        // Each connection gets its own slot of the unread counts, so that
        // concurrent changes of one count do not wait for each other's
        // commit (migration 0005).
        let connections = Arc::new(AtomicU32::new(0));
        let pool = PgPoolOptions::new()
            .max_connections(PG_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                let slot = connections.fetch_add(1, Ordering::Relaxed) % PG_CONNECTIONS;
                Box::pin(async move {
                    sqlx::query("SELECT set_config('careinbox.slot', $1, false)")
                        .bind(slot.to_string())
                        .execute(conn)
                        .await
                        .map(|_| ())
                })
            })
            .connect_with(options)
            .await
            .map_err(db_sqlx)?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .map_err(Error::internal)?;
        Ok(Store::Postgres(pool))
    }

    /// Whether all writers share one connection (SQLite), so that changes
    /// benefit from being committed in groups.
    pub fn single_writer(&self) -> bool {
        matches!(self, Store::Sqlite(_))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// A transaction for a use case that changes something, flushed to the
    /// disk when it commits.
    pub async fn write(&self) -> Result<Tx, Error> {
        self.write_with(Durability::Flushed).await
    }

    /// A transaction for a change, committed with the given durability.
    pub async fn write_with(&self, durability: Durability) -> Result<Tx, Error> {
        let inner = match self {
            Store::Sqlite(db) => {
                let conn = db.writer().await;
                // Set per transaction: the writer connection is shared.
                let mode = match durability {
                    Durability::Flushed => "PRAGMA synchronous = FULL",
                    Durability::Deferred => "PRAGMA synchronous = NORMAL",
                };
                conn.execute_batch(mode).map_err(DbError::from)?;
                TxInner::Sqlite(SqliteTx::begin(Lease::Writer(conn), "BEGIN IMMEDIATE")?)
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(db_sqlx)?;
                if durability == Durability::Deferred {
                    sqlx::query("SET LOCAL synchronous_commit = off")
                        .execute(&mut *tx)
                        .await
                        .map_err(db_sqlx)?;
                }
                TxInner::Postgres(tx)
            }
        };
        Ok(Tx { inner })
    }

    /// A transaction that only reads: one consistent snapshot.
    pub async fn read(&self) -> Result<Tx, Error> {
        let inner = match self {
            Store::Sqlite(db) => TxInner::Sqlite(SqliteTx::begin(db.reader()?, "BEGIN")?),
            Store::Postgres(pool) => TxInner::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
                    .map_err(db_sqlx)?,
            ),
        };
        Ok(Tx { inner })
    }

    /// Makes every deferred commit durable. On PostgreSQL the WAL writer
    /// does this by itself within a fraction of a second.
    pub async fn flush(&self) -> Result<(), Error> {
        match self {
            Store::Sqlite(db) => db.sync_wal().map_err(Error::internal),
            Store::Postgres(_) => Ok(()),
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), Error> {
        let mut tx = self.read().await?;
        tx.query("SELECT 1").execute().await?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(db) => db.close(),
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), Error> {
        match self.inner {
            TxInner::Sqlite(t) => Ok(t.commit()?),
            TxInner::Postgres(t) => t.commit().await.map_err(db_sqlx),
        }
    }

    /// Marks where one change of a group commit begins.
    pub async fn savepoint(&mut self) -> Result<(), Error> {
        self.query("SAVEPOINT change").execute().await?;
        Ok(())
    }

    /// Keeps the change since [`Tx::savepoint`].
    pub async fn release_savepoint(&mut self) -> Result<(), Error> {
        self.query("RELEASE SAVEPOINT change").execute().await?;
        Ok(())
    }

    /// Undoes the change since [`Tx::savepoint`] and forgets the mark.
    pub async fn rollback_to_savepoint(&mut self) -> Result<(), Error> {
        self.query("ROLLBACK TO SAVEPOINT change").execute().await?;
        self.release_savepoint().await
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.inner, TxInner::Postgres(_))
    }
}

/// `$first, $first+1, ...` placeholders for an `IN (...)` list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
