//! `schema [--from-db] [--output FILE]`: Diesel's `schema.rs` for what the migrations build
//! (replayed from their recorded operations on the URL's dialect, no database), or for what
//! the database has, as `diesel print-schema` prints it.

use std::io::Write;
use std::process::ExitCode;

use super::Ctx;
use crate::cli::SchemaArgs;
use crate::db::{self, Progress};
use crate::schema_rs;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &SchemaArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.output {
        schema_rs::check_writable(path)?;
    }
    let m = db::migrator(ctx, None, &Progress::new(true))?;
    let text = if args.from_db {
        schema_rs::from_database(&m)?
    } else {
        schema_rs::from_replay(&m, !ctx.quiet())?
    };
    match &args.output {
        Some(path) => {
            if schema_rs::write_if_changed(path, &text)? && !ctx.quiet() {
                eprintln!("Writing {} ...  done", path.display());
            }
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
