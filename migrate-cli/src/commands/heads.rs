//! `heads [-v] [--resolve-dependencies] [--json]`: the head revisions.

use std::io::Write;
use std::process::ExitCode;

use super::{write_json, Ctx};
use crate::cli::HeadsArgs;
use crate::output::{self, Line};
use crate::view::View;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &HeadsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (known, graph) = ctx.known_graph()?;
    let view = View::new(&graph, &known);
    // Versioned heads (effective heads included), or the real heads with
    // --resolve-dependencies, as Alembic's `heads`.
    let ids = if args.resolve_dependencies {
        graph.real_heads()
    } else {
        graph.heads()
    };
    let facts = ids.iter().filter_map(|id| view.facts_of(id));
    if args.json {
        let items: Vec<_> = facts.map(|f| output::json(&f)).collect();
        write_json(out, &serde_json::Value::Array(items))?;
    } else {
        for f in facts {
            if ctx.verbose() {
                writeln!(out, "{}", output::block(&f))?;
            } else {
                writeln!(out, "{}", output::line(&f, Line::HEADS))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
