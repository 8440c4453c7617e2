//! One way to run a statement on either database. A [`Query`] carries the
//! SQL text (written once, with `$1`-style placeholders) and its arguments;
//! on PostgreSQL it runs through sqlx, on SQLite through rusqlite on the
//! calling thread with a cached prepared statement. Rows decode into tuples
//! of the few column types the schema uses.

use std::borrow::Cow;

use careinbox_domain::Error;
use rusqlite::types::{ToSqlOutput, ValueRef};
use sqlx::Row as _;
use sqlx::postgres::PgRow;
use uuid::Uuid;

use crate::{Tx, TxInner};

/// A failure of either database.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
    #[error("column {0}: {1}")]
    Decode(usize, &'static str),
}

impl DbError {
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            DbError::Postgres(e) => e
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation()),
            _ => false,
        }
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Error {
        Error::internal(e)
    }
}

/// One argument of a statement. Nulls keep their type, which PostgreSQL
/// needs to plan the statement.
#[derive(Debug)]
pub(crate) enum Arg<'a> {
    Uuid(Option<Uuid>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<Cow<'a, str>>),
    Blob(Option<&'a [u8]>),
}

/// What may be bound to a placeholder.
pub(crate) trait Bind<'a> {
    fn arg(self) -> Arg<'a>;
}

macro_rules! bind {
    ($t:ty, $v:ident => $arg:expr) => {
        impl<'a> Bind<'a> for $t {
            fn arg(self) -> Arg<'a> {
                let $v = self;
                $arg
            }
        }
    };
}

bind!(Uuid, v => Arg::Uuid(Some(v)));
bind!(Option<Uuid>, v => Arg::Uuid(v));
bind!(i64, v => Arg::Int(Some(v)));
bind!(Option<i64>, v => Arg::Int(v));
bind!(bool, v => Arg::Bool(Some(v)));
bind!(&'a str, v => Arg::Text(Some(Cow::Borrowed(v))));
bind!(&'a String, v => Arg::Text(Some(Cow::Borrowed(v.as_str()))));
bind!(String, v => Arg::Text(Some(Cow::Owned(v))));
bind!(Option<&'a str>, v => Arg::Text(v.map(Cow::Borrowed)));
bind!(&'a [u8], v => Arg::Blob(Some(v)));
bind!(&'a Vec<u8>, v => Arg::Blob(Some(v.as_slice())));

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Arg::Uuid(Some(v)) => ValueRef::Blob(v.as_bytes()),
            Arg::Int(Some(v)) => return Ok(ToSqlOutput::from(*v)),
            Arg::Bool(Some(v)) => return Ok(ToSqlOutput::from(*v as i64)),
            Arg::Text(Some(v)) => ValueRef::Text(v.as_bytes()),
            Arg::Blob(Some(v)) => ValueRef::Blob(v),
            Arg::Uuid(None)
            | Arg::Int(None)
            | Arg::Bool(None)
            | Arg::Text(None)
            | Arg::Blob(None) => ValueRef::Null,
        }))
    }
}

/// A column type: how to read it from a row of either database.
pub(crate) trait Column: Sized {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError>;
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError>;
}

fn mismatch<T>(i: usize, expected: &'static str) -> Result<T, DbError> {
    Err(DbError::Decode(i, expected))
}

impl Column for i64 {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError> {
        match v {
            ValueRef::Integer(n) => Ok(n),
            _ => mismatch(i, "an integer"),
        }
    }
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError> {
        Ok(row.try_get(i)?)
    }
}

impl Column for bool {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError> {
        match v {
            ValueRef::Integer(n) => Ok(n != 0),
            _ => mismatch(i, "a boolean"),
        }
    }
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError> {
        Ok(row.try_get(i)?)
    }
}

impl Column for String {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError> {
        match v {
            ValueRef::Text(t) => String::from_utf8(t.to_vec()).or_else(|_| mismatch(i, "UTF-8")),
            _ => mismatch(i, "text"),
        }
    }
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError> {
        Ok(row.try_get(i)?)
    }
}

impl Column for Uuid {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError> {
        match v {
            ValueRef::Blob(b) => Uuid::from_slice(b).or_else(|_| mismatch(i, "a 16-byte id")),
            _ => mismatch(i, "an id"),
        }
    }
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError> {
        Ok(row.try_get(i)?)
    }
}

impl Column for Vec<u8> {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError> {
        match v {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            _ => mismatch(i, "bytes"),
        }
    }
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError> {
        Ok(row.try_get(i)?)
    }
}

impl<T: Column> Column for Option<T> {
    fn sqlite(v: ValueRef<'_>, i: usize) -> Result<Self, DbError> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::sqlite(v, i).map(Some),
        }
    }
    fn pg(row: &PgRow, i: usize) -> Result<Self, DbError> {
        use sqlx::ValueRef as _;
        if row.try_get_raw(i)?.is_null() {
            Ok(None)
        } else {
            T::pg(row, i).map(Some)
        }
    }
}

/// A whole row: a tuple of columns.
pub(crate) trait FromRow: Sized {
    fn sqlite(row: &rusqlite::Row<'_>) -> Result<Self, DbError>;
    fn pg(row: &PgRow) -> Result<Self, DbError>;
}

macro_rules! tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Column),+> FromRow for ($($t,)+) {
            fn sqlite(row: &rusqlite::Row<'_>) -> Result<Self, DbError> {
                Ok(($($t::sqlite(row.get_ref($i)?, $i)?,)+))
            }
            fn pg(row: &PgRow) -> Result<Self, DbError> {
                Ok(($($t::pg(row, $i)?,)+))
            }
        }
    };
}

