//! A fresh PostgreSQL database for a storage test, on the server
//! `DATABASE_URL` names. Skipped, with the reason printed, when that server
//! is not reachable, unless `CI` is set: then the test fails.

use sqlx::Connection;

pub struct PgDatabase {
    admin: sqlx::PgConnection,
    name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> Option<PgDatabase> {
        let admin_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: PostgreSQL at DATABASE_URL is not reachable ({e})");
                return None;
            }
            Err(e) => panic!("CI is set but PostgreSQL is not reachable: {e}"),
        };
        let name = format!("careinbox_s_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("a test database");
        let (server, _) = admin_url
            .rsplit_once('/')
            .expect("a database name in DATABASE_URL");
        let url = format!("{server}/{name}");
        Some(PgDatabase { admin, name, url })
    }

    /// Removes the database; call it once the store is closed.
    pub async fn drop(mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut self.admin)
            .await
            .expect("the test database is dropped");
    }
}
