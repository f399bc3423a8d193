//! The `migrate` binary: Alembic's commands over compiled Rust migrations.
//!
//! Everything lives in the `migrate_cli` library so an application can embed the same
//! commands (`myapp migrate ...`) with `migrate_cli::main_with`. This binary has no
//! migrations linked: database commands run the migrations crate's own binary (built with
//! cargo unless nothing changed), and graph commands show the graph that binary links.
//!
//! Exit codes: 0 ok, 1 error, 2 usage, 3 not at head / check failed (a stale schema.rs too),
//! 4 lock timeout, 5 bad configuration or URL (a schema.rs that can't be written too), 6 can't
//! connect, 7 the version table can't be used (an unknown revision, a non-text column), 8 an
//! interrupted MySQL migration needs a decision, 10 schema.rs has changes no migration carries
//! (the table in the `migrate_cli` docs and the README).

#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match migrate_cli::run(std::env::args_os(), &[]) {
        Ok(code) => code,
        // Prints `error: <chain>` once, a `hint:` line when there is one, and maps the
        // error to its documented exit code (a closed stdout pipe is a success).
        Err(err) => migrate_cli::report(&err),
    }
}
