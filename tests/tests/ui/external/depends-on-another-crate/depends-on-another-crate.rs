//! `auth` is a branch label another crate defines: declared through
//! `MIGRATE_EXTERNAL_REVISIONS` (which compiletest.rs sets for this case, as a build.rs would
//! with `cargo:rustc-env`), the compile-time check accepts the reference.

// Makes cargo rebuild this case when the variable changes (rustc records `env!` uses).
const _: &str = env!("MIGRATE_EXTERNAL_REVISIONS");

migrate_core::migrations!();

fn main() {
    assert_eq!(MIGRATIONS.migrations[0].depends_on, ["auth"]);
}
