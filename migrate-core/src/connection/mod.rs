//! Opening connections by URL, and the few per-dialect primitives the executor needs
//! (quoting, placeholders, transactions).

#[macro_use]
mod any;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
#[allow(unused_imports)]
use diesel::Connection;
use migrate_sql::Dialect;

pub use any::AnyConnection;
pub use any::MultiBackend as AnyBackend;

use crate::error::{Error, Result};
use crate::url::DatabaseUrl;

impl AnyConnection {
    /// Open a connection for `url`.
    ///
    /// SQLite connections get a `busy_timeout` of `busy_timeout` so a writer waits for another
    /// writer instead of failing at once.
    pub fn establish_url(url: &DatabaseUrl, busy_timeout: Duration) -> Result<AnyConnection> {
        crate::backend::of(url.dialect()).connect(url, busy_timeout)
    }

    /// The SQL dialect this connection speaks.
    pub fn dialect(&self) -> Dialect {
        self.variant_dialect()
    }
}

impl std::fmt::Debug for AnyConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AnyConnection({:?})", self.dialect())
    }
}

#[cfg(feature = "sqlite")]
impl From<diesel::SqliteConnection> for AnyConnection {
    fn from(c: diesel::SqliteConnection) -> Self {
        AnyConnection::Sqlite(c)
    }
}
#[cfg(feature = "postgres")]
impl From<diesel::PgConnection> for AnyConnection {
    fn from(c: diesel::PgConnection) -> Self {
        AnyConnection::Postgres(c)
    }
}
#[cfg(feature = "mysql")]
impl From<diesel::MysqlConnection> for AnyConnection {
    fn from(c: diesel::MysqlConnection) -> Self {
        AnyConnection::Mysql(c)
    }
}

/// The error of a URL whose backend this build was compiled without.
#[allow(dead_code)]
pub(crate) fn disabled(url: &DatabaseUrl) -> Error {
    Error::BackendDisabled {
        url: url.redacted(),
        feature: url.backend().feature(),
    }
}

/// The error of a connection attempt to `url` that the driver refused.
#[allow(dead_code)]
pub(crate) fn connect_error(
    url: &DatabaseUrl,
) -> impl FnOnce(diesel::ConnectionError) -> Error + '_ {
    move |e| Error::Connect {
        url: url.redacted(),
        // Driver messages never contain the password, but may echo the URL: scrub it.
        message: scrub(&e.to_string(), url),
    }
}

/// Remove the URL (and its password) from a driver message, should the driver echo it.
fn scrub(message: &str, url: &DatabaseUrl) -> String {
    let raw = url.connect_target();
    let mut out = message.replace(raw, &url.redacted());
    if let Some(pw) = password_of(raw) {
        if !pw.is_empty() {
            out = out.replace(pw, "***");
        }
    }
    // One line: libpq adds hints on new lines.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn password_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let auth = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let userinfo = &auth[..auth.rfind('@')?];
    Some(userinfo.split_once(':')?.1)
}

/// Quote an identifier for `dialect` with the one quoter of the project (migrate-sql's:
/// doubled quote characters, and a clear error for an empty name, a NUL byte or a name longer
/// than the dialect allows).
pub(crate) fn quote_ident(dialect: Dialect, name: &str) -> Result<String> {
    Ok(dialect.quote_ident(name)?)
}

/// `schema.table`, quoted, or just the table when there is no schema.
pub(crate) fn qualified(dialect: Dialect, schema: Option<&str>, table: &str) -> Result<String> {
    let name = migrate_sql::QualifiedName {
        schema: schema.map(str::to_owned),
        name: table.to_owned(),
    };
    Ok(dialect.quote_name(&name)?)
}

/// Begin a transaction the way Diesel tracks it (so migration code calling
/// `conn.transaction(..)` nests as a savepoint), with the backend's begin statement (SQLite's
/// `BEGIN IMMEDIATE` takes the write lock now, not at the first write).
pub(crate) fn begin(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    let sql = crate::backend::of(conn.dialect()).begin_sql();
    with_inner!(conn, c => AnsiTransactionManager::begin_transaction_sql(c, sql))
}

/// [`begin`], then `then` in the same round trip (`BEGIN; SET LOCAL ...` as one simple query
/// on PostgreSQL). If `then` fails after the begin, the transaction is rolled back.
pub(crate) fn begin_then(conn: &mut AnyConnection, then: &str) -> diesel::QueryResult<()> {
    let sql = format!("{}; {then}", crate::backend::of(conn.dialect()).begin_sql());
    let begun = with_inner!(conn, c => AnsiTransactionManager::begin_transaction_sql(c, &sql));
    if begun.is_err() {
        // The begin may have run and the rest not: end it (no transaction open is a warning).
        let _ = with_inner!(conn, c => diesel::connection::SimpleConnection::batch_execute(c, "ROLLBACK"));
    }
    begun
}