tuple!(A 0);
tuple!(A 0, B 1);
tuple!(A 0, B 1, C 2);
tuple!(A 0, B 1, C 2, D 3);
tuple!(A 0, B 1, C 2, D 3, E 4);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);

/// SQLite reads `$1` as a parameter *named* "$1", numbered by first
/// appearance; `?1` is parameter number one. Rewriting keeps the shared SQL
/// text's meaning when placeholders appear out of order or twice.
fn sqlite_text(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A statement with its arguments, ready to run in a transaction.
#[must_use]
pub(crate) struct Query<'t, 'a> {
    tx: &'t mut Tx,
    sql: &'a str,
    args: Vec<Arg<'a>>,
}

impl Tx {
    /// A statement to run in this transaction.
    pub(crate) fn query<'t, 'a>(&'t mut self, sql: &'a str) -> Query<'t, 'a> {
        Query {
            tx: self,
            sql,
            args: Vec::new(),
        }
    }
}

impl<'a> Query<'_, 'a> {
    pub fn bind(mut self, value: impl Bind<'a>) -> Self {
        self.args.push(value.arg());
        self
    }

    /// Runs the statement on SQLite, handing each row to `each`.
    fn sqlite(
        conn: &rusqlite::Connection,
        sql: &str,
        args: &[Arg<'_>],
        mut each: impl FnMut(&rusqlite::Row<'_>) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut stmt = conn.prepare_cached(&sqlite_text(sql))?;
        for (i, arg) in args.iter().enumerate() {
            stmt.raw_bind_parameter(i + 1, arg)?;
        }
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next()? {
            each(row)?;
        }
        Ok(())
    }

    /// Runs a statement for its effect; answers how many rows it changed.
    pub async fn execute(self) -> Result<u64, DbError> {
        match &mut self.tx.inner {
            TxInner::Sqlite(t) => {
                // Stepped like a query, so that a SELECT run for its effect
                // (as PostgreSQL allows) is not an error.
                Self::sqlite(t.conn(), self.sql, &self.args, |_| Ok(()))?;
                Ok(t.conn().changes())
            }
            TxInner::Postgres(t) => Ok(pg(self.sql, &self.args)
                .execute(&mut **t)
                .await?
                .rows_affected()),
        }
    }

    /// Every row.
    pub async fn fetch_all<R: FromRow>(self) -> Result<Vec<R>, DbError> {
        match &mut self.tx.inner {
            TxInner::Sqlite(t) => {
                let mut out = Vec::new();
                Self::sqlite(t.conn(), self.sql, &self.args, |row| {
                    out.push(R::sqlite(row)?);
                    Ok(())
                })?;
                Ok(out)
            }
            TxInner::Postgres(t) => {
                let rows = pg(self.sql, &self.args).fetch_all(&mut **t).await?;
                rows.iter().map(R::pg).collect()
            }
        }
    }

    /// The first row, if any.
    pub async fn fetch_optional<R: FromRow>(self) -> Result<Option<R>, DbError> {
        match &mut self.tx.inner {
            TxInner::Sqlite(t) => {
                let mut out = None;
                Self::sqlite(t.conn(), self.sql, &self.args, |row| {
                    if out.is_none() {
                        out = Some(R::sqlite(row)?);
                    }
                    Ok(())
                })?;
                Ok(out)
            }
            TxInner::Postgres(t) => {
                let row = pg(self.sql, &self.args).fetch_optional(&mut **t).await?;
                row.as_ref().map(R::pg).transpose()
            }
        }
    }

    /// The one row the statement must return.
    pub async fn fetch_one<R: FromRow>(self) -> Result<R, DbError> {
        self.fetch_optional()
            .await?
            .ok_or(DbError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
    }

    /// The first column of the one row the statement must return.
    pub async fn scalar<T: Column>(self) -> Result<T, DbError> {
        self.fetch_one::<(T,)>().await.map(|(v,)| v)
    }

    /// The first column of the first row, if any.
    pub async fn scalar_optional<T: Column>(self) -> Result<Option<T>, DbError> {
        Ok(self.fetch_optional::<(T,)>().await?.map(|(v,)| v))
    }

    /// The first column of every row.
    pub async fn scalars<T: Column>(self) -> Result<Vec<T>, DbError> {
        let rows = self.fetch_all::<(T,)>().await?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }
}

/// The statement as a sqlx query for PostgreSQL.
fn pg<'q>(
    sql: &'q str,
    args: &[Arg<'_>],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for arg in args {
        q = bind_pg(q, arg);
    }
    q
}

fn bind_pg<'q>(
    q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    arg: &Arg<'_>,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    match arg {
        Arg::Uuid(v) => q.bind(*v),
        Arg::Int(v) => q.bind(*v),
        Arg::Bool(v) => q.bind(*v),
        Arg::Text(v) => q.bind(v.as_deref()),
        Arg::Blob(v) => q.bind(*v),
    }
}

#[cfg(test)]
mod tests {
    use super::sqlite_text;

    #[test]
    fn numbered_placeholders_keep_their_numbers_on_sqlite() {
        assert_eq!(
            sqlite_text("SELECT $2, $1 WHERE a = $10 AND b = '$x'"),
            "SELECT ?2, ?1 WHERE a = ?10 AND b = '$x'"
        );
        assert!(matches!(
            sqlite_text("SELECT 1"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
