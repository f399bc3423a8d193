//! MySQL/MariaDB: running a migration so that a crash (kill -9, a lost server) at any point
//! can be resumed by the next run, with no human step in the common cases.
//!
//! MySQL commits every DDL statement as it runs, so a migration cannot be rolled back as a
//! whole. Instead a progress row (in `<version_table>_progress`, created on MySQL only) says
//! which migration is running and how many of its statements have taken effect:
//!
//! - The row is written in the same transaction as the migration's first statement: a DDL
//!   statement commits it before it runs, DML commits with it. Either way the row is there
//!   before anything of the migration can be.
//! - After each statement (or each run of consecutive DML statements, which share a
//!   transaction) the row's count is updated in that statement's transaction. For DML the
//!   statement and the count commit together; a DDL statement has committed itself before the
//!   count is written, so the one statement after the count may have taken effect or not (the
//!   *window*).
//! - The version-row change, the history row and the deletion of the progress row commit in
//!   one transaction (InnoDB DML), so a migration is either recorded in both tables or in
//!   neither.
//!
//! On the next run the migration resumes at the first statement not counted. If that
//! statement is DDL and running it again fails with an error that means its effect is
//! already there (`Table exists`, `Duplicate key name` ...), it is taken as done; any other
//! error, a Rust step there, or a changed migration stops with one line that says what to do.

use std::collections::HashMap;
use std::time::{Instant, SystemTime};

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use migrate_graph::{Direction, Plan, Step};
use migrate_sql::{Dialect, Operation};

use crate::any_migration::AnyMigration;
use crate::connection::{self, qualified, AnyConnection};
use crate::db_error::DatabaseError;
use crate::error::{one_line, BoxError, Error, Result};
use crate::event::Event;
use crate::executor::{record_failure, Context, Recorded};
use crate::history::{iso8601, Entry, HistoryDirection};
use crate::render;
use crate::version_table::Tables;

/// The unit at `done` may or may not have taken effect.
const RUNNING: &str = "running";
/// The unit at `done` failed and was rolled back (or a human said it did not take effect).
const STOPPED: &str = "stopped";
/// A human said the unit at `done` took effect: skip it.
const SKIP: &str = "skip";

/// One row of the progress table.
#[derive(QueryableByName, Debug, Clone)]
pub(crate) struct Progress {
    #[diesel(sql_type = Text)]
    revision: String,
    #[diesel(sql_type = Text)]
    direction: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    done: i64,
    #[diesel(sql_type = Text)]
    digest: String,
    #[diesel(sql_type = Text)]
    state: String,
}

impl Progress {
    fn done(&self) -> usize {
        usize::try_from(self.done).unwrap_or(0)
    }
}

#[derive(QueryableByName)]
struct Diagnostics {
    #[diesel(sql_type = Nullable<BigInt>)]
    errno: Option<i64>,
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Up => "upgrade",
        Direction::Down => "downgrade",
    }
}

impl Tables {
    /// The progress table's name (MySQL only): `<version_table>_progress`.
    pub(crate) fn progress(&self) -> String {
        format!("{}_progress", self.version)
    }

    fn progress_sql(&self) -> Result<String> {
        qualified(self.dialect, self.schema.as_deref(), &self.progress())
    }

    /// The progress table as shown in messages and in the SQL a message suggests.
    fn progress_display(&self) -> String {
        // A name the quoter refuses never got this far (the version table's own SQL failed).
        self.progress_sql().unwrap_or_else(|_| self.progress())
    }

    /// `CREATE TABLE IF NOT EXISTS` for the progress table.
    pub(crate) fn create_progress_sql(&self) -> Result<String> {
        Ok(format!(
            "CREATE TABLE IF NOT EXISTS {} (revision VARCHAR(255) NOT NULL, \
             direction VARCHAR(16) NOT NULL, checksum VARCHAR(128) NOT NULL, \
             started_at VARCHAR(32) NOT NULL, total BIGINT NOT NULL, done BIGINT NOT NULL, \
             digest VARCHAR(16) NOT NULL, state VARCHAR(16) NOT NULL, \
             PRIMARY KEY (revision)) ENGINE=InnoDB",
            self.progress_sql()?
        ))
    }

