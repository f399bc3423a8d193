//! `current [-v] [--check-heads] [--json]`: the database's current revisions. Read-only.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use super::Ctx;
use crate::cli::CurrentArgs;
use crate::db::{self, Progress};
use crate::error::CliError;
use crate::output::{self, Line};
use crate::view::View;
use migrate_core::redact;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &CurrentArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (known, graph) = ctx.known_graph()?;
    let url = ctx.config.database_url(ctx.cli.global.url.as_deref())?;
    let m = db::migrator(ctx, Some(&url), &Progress::new(true))?;
    let rows = m.current()?;
    if let Some(unknown) = rows.iter().find(|r| graph.get(r).is_none()) {
        return Err(migrate_core::Error::UnknownRevision {
            rev: unknown.clone(),
            table: ctx.config.version_table.clone(),
        }
        .into());
    }
    if ctx.verbose() && !args.json {
        writeln!(out, "Current revision(s) for {}:", redact(&url))?;
    }
    // Alembic compares the rows with the versioned heads (effective heads included).
    if args.check_heads {
        let have: HashSet<&str> = rows.iter().map(String::as_str).collect();
        let want: HashSet<&str> = graph.heads().into_iter().collect();
        if have != want {
            return Err(
                CliError::NotAtHead("Database is not on all head revisions".to_owned()).into(),
            );
        }
    }
    let tips = graph.current_tips(&rows)?;
    let view = View::new(&graph, &known);
    let facts = tips.iter().filter_map(|id| view.facts_of(id));
    if args.json {
        let status = m.status()?;
        let items: Vec<_> = facts.map(|f| output::json(&f)).collect();
        super::write_json(
            out,
            &serde_json::json!({
                "url": redact(&url),
                "rows": rows,
                "current": items,
                "heads": status.heads,
                "pending": status.pending,
            }),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for f in facts {
        if ctx.verbose() {
            writeln!(out, "{}", output::block(&f))?;
        } else {
            writeln!(out, "{}", output::line(&f, Line::CURRENT))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
