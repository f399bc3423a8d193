//! `merge REVISIONS... -m MSG [--branch-label L] [--rev-id ID] [--splice]`.

use std::io::Write;
use std::process::ExitCode;

use super::revision::{create, pick_rev_id, resolve_parents};
use super::{build_graph, Ctx};
use crate::cli::MergeArgs;
use crate::newrev::NewMigration;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &MergeArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let rev = pick_rev_id(args.rev_id.as_deref())?;
    let mut known = ctx.known_from_sources()?;
    let graph = build_graph(&mut known)?;
    // Parents in argument order; `heads` expands to the real heads in map order.
    let down_revs = resolve_parents(&graph, &args.revisions, args.splice)?;
    let new = NewMigration {
        rev,
        message: args.message.clone(),
        down_revs,
        branch_labels: args.branch_label.clone(),
        depends_on: Vec::new(),
        body: None,
        no_downgrade: None,
    };
    create(ctx, &known, &graph, &new, out)?;
    Ok(ExitCode::SUCCESS)
}
