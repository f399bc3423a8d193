//! `branches [-v] [--json]`: every branch point and the branches leaving it.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;

use super::{write_json, Ctx};
use crate::cli::JsonArg;
use crate::output::{self, Line};
use crate::view::View;

pub(crate) fn run(ctx: &Ctx<'_>, args: &JsonArg, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (known, graph) = ctx.known_graph()?;
    let view = View::new(&graph, &known);
    // Newest first, as Alembic walks them.
    let order = graph.history(":", &[])?;
    let mut items = Vec::new();
    for rev in order {
        let f = view.facts(rev);
        if !f.is_branch_point() {
            continue;
        }
        if args.json {
            let children: Vec<_> = f
                .children
                .iter()
                .filter_map(|c| view.facts_of(c))
                .map(|c| output::json(&c))
                .collect();
            items.push(json!({ "branchpoint": output::json(&f), "branches": children }));
            continue;
        }
        // `<rev> (branchpoint)` (or its verbose block), one ` -> <child>` line per child under
        // it, indented by the id's width, then a blank line.
        let head = if ctx.verbose() {
            output::block(&f)
        } else {
            output::line(&f, Line::BRANCHES)
        };
        writeln!(out, "{head}")?;
        let pad = " ".repeat(f.rev.id.chars().count());
        for child in f.children.iter().filter_map(|c| view.facts_of(c)) {
            let mut how = Line::BRANCHES;
            how.doc = ctx.verbose();
            writeln!(out, "{pad} -> {}", output::line(&child, how))?;
        }
        writeln!(out)?;
    }
    if args.json {
        write_json(out, &serde_json::Value::Array(items))?;
    }
    Ok(ExitCode::SUCCESS)
}