    /// Every progress row (interrupted or failed migrations); empty when there is no table.
    pub(crate) fn read_progress(&self, conn: &mut AnyConnection) -> Result<Vec<Progress>> {
        if !self.backend().ddl_commits() || !self.table_exists(conn, &self.progress())? {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT revision, direction, total, done, digest, state FROM {}",
            self.progress_sql()?
        );
        diesel::sql_query(sql)
            .load(conn)
            .map_err(Error::db(format!("reading {}", self.progress_display())))
    }

    fn progress_insert(
        &self,
        conn: &mut AnyConnection,
        m: &AnyMigration,
        direction: &str,
        total: usize,
        digest: &str,
    ) -> Result<()> {
        let p = |n| self.dialect.placeholder(n);
        let sql = format!(
            "INSERT INTO {} (revision, direction, checksum, started_at, total, done, digest, \
             state) VALUES ({}, {}, {}, {}, {}, 0, {}, '{RUNNING}')",
            self.progress_sql()?,
            p(1),
            p(2),
            p(3),
            p(4),
            p(5),
            p(6)
        );
        diesel::sql_query(sql)
            .bind::<Text, _>(m.rev())
            .bind::<Text, _>(direction)
            .bind::<Text, _>(m.checksum())
            .bind::<Text, _>(iso8601(SystemTime::now()))
            .bind::<BigInt, _>(i64::try_from(total).unwrap_or(i64::MAX))
            .bind::<Text, _>(digest)
            .execute(conn)
            .map_err(Error::db(format!("writing {}", self.progress_display())))?;
        Ok(())
    }

    fn progress_set(
        &self,
        conn: &mut AnyConnection,
        rev: &str,
        done: usize,
        digest: &str,
        state: &str,
    ) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET done = ?, digest = ?, state = ? WHERE revision = ?",
            self.progress_sql()?
        );
        diesel::sql_query(sql)
            .bind::<BigInt, _>(i64::try_from(done).unwrap_or(i64::MAX))
            .bind::<Text, _>(digest)
            .bind::<Text, _>(state)
            .bind::<Text, _>(rev)
            .execute(conn)
            .map_err(Error::db(format!("writing {}", self.progress_display())))?;
        Ok(())
    }

    /// Forget every interrupted migration (a stamp decides where the database stands).
    pub(crate) fn clear_progress(&self, conn: &mut AnyConnection) -> Result<()> {
        if !self.backend().ddl_commits() || !self.table_exists(conn, &self.progress())? {
            return Ok(());
        }
        diesel::sql_query(format!("DELETE FROM {}", self.progress_sql()?))
            .execute(conn)
            .map_err(Error::db(format!("writing {}", self.progress_display())))?;
        Ok(())
    }

    fn progress_delete(&self, conn: &mut AnyConnection, rev: &str) -> Result<()> {
        let sql = format!("DELETE FROM {} WHERE revision = ?", self.progress_sql()?);
        diesel::sql_query(sql)
            .bind::<Text, _>(rev)
            .execute(conn)
            .map_err(Error::db(format!("writing {}", self.progress_display())))?;
        Ok(())
    }
}

/// Match the progress rows against the plan (under the lock, before anything runs): each row
/// must belong to a step of the plan, run the same way; the step then resumes. A row left by
/// a failure before anything took effect is removed. Any other row stops the run.
pub(crate) fn claim(
    conn: &mut AnyConnection,
    tables: &Tables,
    plan: &Plan,
) -> Result<HashMap<String, Progress>> {
    let mut out = HashMap::new();
    for p in tables.read_progress(conn)? {
        let planned = plan
            .steps
            .iter()
            .any(|s| s.revision == p.revision && direction_str(s.direction) == p.direction);
        if planned {
            out.insert(p.revision.clone(), p);
        } else if p.done == 0 && p.state == STOPPED {
            tables.progress_delete(conn, &p.revision)?;
        } else {
            let again = if p.direction == "upgrade" {
                format!("`migrate upgrade {}`", p.revision)
            } else {
                "the downgrade that reverts it again".to_string()
            };
            return Err(Error::Interrupted {
                rev: p.revision.clone(),
                what: format!(
                    "was interrupted during its {} after statement {} of {} (MySQL/MariaDB \
                     cannot roll DDL back), and this command would not finish it; nothing \
                     ran: finish it first with {again}, or undo {} by hand and run \
                     `DELETE FROM {} WHERE revision = '{}'`",
                    p.direction,
                    p.done,
                    p.total,
                    match p.done {
                        1 => "its first statement".to_string(),
                        n => format!("its first {n} statements"),
                    },
                    tables.progress_display(),
                    p.revision.replace('\'', "''")
                ),
            });
        }
    }
    Ok(out)
}

