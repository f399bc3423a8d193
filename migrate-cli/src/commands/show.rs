//! `show REV [--json]`: the verbose block of the revision(s) REV resolves to.

use std::io::Write;
use std::process::ExitCode;

use super::{write_json, Ctx};
use crate::cli::ShowArgs;
use crate::output;
use crate::view::View;

pub(crate) fn run(ctx: &Ctx<'_>, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (known, graph) = ctx.known_graph()?;
    let ids = if args.rev == "current" {
        crate::db::current_rows(ctx, &graph)?
    } else {
        // `base` resolves to nothing and prints nothing, as in Alembic.
        graph
            .resolve(&args.rev, &[])
            .map_err(|e| crate::error::about_target(e.into(), &args.rev))?
    };
    let view = View::new(&graph, &known);
    let facts = ids.iter().filter_map(|id| view.facts_of(id));
    if args.json {
        let items: Vec<_> = facts.map(|f| output::json(&f)).collect();
        write_json(out, &serde_json::Value::Array(items))?;
    } else {
        for f in facts {
            writeln!(out, "{}", output::block(&f))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
