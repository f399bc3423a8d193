//! `test`: the stairway on a scratch database. For each revision in upgrade order: upgrade
//! to it, downgrade exactly it, upgrade again. The first failure stops the run and is
//! reported with the revision and the phase; the scratch database is always dropped.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use migrate_core::Migrator;

use super::Ctx;
use crate::db::{self, Progress};
use migrate_core::{redact, DatabaseUrl, ScratchDatabase};

pub(crate) fn run(ctx: &Ctx<'_>, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let url = ctx.config.database_url(ctx.cli.global.url.as_deref())?;
    let scratch =
        ScratchDatabase::create(&DatabaseUrl::parse(&url)?, &crate::newrev::random_rev_id())?;
    let progress = Progress::new(ctx.quiet());
    let m = db::migrator(ctx, Some(scratch.url()), &progress)?;
    let order: Vec<String> = m
        .graph()
        .plan_upgrade(&[], "heads")?
        .steps
        .into_iter()
        .map(|s| s.revision)
        .collect();
    if !ctx.quiet() {
        writeln!(
            out,
            "Stairway over {} revisions on {}",
            order.len(),
            redact(scratch.url())
        )?;
    }
    let mut skipped = Vec::new();
    for rev in &order {
        let step = |phase: &str, r: anyhow::Result<Vec<String>>| {
            r.with_context(|| format!("stairway failed at {rev} ({phase})"))
        };
        step("upgrade", db::with_progress(&progress, || m.upgrade(rev)))?;
        let Some(target) = revert_target(&m, rev)? else {
            skipped.push(rev.clone());
            continue;
        };
        step(
            "downgrade",
            db::with_progress(&progress, || m.downgrade(&target)),
        )?;
        step(
            "upgrade again",
            db::with_progress(&progress, || m.upgrade(rev)),
        )?;
    }
    if !ctx.quiet() {
        writeln!(
            out,
            "Stairway passed: {} revisions up, down and up again",
            order.len() - skipped.len()
        )?;
        if !skipped.is_empty() {
            writeln!(
                out,
                "Not stepped down (no downgrade target reverts them alone): {}",
                skipped.join(", ")
            )?;
        }
    }
    drop(scratch);
    Ok(ExitCode::SUCCESS)
}

/// A downgrade target that reverts `rev` and nothing else, checked on the pure planner: `-1`
/// on a single row, else `rev@-1`, else one of its parents.
fn revert_target(m: &Migrator, rev: &str) -> anyhow::Result<Option<String>> {
    let rows = m.current()?;
    let graph = m.graph();
    let mut candidates = vec!["-1".to_owned(), format!("{rev}@-1")];
    if let Some(r) = graph.get(rev) {
        candidates.extend(r.down_revs.iter().cloned());
        if r.down_revs.is_empty() {
            candidates.push("base".to_owned());
        }
    }
    Ok(candidates.into_iter().find(|target| {
        graph
            .plan_downgrade(&rows, target)
            .is_ok_and(|plan| plan.steps.len() == 1 && plan.steps[0].revision == rev)
    }))
}
