//! `upgrade [TARGET] [--sql]` and `downgrade TARGET [--sql]`: one path for both directions,
//! which differ only in the plan, the library call and the JSON key. With `diesel_schema` set,
//! both rewrite Diesel's `schema.rs` afterwards (not with `--sql`), after making sure first,
//! before anything runs, that the file can be written.

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
    // A schema.rs that can't be written is refused before anything runs.
    if let Some(path) = &ctx.config.diesel_schema {
        crate::schema_rs::check_writable(path)?;
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
    if let Some(path) = &ctx.config.diesel_schema {
        // As diesel_cli's `migration run` does: print-schema of the migrated database.
        crate::schema_rs::rewrite(&m, path, ctx.quiet())?;
    }
    if json {
        super::write_json(out, &serde_json::json!({ key: revisions }))?;
    }
    Ok(ExitCode::SUCCESS)
}
