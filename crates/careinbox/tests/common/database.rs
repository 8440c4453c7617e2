//! The database a test server runs on: a fresh SQLite folder, or a fresh
//! PostgreSQL database on the server `DATABASE_URL` points at. Either is
//! removed when the test ends.
//!
//! `CAREINBOX_TEST_BACKEND=postgres` runs the API suite on PostgreSQL. When
//! PostgreSQL is wanted but not reachable, a test is skipped with a printed
//! reason, unless `CI` is set: then it fails.

// Each test binary includes this file and uses a different part of it.
#![allow(dead_code)]

use std::path::PathBuf;

use careinbox::{Secret, ServeArgs};
use sqlx::Connection;

/// Which backend a test server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend chosen by `CAREINBOX_TEST_BACKEND` (SQLite by default).
    pub fn from_env() -> Backend {
        match std::env::var("CAREINBOX_TEST_BACKEND").as_deref() {
            Ok("postgres") => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }
}

/// A database for one test; dropped with the test.
pub struct TestDatabase {
    dir: PathBuf,
    /// The server's URL, the test database's name, and its URL.
    postgres: Option<(String, String, String)>,
}

fn server_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl TestDatabase {
    /// A new, empty database; `None` (after printing why) when PostgreSQL is
    /// asked for but not reachable outside CI.
    pub async fn create(backend: Backend) -> Option<TestDatabase> {
        let dir = std::env::temp_dir().join(format!("careinbox-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let mut db = TestDatabase {
            dir,
            postgres: None,
        };
        if backend == Backend::Sqlite {
            return Some(db);
        }

        let admin_url = server_url();
        let mut conn = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: PostgreSQL at DATABASE_URL is not reachable ({e})");
                return None;
            }
            Err(e) => panic!("CI is set but PostgreSQL is not reachable: {e}"),
        };
        let name = format!("careinbox_t_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("a test database");
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("DATABASE_URL has no database name: {admin_url}"),
        };
        db.postgres = Some((admin_url, name, url));
        Some(db)
    }

    /// Settings for a server on this database.
    pub fn serve_args(&self, admin_email: &str, admin_password: &str) -> ServeArgs {
        let mut args = ServeArgs::for_tests(self.dir.clone(), admin_email, admin_password);
        if let Some((_, _, url)) = &self.postgres {
            args.database_url = Some(Secret(url.clone()));
        }
        args
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin_url, name, _)) = self.postgres.take() {
            // Drop runs outside async code; a short thread with its own
            // runtime removes the database once the servers are gone.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                                .execute(&mut conn)
                                .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}