/// What a migration runs, in order: SQL statements and Rust steps.
enum Unit {
    Sql(String),
    Rust(usize),
}

impl Unit {
    fn key(&self) -> String {
        match self {
            Unit::Sql(s) => s.clone(),
            Unit::Rust(i) => format!("\u{0}rust step {i}"),
        }
    }
}

fn units(rec: &Recorded, dialect: Dialect) -> std::result::Result<Vec<Unit>, String> {
    let mut out = Vec::new();
    for step in migrate_sql::plan(&rec.ops, dialect) {
        match step {
            migrate_sql::Step::Render(Operation::Callback { index, .. }) => {
                out.push(Unit::Rust(*index));
            }
            migrate_sql::Step::Render(op) => {
                let sql = render::statements(op, dialect).map_err(|e| e.to_string())?;
                out.extend(sql.into_iter().map(Unit::Sql));
            }
            migrate_sql::Step::Rebuild { .. } => {
                return Err("a table rebuild is SQLite-only".into());
            }
        }
    }
    Ok(out)
}

/// FNV-1a (64 bits, hex) of the first `n` units: what the progress row's count refers to.
fn digest(units: &[Unit], n: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for u in &units[..n.min(units.len())] {
        for b in u.key().bytes().chain([0xff]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Statement `i` (0-based) of `n` as users count: `statement 3 of 5`.
fn nth(i: usize, n: usize) -> String {
    format!("statement {} of {n}", i + 1)
}

/// The SQL's text, skipping whitespace and comments, split into statements at `;` outside
/// quotes and comments: `(number of statements, first keyword, upper case)`.
pub(crate) fn scan(sql: &str) -> (usize, String) {
    let b = sql.as_bytes();
    let mut i = 0;
    let mut count = 0;
    let mut in_statement = false;
    let mut first = String::new();
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == b'-' && next == Some(b'-') || c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && next == Some(b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b';' {
            in_statement = false;
            i += 1;
            continue;
        }
        if !in_statement {
            in_statement = true;
            count += 1;
            if count == 1 {
                let end = b[i..]
                    .iter()
                    .position(|x| !x.is_ascii_alphabetic())
                    .map_or(b.len(), |p| i + p);
                first = sql[i..end].to_ascii_uppercase();
            }
        }
        if matches!(c, b'\'' | b'"' | b'`') {
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' && c != b'`' {
                    i += 1;
                }
                i += 1;
            }
        }
        i += 1;
    }
    (count, first)
}

fn single(sql: &str) -> Option<String> {
    match scan(sql) {
        (1, first) => Some(first),
        _ => None,
    }
}

/// DML that InnoDB runs inside the transaction (no implicit commit).
fn is_dml(unit: &Unit) -> bool {
    match unit {
        Unit::Sql(s) => single(s)
            .is_some_and(|k| matches!(k.as_str(), "INSERT" | "UPDATE" | "DELETE" | "REPLACE")),
        Unit::Rust(_) => false,
    }
}

/// DDL: commits itself as it runs, so it is the one statement a crash can leave uncounted.
fn is_ddl(sql: &str) -> bool {
    single(sql).is_some_and(|k| matches!(k.as_str(), "CREATE" | "ALTER" | "DROP" | "RENAME"))
}

/// A session setting (`SET foreign_key_checks = 0`): replayed when a migration resumes, since
/// the interrupted session's settings are gone.
fn is_session_setting(unit: &Unit) -> bool {
    match unit {
        Unit::Sql(s) => single(s).is_some_and(|k| k == "SET"),
        Unit::Rust(_) => false,
    }
}

/// A word, a backquoted identifier, or one other character of a statement.
fn tokens(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == '`' {
            let mut name = String::new();
            while let Some(d) = chars.next() {
                if d == '`' {
                    if chars.peek() == Some(&'`') {
                        chars.next();
                    } else {
                        break;
                    }
                }
                name.push(d);
            }
            out.push(format!("`{name}"));
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut word = c.to_string();
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || d == '_' || d == '$' {
                    word.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(word);
        } else {
            out.push(c.to_string());
        }
    }
    out
}

/// A table or column name as `(schema, name)`, from `name` or `schema.name`.
fn name_at(t: &[String], i: usize) -> Option<(Option<String>, String, usize)> {
    let ident = |s: &String| -> Option<String> {
        match s.strip_prefix('`') {
            Some(quoted) => Some(quoted.to_string()),
            None if s
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$') =>
            {
                Some(s.clone())
            }
            None => None,
        }
    };
    let first = ident(t.get(i)?)?;
    if t.get(i + 1).map(String::as_str) == Some(".") {
        let second = ident(t.get(i + 2)?)?;
        return Some((Some(first), second, i + 3));
    }
    Some((None, first, i + 1))
}

fn kw(t: &[String], i: usize, word: &str) -> bool {
    t.get(i).is_some_and(|s| s.eq_ignore_ascii_case(word))
}

/// What a rename statement renames: `(schema, table, Some((old column, new column)))` for a
/// column, `(schema, old table, None)` plus the new table for a table.
enum Rename {
    Column {
        schema: Option<String>,
        table: String,
        old: String,
        new: String,
    },
    Table {
        old: (Option<String>, String),
        new: (Option<String>, String),
    },
}

fn rename_of(sql: &str) -> Option<Rename> {
    let t = tokens(sql);
    if kw(&t, 0, "RENAME") && kw(&t, 1, "TABLE") {
        let (s1, a, i) = name_at(&t, 2)?;
        if !kw(&t, i, "TO") {
            return None;
        }
        let (s2, b, j) = name_at(&t, i + 1)?;
        return (j == t.len() || (j + 1 == t.len() && t[j] == ";")).then_some(Rename::Table {
            old: (s1, a),
            new: (s2, b),
        });
    }
    if !(kw(&t, 0, "ALTER") && kw(&t, 1, "TABLE")) {
        return None;
    }
    let (schema, table, i) = name_at(&t, 2)?;
    let end_ok = |j: usize| j == t.len() || (j + 1 == t.len() && t[j] == ";");
    if kw(&t, i, "RENAME") && kw(&t, i + 1, "COLUMN") {
        let (None, old, j) = name_at(&t, i + 2)? else {
            return None;
        };
        if !kw(&t, j, "TO") {
            return None;
        }
        let (None, new, k) = name_at(&t, j + 1)? else {
            return None;
        };
        return end_ok(k).then_some(Rename::Column {
            schema,
            table,
            old,
            new,
        });
    }
    if kw(&t, i, "CHANGE") {
        let at = if kw(&t, i + 1, "COLUMN") {
            i + 2
        } else {
            i + 1
        };
        let (None, old, j) = name_at(&t, at)? else {
            return None;
        };
        let (None, new, k) = name_at(&t, j)? else {
            return None;
        };
        // One clause only: no comma after the column definition.
        return (!t[k..].iter().any(|x| x == ",")).then_some(Rename::Column {
            schema,
            table,
            old,
            new,
        });
    }
    if kw(&t, i, "RENAME") && (kw(&t, i + 1, "TO") || kw(&t, i + 1, "AS")) {
        let (s2, b, j) = name_at(&t, i + 2)?;
        return end_ok(j).then_some(Rename::Table {
            old: (schema, table),
            new: (s2, b),
        });
    }
    None
}

/// A rename run again fails with "unknown column" (1054) or "no such table" (1146) when it
/// took effect already: that is so when the new name exists and the old one does not.
fn rename_done(conn: &mut AnyConnection, errno: i64, sql: &str) -> bool {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut column = |schema: Option<&str>, table: &str, column: &str| -> Option<i64> {
        let rows: Vec<Found> = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM information_schema.columns WHERE \
             table_schema = COALESCE(?, DATABASE()) AND table_name = ? AND column_name = ?",
        )
        .bind::<Nullable<Text>, _>(schema)
        .bind::<Text, _>(table)
        .bind::<Text, _>(column)
        .load(conn)
        .ok()?;
        rows.first().map(|r| r.n)
    };
    match (errno, rename_of(sql)) {
        (
            1054,
            Some(Rename::Column {
                schema,
                table,
                old,
                new,
            }),
        ) => {
            !old.eq_ignore_ascii_case(&new)
                && column(schema.as_deref(), &table, &new) == Some(1)
                && column(schema.as_deref(), &table, &old) == Some(0)
        }
        (1146, Some(Rename::Table { old, new })) => {
            let mut table = |(schema, name): &(Option<String>, String)| -> Option<i64> {
                let rows: Vec<Found> = diesel::sql_query(
                    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE \
                     table_schema = COALESCE(?, DATABASE()) AND table_name = ?",
                )
                .bind::<Nullable<Text>, _>(schema.as_deref())
                .bind::<Text, _>(name.as_str())
                .load(conn)
                .ok()?;
                rows.first().map(|r| r.n)
            };
            table(&new) == Some(1) && table(&old) == Some(0)
        }
        _ => false,
    }
}

/// MySQL/MariaDB error numbers that mean a DDL statement's effect is already there (checked
/// on MariaDB 10.11 and against MySQL 8's list).
fn already_there(errno: i64, message: &str) -> bool {
    match errno {
        1007 // database exists
        | 1008 // database does not exist (DROP DATABASE)
        | 1050 // table / view / sequence exists
        | 1051 // unknown table (DROP TABLE)
        | 1060 // duplicate column name
        | 1061 // duplicate key name (index, unique constraint)
        | 1068 // multiple primary key defined
        | 1091 // can't DROP column / key / constraint; check that it exists
        | 1304 // procedure / function exists
        | 1305 // procedure / function does not exist (DROP)
        | 1359 // trigger exists
        | 1360 // trigger does not exist
        | 1537 // event exists
        | 1539 // unknown event
        | 1826 // duplicate foreign key (MySQL) / constraint (MariaDB) name
        | 4091 // unknown sequence (MariaDB DROP SEQUENCE)
        | 4092 // unknown view (MariaDB DROP VIEW)
        => true,
        // InnoDB's duplicate foreign key name on MariaDB: "Can't create table ... (errno: 121".
        1005 => message.contains("errno: 121"),
        _ => false,
    }
}

/// The error number of the statement that just failed: of the conditions in the diagnostics
/// area (InnoDB adds its own, e.g. 121 before MariaDB's 1005), the one with the error's message.
fn last_errno(conn: &mut AnyConnection, message: &str) -> Option<i64> {
    #[derive(QueryableByName)]
    struct Condition {
        #[diesel(sql_type = Nullable<BigInt>)]
        errno: Option<i64>,
        #[diesel(sql_type = Nullable<Text>)]
        message: Option<String>,
    }
    connection::batch(conn, "GET DIAGNOSTICS @migrate_conditions = NUMBER").ok()?;
    let count: Vec<Diagnostics> =
        diesel::sql_query("SELECT CAST(@migrate_conditions AS SIGNED) AS errno")
            .load(conn)
            .ok()?;
    let count = count
        .first()
        .and_then(|c| c.errno)
        .unwrap_or(0)
        .clamp(0, 16);
    let mut last = None;
    for i in 1..=count {
        connection::batch(
            conn,
            &format!(
                "GET DIAGNOSTICS CONDITION {i} @migrate_errno = MYSQL_ERRNO, \
                 @migrate_message = MESSAGE_TEXT"
            ),
        )
        .ok()?;
        let rows: Vec<Condition> = diesel::sql_query(
            "SELECT CAST(@migrate_errno AS SIGNED) AS errno, \
             CAST(@migrate_message AS CHAR) AS message",
        )
        .load(conn)
        .ok()?;
        let Some(c) = rows.into_iter().next() else {
            continue;
        };
        if c.message.as_deref() == Some(message) {
            return c.errno;
        }
        last = c.errno.or(last);
    }
    last
}

struct Failed {
    at: usize,
    statement: Option<String>,
    message: String,
    errno: Option<i64>,
    source: Option<BoxError>,
}

fn run_unit(
    conn: &mut AnyConnection,
    rec: &mut Recorded,
    units: &[Unit],
    i: usize,
) -> std::result::Result<(), Failed> {
    match &units[i] {
        Unit::Sql(sql) => connection::batch(conn, sql).map_err(|e| {
            let e = DatabaseError::from(e);
            let message = e.to_string();
            Failed {
                at: i,
                statement: Some(sql.clone()),
                errno: last_errno(conn, &message),
                message,
                source: Some(Box::new(e)),
            }
        }),
        Unit::Rust(index) => {
            let callback = rec
                .callbacks
                .get_mut(*index)
                .and_then(Option::take)
                .ok_or_else(|| Failed {
                    at: i,
                    statement: None,
                    message: format!("callback {index} was not recorded or already ran"),
                    errno: None,
                    source: None,
                })?;
            callback(conn).map_err(|e| {
                let e = Error::from(e);
                Failed {
                    at: i,
                    statement: None,
                    message: e.to_string(),
                    errno: None,
                    source: Some(Box::new(e)),
                }
            })
        }
    }
}

/// Run one step of the plan on MySQL/MariaDB, resuming it where `progress` says.
#[allow(clippy::too_many_lines)]
pub(crate) fn run_step(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    step: &Step,
    m: &AnyMigration,
    rec: &mut Recorded,
    progress: Option<Progress>,
    kind: HistoryDirection,
) -> Result<()> {
    let direction = direction_str(step.direction);
    let tables = cx.tables;
    let started_at = SystemTime::now();
    let t0 = Instant::now();
    let interrupted = |what: String| Error::Interrupted {
        rev: step.revision.clone(),
        what,
    };
    let units = units(rec, Dialect::Mysql).map_err(|message| Error::MigrationFailed {
        rev: step.revision.clone(),
        direction,
        statement: None,
        message,
        source: None,
    })?;
    let n = units.len();
    let table = tables.progress_display();
    let set_state = |state: &str| {
        format!(
            "UPDATE {table} SET state = '{state}' WHERE revision = '{}'",
            step.revision.replace('\'', "''")
        )
    };

    // Where to start, and whether the unit there may have taken effect already.
    let mut k = 0;
    let mut window = false;
    let fresh = progress.is_none();
    if let Some(p) = &progress {
        k = p.done();
        if k > n || digest(&units, k) != p.digest {
            return Err(interrupted(format!(
                "was interrupted during its {direction} after {k} of its {} statements, and \
                 those statements have changed since: restore the migration as it ran, or \
                 undo their effect by hand and run `DELETE FROM {table} WHERE revision = '{}'` \
                 to run it from the start",
                p.total, step.revision
            )));
        }
        match p.state.as_str() {
            SKIP if k < n => {
                k += 1;
                tables.progress_set(conn, &step.revision, k, &digest(&units, k), STOPPED)?;
            }
            RUNNING => window = true,
            _ => {}
        }
        (cx.emit)(&Event::Warning {
            revision: Some(step.revision.clone()),
            message: format!(
                "migration {} was interrupted earlier; resuming its {direction} at {}",
                step.revision,
                if k < n {
                    nth(k, n)
                } else {
                    "its bookkeeping".to_string()
                }
            ),
        });
        // The interrupted session's settings died with it.
        for u in units[..k].iter().filter(|u| is_session_setting(u)) {
            if let Unit::Sql(sql) = u {
                connection::batch(conn, sql).map_err(Error::db("replaying a session setting"))?;
            }
        }
    }

    let mut first = fresh;
    while k < n {
        // A run of DML shares one transaction (and one progress write); all else runs alone.
        let mut end = k + 1;
        if m.transactional() && is_dml(&units[k]) {
            while end < n && is_dml(&units[end]) {
                end += 1;
            }
        }
        if window {
            if let Unit::Rust(_) = units[k] {
                return Err(interrupted(format!(
                    "was interrupted during its Rust step ({} of its {n} steps), and migrate \
                     cannot tell whether that step's changes were committed: check the \
                     database, then run `{}` if they were, or `{}` if not, and run again",
                    k + 1,
                    set_state(SKIP),
                    set_state(STOPPED)
                )));
            }
        }
        connection::begin(conn).map_err(Error::db("beginning a transaction"))?;
        if first {
            // Committed by the first DDL before it runs, or with the first DML.
            if let Err(e) = tables.progress_insert(conn, m, direction, n, &digest(&units, 0)) {
                let _ = connection::rollback(conn);
                return Err(e);
            }
            first = false;
        }
        let mut ran = Ok(());
        for i in k..end {
            ran = run_unit(conn, rec, &units, i);
            if ran.is_err() {
                break;
            }
        }
        if let Err(f) = ran {
            let _ = connection::rollback(conn);
            let statement = f.statement.clone().unwrap_or_default();
            if window && f.at == k && is_ddl(&statement) {
                if f.errno.is_some_and(|e| {
                    already_there(e, &f.message) || rename_done(conn, e, &statement)
                }) {
                    (cx.emit)(&Event::Warning {
                        revision: Some(step.revision.clone()),
                        message: format!(
                            "{} of migration {} (`{}`) had already taken effect when the run \
                             was interrupted ({}); continuing after it",
                            nth(k, n),
                            step.revision,
                            one_line(&statement, 60),
                            f.message
                        ),
                    });
                    window = false;
                    k += 1;
                    tables.progress_set(conn, &step.revision, k, &digest(&units, k), RUNNING)?;
                    continue;
                }
                return Err(interrupted(format!(
                    "was interrupted at {} (`{}`), and running it again fails: {}{}; if its \
                     effect is already in the database, run `{}` and run again; otherwise fix \
                     the database so the statement can run",
                    nth(k, n),
                    one_line(&statement, 60),
                    one_line(&f.message, 200),
                    f.errno.map(|e| format!(" (error {e})")).unwrap_or_default(),
                    set_state(SKIP)
                )));
            }
            if window && f.at == k {
                if let Some(many) = Some(scan(&statement).0).filter(|c| *c > 1) {
                    return Err(interrupted(format!(
                        "was interrupted at {}, which holds {many} SQL statements, and running \
                         it again fails: {}; migrate cannot tell which of them took effect: \
                         complete them by hand, then run `{}` and run again",
                        nth(k, n),
                        one_line(&f.message, 200),
                        set_state(SKIP)
                    )));
                }
            }
            // Nothing of the failed transaction stays: the count is right, mark it stopped.
            let _ = tables.progress_set(conn, &step.revision, k, &digest(&units, k), STOPPED);
            let stays = match k {
                0 => "no statement of this migration took effect".to_string(),
                1 => format!(
                    "MySQL/MariaDB commit DDL as it runs: statement 1 of {n} stays applied, \
                     and the next run resumes at statement 2"
                ),
                _ => format!(
                    "MySQL/MariaDB commit DDL as it runs: statements 1 to {k} of {n} stay \
                     applied, and the next run resumes at statement {}",
                    k + 1
                ),
            };
            let err = Error::MigrationFailed {
                rev: step.revision.clone(),
                direction,
                statement: f.statement,
                message: format!("{} ({stays})", f.message),
                source: f.source,
            };
            record_failure(conn, cx, step, m, kind, started_at, t0, &err);
            return Err(err);
        }
        window = false;
        k = end;
        let counted = tables
            .progress_set(conn, &step.revision, k, &digest(&units, k), RUNNING)
            .and_then(|()| {
                connection::commit(conn).map_err(Error::db("committing a migration statement"))
            });
        if let Err(e) = counted {
            let _ = connection::rollback(conn);
            return Err(e);
        }
    }

    // The version rows, the history row and the end of the progress row: all or nothing.
    connection::begin(conn).map_err(Error::db("beginning a transaction"))?;
    let entry = Entry {
        revision: &step.revision,
        kind,
        checksum: m.checksum(),
        started_at,
        duration: t0.elapsed(),
        error: None,
    };
    let bookkeeping = tables
        .apply(conn, &step.version_changes)
        .and_then(|()| tables.record(conn, &entry))
        .and_then(|()| {
            if fresh && n == 0 {
                Ok(())
            } else {
                tables.progress_delete(conn, &step.revision)
            }
        })
        .and_then(|()| {
            connection::commit(conn).map_err(|e| {
                let e = DatabaseError::from(e);
                Error::MigrationFailed {
                    rev: step.revision.clone(),
                    direction,
                    statement: Some("COMMIT".into()),
                    message: e.to_string(),
                    source: Some(Box::new(e)),
                }
            })
        });
    if let Err(e) = bookkeeping {
        let _ = connection::rollback(conn);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanning_statements() {
        assert_eq!(scan("CREATE TABLE a (x INT)"), (1, "CREATE".into()));
        assert_eq!(
            scan("  -- c\n/* x; */ insert into a values (';');"),
            (1, "INSERT".into())
        );
        assert_eq!(scan("CREATE TABLE a (x INT); CREATE TABLE b (x INT)").0, 2);
        assert_eq!(scan("SELECT 'a\\';b'").0, 1);
        assert_eq!(scan("# only a comment\n").0, 0);
        assert!(is_ddl("alter table t add column c int"));
        assert!(!is_ddl("INSERT INTO t VALUES (1)"));
        assert!(is_dml(&Unit::Sql("update t set a = 1".into())));
        assert!(!is_dml(&Unit::Sql(
            "UPDATE t SET a = 1; DROP TABLE t".into()
        )));
    }

    #[test]
    fn renames() {
        assert!(matches!(
            rename_of("ALTER TABLE `t` RENAME COLUMN `a` TO `b`"),
            Some(Rename::Column { schema: None, ref table, ref old, ref new }) if table == "t" && old == "a" && new == "b"
        ));
        assert!(matches!(
            rename_of("ALTER TABLE `d`.`t` CHANGE COLUMN `a` `b` INT NOT NULL"),
            Some(Rename::Column { schema: Some(ref s), ref old, ref new, .. }) if s == "d" && old == "a" && new == "b"
        ));
        assert!(matches!(
            rename_of("RENAME TABLE `a` TO `b`"),
            Some(Rename::Table { ref old, ref new }) if old.1 == "a" && new.1 == "b"
        ));
        assert!(matches!(
            rename_of("alter table a rename to b"),
            Some(Rename::Table { .. })
        ));
        assert!(rename_of("RENAME TABLE a TO b, c TO d").is_none());
        assert!(rename_of("ALTER TABLE t CHANGE a b INT, ADD COLUMN c INT").is_none());
        assert!(rename_of("ALTER TABLE t RENAME COLUMN a TO b, DROP COLUMN c").is_none());
        assert!(rename_of("ALTER TABLE `we``ird` RENAME COLUMN a TO b").is_some());
    }

    #[test]
    fn already_there_numbers() {
        assert!(already_there(1061, "Duplicate key name 'ix'"));
        assert!(already_there(
            1005,
            "Can't create table `d`.`t` (errno: 121 \"Duplicate key on write or update\")"
        ));
        assert!(!already_there(1005, "Can't create table `d`.`t` (errno: 150 \"Foreign key constraint is incorrectly formed\")"));
        assert!(!already_there(1054, "Unknown column 'a'"));
        assert!(!already_there(1146, "Table 'd.t' doesn't exist"));
    }

    #[test]
    fn one_line_statements() {
        assert_eq!(
            one_line("CREATE TABLE t (\n  id INT\n)", 80),
            "CREATE TABLE t ( id INT )"
        );
        assert_eq!(one_line("abcdef ghij", 6), "abcdef…");
    }
}
