//! Offline (`--sql`) scripts: every statement of a run, with its version-table changes, as one
//! SQL text for a DBA (Alembic's offline mode:
//! <https://alembic.sqlalchemy.org/en/latest/offline.html>).
//!
//! Format: statements end with `;` and are separated by blank lines; each migration starts with
//! a `-- Running upgrade a -> b` comment. Where DDL is transactional (PostgreSQL, and SQLite,
//! whose DDL is transactional too) each transactional migration is wrapped in `BEGIN;` ...
//! `COMMIT;` together with its version-row change, the same unit the online executor commits;
//! MySQL gets no markers (each DDL statement commits on its own there). The version table is
//! created first when the run starts from base, and never dropped.

use migrate_graph::{Direction, VersionChange};

use crate::dialect::Dialect;
use crate::error::Result;
use crate::version_table::{Create, Values, VersionTable};

/// One migration of an offline run.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptStep {
    /// The revision applied or reverted.
    pub revision: String,
    /// Which way.
    pub direction: Direction,
    /// `"a -> b"` as printed after `-- Running upgrade ` (Alembic prints ` -> a` from base).
    pub description: String,
    /// The migration's statements, rendered (with or without a trailing `;`).
    pub statements: Vec<String>,
    /// Its version-row changes, in order.
    pub version_changes: Vec<VersionChange>,
    /// Whether it runs in a transaction (false for e.g. `CREATE INDEX CONCURRENTLY`).
    pub transactional: bool,
}

/// Assemble the script. `create_version_table` is true when the run starts from base (no
/// version rows), as Alembic emits `CREATE TABLE alembic_version` then.
///
/// ```
/// use migrate_sql::{render_script, Dialect, Direction, ScriptStep, VersionChange, VersionTable};
/// let step = ScriptStep {
///     revision: "a1".into(),
///     direction: Direction::Up,
///     description: " -> a1".into(),
///     statements: vec![r#"CREATE TABLE "t" ("id" INTEGER)"#.into()],
///     version_changes: vec![VersionChange::Insert("a1".into())],
///     transactional: true,
/// };
/// let sql = render_script(Dialect::Postgres, &VersionTable::default(), true, &[step])?;
/// assert!(sql.contains("BEGIN;\n\n-- Running upgrade  -> a1\n\nCREATE TABLE \"t\""));
/// assert!(sql.ends_with("COMMIT;\n\n"));
/// # Ok::<(), migrate_sql::Error>(())
/// ```
pub fn render_script(
    dialect: Dialect,
    version_table: &VersionTable,
    create_version_table: bool,
    steps: &[ScriptStep],
) -> Result<String> {
    let mut out = String::new();
    let stmt = |out: &mut String, s: &str| {
        let s = s.trim_end();
        let s = s.strip_suffix(';').unwrap_or(s).trim_end();
        out.push_str(s);
        // A `;` after a trailing `-- comment` would be part of the comment.
        if ends_in_line_comment(s) {
            out.push('\n');
        }
        out.push_str(";\n\n");
    };
    if create_version_table {
        stmt(
            &mut out,
            &version_table.create_sql(dialect, Create::Always)?,
        );
    }
    for step in steps {
        let tx = step.transactional && dialect.transactional_ddl();
        if tx {
            out.push_str("BEGIN;\n\n");
        }
        let verb = match step.direction {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        };
        // A newline in the description would end the comment and let the rest run as SQL.
        let description: String = step
            .description
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&format!("-- Running {verb} {description}\n\n"));
        for s in &step.statements {
            if !s.trim().is_empty() {
                stmt(&mut out, s);
            }
        }
        for change in &step.version_changes {
            stmt(
                &mut out,
                &version_table
                    .change_sql(dialect, change, Values::Literals)?
                    .0,
            );
        }
        if tx {
            out.push_str("COMMIT;\n\n");
        }
    }
    Ok(out)
}

/// Whether the statement's last line ends inside a `--` comment (quotes taken into account).
fn ends_in_line_comment(sql: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if comment {
            comment = c != '\n';
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') => quote = Some(c),
            None if c == '-' && chars.peek() == Some(&'-') => comment = true,
            None => {}
        }
    }
    comment
}
