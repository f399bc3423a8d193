//! `revision --autogenerate -m MSG [--schema FILE] [--drop-missing-tables] [--sql] [--offline]`:
//! a new migration whose operations take the database (at head) to Diesel's `schema.rs`, as
//! Alembic's `revision --autogenerate` does from the models
//! (<https://alembic.sqlalchemy.org/en/latest/autogenerate.html>).

use std::io::Write;
use std::process::ExitCode;

use migrate_core::schema::autogen::Plan;
use migrate_core::sql::Dialect;

use super::revision::{create, pick_rev_id, resolve_depends_on, resolve_parents};
use super::{build_graph, Ctx};
use crate::autogen;
use crate::cli::RevisionArgs;
use crate::db::{self, Progress};
use crate::newrev::NewMigration;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &RevisionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    // Every argument and file is checked before the database is read.
    let path = autogen::schema_path(ctx, args.schema.as_deref())?;
    let file = autogen::read(&path)?;
    let options = autogen::options(ctx, args.drop_missing_tables)?;
    let rev = pick_rev_id(args.rev_id.as_deref())?;
    let mut known = ctx.known_from_sources()?;
    let graph = build_graph(&mut known)?;
    let down_revs = resolve_parents(&graph, std::slice::from_ref(&args.head), args.splice)?;
    let depends_on = resolve_depends_on(&graph, &args.depends_on)?;

    let m = db::migrator(ctx, None, &Progress::new(true))?;
    let actual = if args.offline {
        autogen::offline(&m)?
    } else {
        autogen::live(&m, &file)?
    };
    let plan = autogen::plan(&path, &file, &actual, &options)?;
    if !ctx.quiet() {
        for note in &plan.notes {
            eprintln!("note: {note}");
        }
    }
    if plan.is_empty() {
        writeln!(out, "No changes detected")?;
        return Ok(ExitCode::SUCCESS);
    }
    if !ctx.quiet() {
        for line in plan.summary() {
            eprintln!("Detected {line}");
        }
    }
    let ops = plan.operations();
    if args.sql {
        out.write_all(sql(&plan, actual.dialect()).as_bytes())?;
        lint(ctx, &actual, &rev, ops.as_slice(), None);
        return Ok(ExitCode::SUCCESS);
    }
    // Every operation autogenerate writes carries its reversal; should one not, the file
    // says so and has a downgrade to fill in.
    let no_downgrade = migrate_core::sql::reverse_all(ops.as_slice())
        .err()
        .map(|e| e.to_string());
    let new = NewMigration {
        rev: rev.clone(),
        message: args.message.clone(),
        down_revs,
        branch_labels: args.branch_label.clone(),
        depends_on,
        body: Some(plan.rust()),
        no_downgrade,
    };
    let path = create(ctx, &known, &graph, &new, out)?;
    lint(ctx, &actual, &rev, ops.as_slice(), Some(&path));
    Ok(ExitCode::SUCCESS)
}

/// `migrate lint`'s rules over what was generated, against the database it was compared
/// with: the findings go to stderr (the file is written either way, for review).
fn lint(
    ctx: &Ctx<'_>,
    actual: &migrate_core::schema::Schema,
    rev: &str,
    ops: &[migrate_core::sql::Operation],
    file: Option<&std::path::Path>,
) {
    let mut input = migrate_lint::MigrationInput::new(rev, ops);
    if let Some(path) = file {
        input.file = path.display().to_string();
        // The attribute's line, as `migrate lint` points at it.
        input.line = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.lines().position(|l| l.starts_with("#[migration(")))
            .map_or(0, |i| u32::try_from(i + 1).unwrap_or(0));
    }
    for finding in migrate_lint::lint(actual, &input, &ctx.config.lint, None) {
        eprintln!("{finding}");
    }
}

/// The plan's SQL, each hazard as a `-- REVIEW:` line; what a script can't carry (SQLite's
/// table rebuild, an enum whose values schema.rs does not list) is a comment saying so.
fn sql(plan: &Plan, dialect: Dialect) -> String {
    let mut s = String::new();
    for e in &plan.new_enums {
        s.push_str(&format!(
            "-- REVIEW: enum type {e}: schema.rs does not list its values; write the migration (without --sql) and fill them in\n"
        ));
    }
    for step in &plan.steps {
        if let Some(r) = &step.review {
            s.push_str(&format!("-- REVIEW: {}\n", r.replace(['\n', '\r'], " ")));
        }
        match step.operation.render(dialect) {
            Ok(statements) => {
                for st in statements {
                    s.push_str(&st);
                    s.push_str(";\n");
                }
            }
            Err(migrate_core::sql::Error::NeedsRebuild { .. }) => s.push_str(&format!(
                "-- {}: needs SQLite's table rebuild, which reads the table from the database; write the migration (without --sql) and run it\n",
                step.summary
            )),
            Err(e) => s.push_str(&format!("-- {}: {}\n", step.summary, e.to_string().replace('\n', " "))),
        }
        s.push('\n');
    }
    s
}
