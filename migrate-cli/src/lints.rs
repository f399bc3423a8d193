//! Running `migrate-lint`'s rules over linked migrations: what `migrate lint` prints and what
//! `migrate check` shows for the pending migrations.
//!
//! Each migration's upgrade is recorded for the URL's dialect (no database; the same
//! operations `upgrade --sql` renders) and linted against the schema the migrations before it
//! build (their replay), so a rule knows which tables existed and which the migration made.

use std::io::Write;
use std::path::Path;

use migrate_core::schema::Rules;
use migrate_core::sql::Dialect;
use migrate_core::Migrator;
use migrate_lint::{DieselColumns, Finding, MigrationInput, Severity};
use serde_json::json;

use crate::commands::Ctx;
use crate::sources::Locations;

/// Lint `revisions` (in upgrade order, starting from the version rows `start`) on `dialect`.
pub(crate) fn lint_revisions(
    ctx: &Ctx<'_>,
    m: &Migrator,
    dialect: Dialect,
    start: &[String],
    revisions: &[String],
) -> anyhow::Result<Vec<Finding>> {
    let mut schema = m.replay(start, Rules::new(dialect))?;
    let locations = locations(ctx);
    let diesel = diesel_columns(ctx);
    let mut findings = Vec::new();
    for rev in revisions {
        let ops = m.record(rev, true, dialect)?;
        let migration = m.registry().get(rev);
        let (file, line) = match (locations.get(rev), migration) {
            (Some((file, line)), _) => (shown(file), line),
            (None, Some(mg)) => (mg.source_file().to_owned(), mg.line()),
            (None, None) => (String::new(), 0),
        };
        let allow: Vec<String> = migration
            .map(|mg| mg.allow_lint().iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        migrate_lint::check_allowance(&allow, rev)?;
        let input = MigrationInput {
            revision: rev,
            file,
            line,
            ops: &ops,
            transactional: migration.is_none_or(|mg| mg.transactional()),
            allow,
        };
        findings.extend(migrate_lint::lint(
            &schema,
            &input,
            &ctx.config.lint,
            diesel.as_ref(),
        ));
        for op in &ops {
            // What the model can't follow only makes later rules know less.
            let _ = schema.apply(op);
        }
    }
    Ok(findings)
}

/// Where each revision is written: the migrations crate's sources when they are here (the
/// runner runs in the project), else what the linked migration says (`file!()`).
fn locations(ctx: &Ctx<'_>) -> Locations {
    ctx.known_from_sources()
        .map(|k| k.locations)
        .unwrap_or_default()
}

/// `path` relative to the current directory when it is under it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The columns of Diesel's `schema.rs` (`diesel_schema`), when it is set and readable.
fn diesel_columns(ctx: &Ctx<'_>) -> Option<DieselColumns> {
    let path = ctx.config.diesel_schema.as_ref()?;
    let text = std::fs::read_to_string(path).ok()?;
    DieselColumns::parse(&text)
}

/// How many errors and warnings.
pub(crate) fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

/// One line per finding.
pub(crate) fn write_text(out: &mut dyn Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        writeln!(out, "{f}")?;
    }
    Ok(())
}

/// The findings as one JSON document: `{"findings": [...], "errors": n, "warnings": n}`.
pub(crate) fn to_json(findings: &[Finding]) -> serde_json::Value {
    let (errors, warnings) = counts(findings);
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            json!({
                "revision": f.revision,
                "file": f.file,
                "line": f.line,
                "rule": f.rule,
                "severity": f.severity.name(),
                "operation": f.operation,
                "message": f.message,
                "fix": f.fix,
            })
        })
        .collect();
    json!({ "findings": list, "errors": errors, "warnings": warnings })
}
