//! `check [--no-drift]`: the CI gate. The linked graph is sound (checked when the migrator is
//! built), the database is at head, no applied migration was edited since it was applied, and
//! (unless `--no-drift`) the database's schema is what its migrations build; with
//! `diesel_schema` set, that file is what `migrate schema --from-db` prints (else the diff is
//! printed and the check fails, exit 3), and what it says that the database lacks fails the
//! check with exit 10 (a migration to write: `revision --autogenerate`). The pending migrations
//! are linted first (`migrate lint`'s findings, printed above the verdict): whatever is pending
//! fails the check anyway, and the findings say what applying it would do to the running system.

use std::io::Write;
use std::process::ExitCode;

use migrate_core::Migrator;

use super::Ctx;
use crate::cli::CheckArgs;
use crate::db::{self, Progress};

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let m = db::migrator(ctx, None, &Progress::new(ctx.quiet()))?.drift_check(!args.no_drift);
    lint_pending(ctx, &m, out)?;
    let status = m.check()?;
    if let Some(path) = &ctx.config.diesel_schema {
        // What schema.rs says that the database lacks is a migration to write; a file that
        // only reads differently is stale.
        if let Ok(file) = crate::autogen::read(path) {
            let actual = crate::autogen::live(&m, &file)?;
            let options = crate::autogen::options(ctx, false)?;
            let plan = crate::autogen::plan(path, &file, &actual, &options)?;
            if !plan.is_empty() {
                return Err(crate::CliError::SchemaChanges {
                    path: path.clone(),
                    changes: plan.summary(),
                }
                .into());
            }
        }
        if let Some(diff) = crate::schema_rs::stale(&m, path)? {
            out.write_all(diff.as_bytes())?;
            out.flush()?;
            return Err(crate::CliError::SchemaStale { path: path.clone() }.into());
        }
    }
    if !ctx.quiet() {
        let heads = if status.heads.is_empty() {
            "base".to_owned()
        } else {
            status.heads.join(", ")
        };
        writeln!(
            out,
            "OK: {} migrations, database at head ({heads}), no applied migration edited",
            m.registry().migrations().len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate lint` over what `upgrade heads` would apply, printed (nothing when none is
/// pending, or when the version table can't be read: the check itself reports that).
fn lint_pending(ctx: &Ctx<'_>, m: &Migrator, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(url) = m.database() else {
        return Ok(());
    };
    let Ok(status) = m.status() else {
        return Ok(());
    };
    if status.pending.is_empty() {
        return Ok(());
    }
    // A migration that can't be recorded offline must not hide the check's own verdict.
    let findings =
        match crate::lints::lint_revisions(ctx, m, url.dialect(), &status.current, &status.pending)
        {
            Ok(f) => f,
            Err(e) => {
                eprintln!("warning: the pending migrations were not linted: {e:#}");
                return Ok(());
            }
        };
    crate::lints::write_text(out, &findings)?;
    if !findings.is_empty() && !ctx.quiet() {
        let (errors, warnings) = crate::lints::counts(&findings);
        writeln!(
            out,
            "lint: {errors} error(s), {warnings} warning(s) in the {} pending migration(s)",
            status.pending.len()
        )?;
    }
    Ok(())
}
