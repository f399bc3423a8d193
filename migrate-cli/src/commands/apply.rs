//! `upgrade [TARGET] [--sql]` and `downgrade TARGET [--sql]`: one path for both directions,
//! which differ only in the plan, the library call and the JSON key.

use std::io::Write;
use std::process::ExitCode;

use migrate_graph::Direction;

use super::Ctx;
use crate::db::{self, Progress};
use crate::error::about_target;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    way: Direction,
    target: &str,
    sql: bool,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if sql {
        // For a downgrade, the library refuses a target without FROM: (Alembic's wording).
        return super::offline::run(ctx, target, matches!(way, Direction::Up), out)
            .map_err(|e| about_target(e, target));
    }
    let progress = Progress::new(ctx.quiet());
    let m = db::migrator(ctx, None, &progress)?;
    if progress.is_live() {
        // One read of the version table buys the bar and `i/N` counter on a terminal.
        let rows = m.current()?;
        let plan = match way {
            Direction::Up => m.graph().plan_upgrade(&rows, target),
            Direction::Down => m.graph().plan_downgrade(&rows, target),
        };
        if let Ok(plan) = plan {
            progress.set_total(plan.steps.len());
        }
    }
    let (key, revisions) = match way {
        Direction::Up => (
            "applied",
            db::with_progress(&progress, || m.upgrade(target))
                .map_err(|e| about_target(e, target))?,
        ),
        Direction::Down => (
            "reverted",
            db::with_progress(&progress, || m.downgrade(target))
                .map_err(|e| about_target(e, target))?,
        ),
    };
    if json {
        super::write_json(out, &serde_json::json!({ key: revisions }))?;
    }
    Ok(ExitCode::SUCCESS)
}
