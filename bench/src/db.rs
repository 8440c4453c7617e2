//! The run's own database (a fresh SQLite folder, or a fresh PostgreSQL
//! database that is dropped afterwards) and a connection to it for bulk
//! seeding and for checks, with one way of running SQL on either.

use std::path::PathBuf;

use anyhow::Context;
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};
use uuid::Uuid;

use crate::server::Launch;
use crate::{Args, Backend, workspace_root};

/// Where the server under test keeps its data.
pub struct Database {
    pub backend: Backend,
    /// The run's folder: the SQLite file, the server log, the fsync probe.
    pub dir: PathBuf,
    /// For PostgreSQL: the server's URL (to drop the database) and the
    /// run's database name and URL.
    postgres: Option<(String, String, String)>,
}

impl Database {
    pub async fn create(args: &Args) -> anyhow::Result<Database> {
        let run = Uuid::new_v4().simple().to_string()[..12].to_owned();
        let work = args
            .work_dir
            .clone()
            .unwrap_or_else(|| workspace_root().join("target").join("careinbox-bench"));
        let dir = work.join(format!("{}-{run}", args.backend.name()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

        let postgres = match args.backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let name = format!("careinbox_bench_{run}");
                let mut admin = PgConnection::connect(&args.database_url)
                    .await
                    .context("connecting to PostgreSQL (set DATABASE_URL)")?;
                sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await?;
                let url = with_database(&args.database_url, &name);
                Some((args.database_url.clone(), name, url))
            }
        };
        Ok(Database {
            backend: args.backend,
            dir,
            postgres,
        })
    }

    /// How the server is pointed at this database.
    pub fn launch(&self, bin: PathBuf) -> Launch {
        let database_flags = match &self.postgres {
            None => vec!["--data-dir".to_owned(), self.dir.display().to_string()],
            Some((_, _, url)) => vec!["--database-url".to_owned(), url.clone()],
        };
        Launch {
            bin,
            database_flags,
            log: self.dir.join("server.log"),
        }
    }

    pub fn describe(&self) -> String {
        match &self.postgres {
            None => self.dir.join("careinbox.db").display().to_string(),
            Some((_, name, _)) => format!("PostgreSQL database {name}"),
        }
    }

    /// The size of the database on disk, in MB.
    pub async fn size_mb(&self) -> anyhow::Result<f64> {
        let mut conn = self.connect().await?;
        let bytes = match &mut conn {
            Conn::Sqlite(_) => {
                let mut total = 0;
                for suffix in ["", "-wal"] {
                    let file = self.dir.join(format!("careinbox.db{suffix}"));
                    total += std::fs::metadata(file).map_or(0, |m| m.len());
                }
                total as i64
            }
            Conn::Postgres(_) => {
                conn.scalar("SELECT pg_database_size(current_database())", &[])
                    .await?
            }
        };
        Ok(bytes as f64 / 1e6)
    }

    /// A connection to the run's database. For SQLite, only while the
    /// server is stopped or for reads: the server is its only writer.
    pub async fn connect(&self) -> anyhow::Result<Conn> {
        Ok(match &self.postgres {
            None => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(self.dir.join("careinbox.db"))
                    .foreign_keys(true)
                    .busy_timeout(std::time::Duration::from_secs(30));
                Conn::Sqlite(SqliteConnection::connect_with(&options).await?)
            }
            Some((_, _, url)) => Conn::Postgres(PgConnection::connect(url).await?),
        })
    }

    /// Removes the folder and drops the PostgreSQL database.
    pub async fn remove(&self) -> anyhow::Result<()> {
        if let Some((server, name, _)) = &self.postgres {
            let mut admin = PgConnection::connect(server).await?;
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            sqlx::raw_sql(AssertSqlSafe(drop))
                .execute(&mut admin)
                .await?;
        }
        std::fs::remove_dir_all(&self.dir)
            .with_context(|| format!("removing {}", self.dir.display()))
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// A value bound to a statement.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Id(Uuid),
    Text(String),
    Bytes(Vec<u8>),
}

/// One connection to either database.
pub enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

macro_rules! bound {
    ($sql:expr, $values:expr) => {{
        let mut q = sqlx::query(AssertSqlSafe($sql.to_owned()));
        for v in $values {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Id(u) => q.bind(*u),
                Value::Text(s) => q.bind(s.clone()),
                Value::Bytes(b) => q.bind(b.clone()),
            };
        }
        q
    }};
}

macro_rules! bound_scalar {
    ($sql:expr, $values:expr) => {{
        let mut q = sqlx::query_scalar(AssertSqlSafe($sql.to_owned()));
        for v in $values {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Id(u) => q.bind(*u),
                Value::Text(s) => q.bind(s.clone()),
                Value::Bytes(b) => q.bind(b.clone()),
            };
        }
        q
    }};
}

impl Conn {
    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }

    /// Runs one statement; returns the rows it changed.
    pub async fn exec(&mut self, sql: &str, values: &[Value]) -> anyhow::Result<u64> {
        let done = match self {
            Conn::Sqlite(c) => bound!(sql, values).execute(&mut *c).await?.rows_affected(),
            Conn::Postgres(c) => bound!(sql, values).execute(&mut *c).await?.rows_affected(),
        };
        Ok(done)
    }

    /// Runs statements without binds, one after another.
    pub async fn batch(&mut self, sql: &str) -> anyhow::Result<()> {
        let raw = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        match self {
            Conn::Sqlite(c) => raw.execute(&mut *c).await.map(drop)?,
            Conn::Postgres(c) => raw.execute(&mut *c).await.map(drop)?,
        }
        Ok(())
    }

    /// The one integer a query answers.
    pub async fn scalar(&mut self, sql: &str, values: &[Value]) -> anyhow::Result<i64> {
        let n: i64 = match self {
            Conn::Sqlite(c) => bound_scalar!(sql, values).fetch_one(&mut *c).await?,
            Conn::Postgres(c) => bound_scalar!(sql, values).fetch_one(&mut *c).await?,
        };
        Ok(n)
    }

    /// The one text a query answers.
    pub async fn text(&mut self, sql: &str, values: &[Value]) -> anyhow::Result<String> {
        let s: String = match self {
            Conn::Sqlite(c) => bound_scalar!(sql, values).fetch_one(&mut *c).await?,
            Conn::Postgres(c) => bound_scalar!(sql, values).fetch_one(&mut *c).await?,
        };
        Ok(s)
    }

    /// Integers of a one-column query.
    pub async fn integers(&mut self, sql: &str) -> anyhow::Result<Vec<i64>> {
        let none: [Value; 0] = [];
        let rows: Vec<i64> = match self {
            Conn::Sqlite(c) => bound_scalar!(sql, &none).fetch_all(&mut *c).await?,
            Conn::Postgres(c) => bound_scalar!(sql, &none).fetch_all(&mut *c).await?,
        };
        Ok(rows)
    }

    pub async fn close(self) -> anyhow::Result<()> {
        match self {
            Conn::Sqlite(c) => c.close().await?,
            Conn::Postgres(c) => c.close().await?,
        }
        Ok(())
    }
}

/// `$first, ..., $first+n-1`.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
