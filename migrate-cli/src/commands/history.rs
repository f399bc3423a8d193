//! `history [-r START:END] [-v] [-i] [--json]`: revisions newest first.

use std::io::Write;
use std::process::ExitCode;

use super::{write_json, Ctx};
use crate::cli::HistoryArgs;
use crate::error::CliError;
use crate::output::{self, Line};
use crate::view::View;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &HistoryArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if let Some(range) = &args.rev_range {
        if !range.contains(':') {
            return Err(CliError::Command(
                "History range requires [start]:[end], [start]:, or :[end]".to_owned(),
            )
            .into());
        }
    }
    let (known, graph) = ctx.known_graph()?;
    // `current` in the range, or -i, reads the database (only reached with migrations linked).
    let current = if ctx.cli.command.needs_compiled_migrations() {
        crate::db::current_rows(ctx, &graph)?
    } else {
        Vec::new()
    };
    let mut view = View::new(&graph, &known);
    if args.indicate_current {
        view = view.with_current(&current);
    }
    let revs = graph.history(args.rev_range.as_deref().unwrap_or(":"), &current)?;
    if args.json {
        let items: Vec<_> = revs.iter().map(|r| output::json(&view.facts(r))).collect();
        write_json(out, &serde_json::Value::Array(items))?;
        return Ok(ExitCode::SUCCESS);
    }
    for rev in revs {
        let f = view.facts(rev);
        if ctx.verbose() {
            writeln!(out, "{}", output::block(&f))?;
        } else {
            writeln!(out, "{}", output::line(&f, Line::HISTORY))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
