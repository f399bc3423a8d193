//! Start-up of an application that used diesel_migrations: its `migrations/` folder stays as
//! it is and joins the revision graph; a database diesel managed is adopted once.
//!
//! ```text
//! DATABASE_URL=postgres://localhost/app cargo run -p example-from-diesel          # adopt + upgrade
//! DATABASE_URL=... cargo run -p example-from-diesel -- migrate history            # the migrate CLI
//! DATABASE_URL=... cargo run -p example-from-diesel -- migrate downgrade -1
//! ```

#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::process::ExitCode;

use migrate_core::diesel_compat::{Adopted, DieselMigrations};
use migrate_core::Migrator;

const FOLDER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

fn start(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let diesel = DieselMigrations::load(FOLDER)?;
    let migrator = Migrator::from_registry(diesel.registry(&[])?).url(url)?;
    // Once per database: later start-ups find it adopted and do nothing.
    if let Adopted::Stamped(rev) = diesel.adopt(&migrator)? {
        eprintln!("adopted the diesel-managed database at {rev}");
    }
    let applied = migrator.upgrade("heads")?;
    eprintln!("applied {} migration(s): {applied:?}", applied.len());
    eprintln!("current: {:?}", migrator.current()?);
    Ok(())
}

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "migrate") {
        // `<program> migrate <command> ...`: the CLI, with the diesel revisions linked in.
        args.remove(1);
        let diesel = match DieselMigrations::load(FOLDER) {
            Ok(diesel) => diesel,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        return match migrate_cli::run_with_source(args, &diesel) {
            Ok(code) => code,
            Err(e) => migrate_cli::report(&e),
        };
    }
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://from-diesel.db".into());
    match start(&url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