/// Commit the transaction [`begin`] opened.
pub(crate) fn commit(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    with_inner!(conn, c => AnsiTransactionManager::commit_transaction(c))
}

/// Roll back the transaction [`begin`] opened.
pub(crate) fn rollback(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    with_inner!(conn, c => AnsiTransactionManager::rollback_transaction(c))
}

/// Whether a transaction opened by [`begin`] is still open.
pub(crate) fn in_transaction(conn: &mut AnyConnection) -> bool {
    use diesel::connection::TransactionManagerStatus;
    let status = with_inner!(conn, c => AnsiTransactionManager::transaction_manager_status_mut(c));
    match status {
        TransactionManagerStatus::Valid(v) => v.transaction_depth().is_some(),
        TransactionManagerStatus::InError => true,
    }
}

/// The `tracing` target of the statements [`batch`] runs (a `DEBUG` event each, with its
/// duration; `migrate -v` shows them).
pub(crate) const SQL_TARGET: &str = "migrate::sql";

/// Run `sql` as written (several statements allowed).
///
/// Each run is a `tracing` event at `DEBUG` on target `migrate::sql`: the statement (string
/// literals masked where it mentions a password) and `duration_ms`. No bound value is ever
/// part of it: statements here have none.
pub(crate) fn batch(conn: &mut AnyConnection, sql: &str) -> diesel::QueryResult<()> {
    if !tracing::enabled!(target: SQL_TARGET, tracing::Level::DEBUG) {
        return conn.batch_execute(sql);
    }
    let started = std::time::Instant::now();
    let result = conn.batch_execute(sql);
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::debug!(
        target: SQL_TARGET,
        duration_ms,
        failed = result.is_err(),
        "{}",
        loggable(sql)
    );
    result
}

/// `sql` for a log: where it mentions a password (`PASSWORD '...'`, `IDENTIFIED BY '...'`,
/// a `password` column's default), every string literal becomes `'***'`.
pub(crate) fn loggable(sql: &str) -> std::borrow::Cow<'_, str> {
    let lower = sql.to_ascii_lowercase();
    if !["password", "identified", "secret", "pwd"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return sql.into();
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            out.push(c);
            continue;
        }
        // Skip to the closing quote ('' is an escaped quote inside).
        loop {
            match chars.next() {
                None => break,
                Some('\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                Some('\'') => break,
                Some(_) => {}
            }
        }
        out.push_str("'***'");
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_statements_hide_password_literals() {
        assert_eq!(
            loggable("INSERT INTO t VALUES ('a')"),
            "INSERT INTO t VALUES ('a')"
        );
        assert_eq!(
            loggable("CREATE USER app PASSWORD 'S3c''ret' VALID UNTIL 'x'"),
            "CREATE USER app PASSWORD '***' VALID UNTIL '***'"
        );
        assert_eq!(
            loggable("CREATE USER 'a'@'%' IDENTIFIED BY 'S3cret'"),
            "CREATE USER '***'@'***' IDENTIFIED BY '***'"
        );
        assert_eq!(
            loggable("ALTER ROLE x PASSWORD 'unterminated"),
            "ALTER ROLE x PASSWORD '***'"
        );
    }

    #[test]
    fn quoting_cannot_break_out() {
        assert_eq!(
            quote_ident(Dialect::Postgres, "a\"b").unwrap(),
            "\"a\"\"b\""
        );
        assert_eq!(quote_ident(Dialect::Mysql, "a`b").unwrap(), "`a``b`");
        assert!(quote_ident(Dialect::Postgres, "a\0b").is_err());
        assert!(quote_ident(Dialect::Postgres, &"x".repeat(64)).is_err());
        assert_eq!(
            qualified(Dialect::Sqlite, Some("main"), "v").unwrap(),
            "\"main\".\"v\""
        );
    }

    #[test]
    fn connect_errors_hide_the_password() {
        let url = DatabaseUrl::parse("postgres://u:topsecret@127.0.0.1:1/db").unwrap();
        let err = AnyConnection::establish_url(&url, Duration::from_secs(1)).unwrap_err();
        let shown = err.to_string();
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains("u:***@127.0.0.1:1/db"), "{shown}");
    }
}
