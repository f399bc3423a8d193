//! `check [--no-drift]`: the CI gate. The linked graph is sound (checked when the migrator is
//! built), the database is at head, no applied migration was edited since it was applied, and
//! (unless `--no-drift`) the database's schema is what its migrations build; with
//! `diesel_schema` set, that file is what `migrate schema --from-db` prints (else the diff is
//! printed and the check fails, exit 3), and what it says that the database lacks fails the
//! check with exit 10 (a migration to write: `revision --autogenerate`).

use std::io::Write;
use std::process::ExitCode;

use super::Ctx;
use crate::cli::CheckArgs;
use crate::db::{self, Progress};

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let m = db::migrator(ctx, None, &Progress::new(ctx.quiet()))?.drift_check(!args.no_drift);
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
