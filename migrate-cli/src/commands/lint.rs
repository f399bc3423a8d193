//! `lint [RANGE] [--all] [--offline] [--json] [--rules]`: every rule of `migrate-lint` over
//! the migrations' recorded operations on the URL's dialect, one finding per line (or JSON);
//! exit 9 when one is an error.
//!
//! Without RANGE it lints what `upgrade heads` would apply (reading the database's version
//! rows); `--all` lints everything; `--offline` opens no database (RANGE then starts at base,
//! and without one every migration is linted).

use std::io::Write;
use std::process::ExitCode;

use migrate_core::DatabaseUrl;

use super::{write_json, Ctx};
use crate::cli::LintArgs;
use crate::db::{self, Progress};
use crate::error::CliError;
use crate::lints;

pub(crate) fn run(ctx: &Ctx<'_>, args: &LintArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.rules {
        return list_rules(out);
    }
    let url = ctx.config.database_url(ctx.cli.global.url.as_deref())?;
    let dialect = DatabaseUrl::parse(&url)?.dialect();
    let m = db::migrator(ctx, Some(&url), &Progress::new(true))?;
    let (start, end) = match (&args.range, args.all || args.offline) {
        (Some(range), _) => {
            let (start, end) = match range.split_once(':') {
                Some((s, e)) => (m.graph().resolve_start(s)?, e.to_owned()),
                None if args.offline => (Vec::new(), range.clone()),
                None => (m.current()?, range.clone()),
            };
            (start, end)
        }
        (None, true) => (Vec::new(), "heads".to_owned()),
        (None, false) => (m.current()?, "heads".to_owned()),
    };
    let plan = m.graph().plan_upgrade(&start, &end)?;
    let revisions: Vec<String> = plan.steps.into_iter().map(|s| s.revision).collect();
    let findings = lints::lint_revisions(ctx, &m, dialect, &start, &revisions)?;
    if args.json {
        write_json(out, &lints::to_json(&findings))?;
    } else {
        lints::write_text(out, &findings)?;
    }
    out.flush()?;
    let (errors, warnings) = lints::counts(&findings);
    if errors > 0 {
        return Err(CliError::Lint { errors, warnings }.into());
    }
    if !ctx.quiet() && !args.json {
        eprintln!(
            "lint: {} migration(s) on {}, {warnings} warning(s), no error",
            revisions.len(),
            dialect.name()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--rules`: id, dialects, default severity and fix of every rule.
fn list_rules(out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    for r in migrate_lint::RULES {
        let dialects: Vec<&str> = r.dialects.iter().map(|d| d.name()).collect();
        writeln!(
            out,
            "{} ({}, {}, {}): {}; fix: {}",
            r.id,
            r.category.name(),
            dialects.join("/"),
            r.default.name(),
            r.summary,
            r.fix
        )?;
    }
    writeln!(
        out,
        "squawk:<rule> (postgresql): squawk's rules on raw SQL in op.execute, as warnings unless they match a rule above"
    )?;
    Ok(ExitCode::SUCCESS)
}
