//! `stamp REVISIONS... [--purge] [--sql]`: set the version rows without running migrations.

use std::io::Write;
use std::process::ExitCode;

use super::Ctx;
use crate::cli::StampArgs;
use crate::db::{self, Progress};
use crate::error::CliError;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &StampArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if args.sql {
        if args.purge {
            return Err(CliError::Command("Can't use --purge with --sql mode".to_owned()).into());
        }
        return super::offline::stamp(ctx, &args.revisions, out);
    }
    let progress = Progress::new(ctx.quiet());
    let m = db::migrator(ctx, None, &progress)?;
    let targets: Vec<&str> = args.revisions.iter().map(String::as_str).collect();
    db::with_progress(&progress, || m.stamp(&targets, args.purge))?;
    Ok(ExitCode::SUCCESS)
}
