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

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use careinbox_domain::Error;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

pub use accounts::NewUser;
pub use conversations::{Target, ViewOf};
pub use events::{Audience, EVENTS_CHANNEL};
pub use inboxes::InboxSettings;
pub use rows::*;

/// Runs `$body` with `$conn` bound to the transaction's connection, compiled
/// once per backend, so that shared SQL is written once.
macro_rules! on_conn {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.inner {
            $crate::TxInner::Sqlite(t) => {
                let $conn: &mut sqlx::SqliteConnection = &mut **t;
                async move { $body }.await
            }
            $crate::TxInner::Postgres(t) => {
                let $conn: &mut sqlx::PgConnection = &mut **t;
                async move { $body }.await
            }
        }
    };
}
pub(crate) use on_conn;

/// A database failure, turned into the domain's opaque internal error.
pub(crate) fn db(e: sqlx::Error) -> Error {
    Error::internal(e)
}

/// Maps a unique-constraint violation to the domain conflict it means at
/// this call site, and any other failure to an internal error.
pub(crate) fn unique_is(conflict: careinbox_domain::Conflict) -> impl Fn(sqlx::Error) -> Error {
    move |e| {
        if e.as_database_error()
            .is_some_and(|d| d.is_unique_violation())
        {
            conflict.into()
        } else {
            db(e)
        }
    }
}

/// Microseconds since the Unix epoch: the time stored in every row.
pub fn now_us() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map(|d| d.as_micros() as i64).unwrap_or_default()
}

/// The database: the embedded SQLite file, or a PostgreSQL pool shared by
/// several server nodes.
#[derive(Clone)]
pub enum Store {
    /// SQLite allows one writer at a time; a pool of one writer connection
    /// queues writers in the application instead of failing them with
    /// SQLITE_BUSY, and a pool of readers serves reads in parallel (WAL).
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// One transaction. Dropping it without [`Tx::commit`] rolls it back.
pub struct Tx {
    pub(crate) inner: TxInner,
}

impl Store {
    /// Opens (creating if needed) `careinbox.db` in `dir` and applies the
    /// migrations. WAL lets readers run beside the writer; `synchronous=FULL`
    /// makes a commit durable before it is acknowledged, so a message answered
    /// 201 survives a crash of the machine.
    pub async fn open_sqlite(dir: &Path) -> Result<Store, sqlx::Error> {
        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join("careinbox.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");

        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store::Sqlite { read, write })
    }

    /// Connects to PostgreSQL and applies the migrations.
    pub async fn open_postgres(url: &str) -> Result<Store, sqlx::Error> {
        let options = sqlx::postgres::PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(Store::Postgres(pool))
    }

    /// Whether all writers share one connection (SQLite), so that changes
    /// benefit from being committed in groups.
    pub fn single_writer(&self) -> bool {
        matches!(self, Store::Sqlite { .. })
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite { .. } => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// A transaction for a use case that changes something.
    pub async fn write(&self) -> Result<Tx, Error> {
        let inner = match self {
            Store::Sqlite { write, .. } => {
                TxInner::Sqlite(write.begin_with("BEGIN IMMEDIATE").await.map_err(db)?)
            }
            Store::Postgres(pool) => TxInner::Postgres(pool.begin().await.map_err(db)?),
        };
        Ok(Tx { inner })
    }

    /// A transaction that only reads: one consistent snapshot.
    pub async fn read(&self) -> Result<Tx, Error> {
        let inner = match self {
            Store::Sqlite { read, .. } => TxInner::Sqlite(read.begin().await.map_err(db)?),
            Store::Postgres(pool) => TxInner::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
                    .map_err(db)?,
            ),
        };
        Ok(Tx { inner })
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), Error> {
        match self {
            Store::Sqlite { read, .. } => sqlx::query("SELECT 1").execute(read).await.map(drop),
            Store::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop),
        }
        .map_err(db)
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), Error> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await,
            TxInner::Postgres(t) => t.commit().await,
        }
        .map_err(db)
    }

    /// Marks where one change of a group commit begins.
    pub async fn savepoint(&mut self) -> Result<(), Error> {
        self.execute_plain("SAVEPOINT change").await
    }

    /// Keeps the change since [`Tx::savepoint`].
    pub async fn release_savepoint(&mut self) -> Result<(), Error> {
        self.execute_plain("RELEASE SAVEPOINT change").await
    }

    /// Undoes the change since [`Tx::savepoint`] and forgets the mark.
    pub async fn rollback_to_savepoint(&mut self) -> Result<(), Error> {
        self.execute_plain("ROLLBACK TO SAVEPOINT change").await?;
        self.release_savepoint().await
    }

    async fn execute_plain(&mut self, sql: &'static str) -> Result<(), Error> {
        on_conn!(self, c => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected()))
            .map(drop)
            .map_err(db)
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
