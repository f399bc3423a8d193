//! `check [--no-drift]`: the CI gate. The linked graph is sound (checked when the migrator is
//! built), the database is at head, no applied migration was edited since it was applied, and
//! (unless `--no-drift`) the database's schema is what its migrations build; with
//! `diesel_schema` set, that file is what `migrate schema --from-db` prints (else the diff is
//! printed and the check fails, exit 3).

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
