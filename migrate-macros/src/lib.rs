//! Internal to `migrate` (semver exempt): the `#[migration]` attribute and the `migrations!`
//! chain check. Use them through `migrate_core`, which re-exports both.
//!
//! Both macros read the crate's versions folder with `migrate-source` (the parser the CLI
//! uses) and check it with `migrate-graph` (the rules the runtime applies at start-up): one
//! code path, so `cargo build` rejects exactly what `migrate check` and start-up would.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod ast;
mod cache;
mod chain;
mod expand;
mod external;
mod fallback;
mod item;
mod migrations;
mod names;
mod source;
mod valid;

#[cfg(test)]
mod tests;

/// Declares a migration: `#[migration(rev = "...", down_rev = "...")]` on
/// `fn name(op: &mut Op) -> Result<()>`.
///
/// Keys: `rev` (required), `down_rev` (a string, `["a", "b"]` for a merge, `None` or omitted
/// for a root), `branch_labels = [..]`, `depends_on = [..]`, `downgrade = path::to::fn`,
/// `transactional = false`, `message = ".."` (defaults to the doc comment),
/// `crate = path` (defaults to `::migrate_core`), and `allow_lint = ["drop-column"]` with
/// `allow_lint_reason = ".."` (the `migrate lint` rules this migration may break, and why;
/// one without the other is an error), `table_lock_timeout = "2s"` and
/// `statement_timeout = "30s"` (this migration's limits, over migrate.toml's).
///
/// Besides the arguments and the signature, the attribute checks the revision graph of the
/// folder its file is in, and reports an unknown `down_rev`/`depends_on`, a duplicate `rev`,
/// a cycle, a duplicate branch label or a malformed id on the offending token.
///
/// # Revisions of another crate
///
/// The check sees only this crate's folder. To `depends_on` (or branch from) a revision or
/// branch label that a linked library crate ships, name it in the crate's `build.rs` so the
/// check treats it as satisfied (the start-up check over every linked crate still requires it):
///
/// ```text
/// println!("cargo:rustc-env=MIGRATE_EXTERNAL_REVISIONS=auth,billing");
/// ```
///
/// # Expansion
///
/// The fn, as written but for two things: a private fn becomes `pub(crate)` (so the crate's
/// `MIGRATIONS` table, written by `migrations!()`, can name it), and a fn whose signature is
/// spelled other than `(op: &mut Op) -> Result<()>` gets one no-op statement first in its
/// body, `signature(name)`, spanned on its name, so a type error lands on the user's fn. With
/// `downgrade = path`, a hidden `pub(crate) fn __migrate_downgrade_of_<fn>` calls that fn
/// (the table's entry for it), spanned on the path.
///
/// Nothing else: the migration's metadata (ids, message, checksums, keys) is not generated
/// here but by `migrations!()`, one table for the crate, read from the files with
/// `migrate_source` (so the checksum is the one the CLI computes). An item per migration
/// costs `cargo check` about as much as the migration itself; one table costs a fraction.
/// A `#[migration]` outside a folder that `migrations!()` reads is checked and otherwise an
/// ordinary fn.
///
/// The checksum (`v2:...`, see `migrate_source::checksum`) covers the fn and, with
/// `downgrade = name` naming a fn of the same file, that fn; `legacy_checksum` is the previous
/// scheme's value, which older history rows hold.
#[proc_macro_attribute]
pub fn migration(args: TokenStream, item: TokenStream) -> TokenStream {
    let here = source::Source::of_call_site();
    expand::migration(args.into(), item.into(), here.as_ref()).into()
}

/// Declares every migration file of the versions folder as a module and checks the chain.
///
/// Write it once, in the migrations crate's `lib.rs`:
///
/// ```ignore
/// migrate_core::migrations!();                    // the `versions` folder beside this file
/// migrate_core::migrations!("src/versions");      // or a path relative to Cargo.toml
/// migrate_core::migrations!(allow_multiple_heads); // deliberately parallel, unlabelled branches
/// ```
///
/// It expands to one `#[path = "..."] mod <file stem>;` per `*.rs` file of the folder (sorted
/// by name) — adding a migration is adding a file, there is no list to edit — and to
/// `pub static MIGRATIONS: ::migrate_core::MigrationSet`, every migration of the crate (one
/// row per `#[migration]` fn: its keys, read from the file, and the fn itself), which the
/// runtime takes so the linker can never drop one. `MIGRATIONS` is also registered with
/// `inventory`, once for the crate, so that `migrate_core::Linked` finds it in any program
/// that links the crate.
///
/// Each `#[migration]` fn must sit at the top level of its file (not in an inner `mod`), and
/// the files must not also be declared with a `mod` of your own.
///
/// It fails the build when the folder does not exist, or when the graph has more than one
/// head that is not on a labelled branch (unless `allow_multiple_heads` is given): create a
/// merge with `migrate merge heads`.
///
/// # Automatic rebuilds
///
/// Cargo rebuilds the crate when a migration file *changes*, but it cannot know that a *new*
/// file appeared in the folder. Add a `build.rs` (`migrate init` writes this one) so a new
/// file re-runs the checks:
///
/// ```text
/// // build.rs
/// fn main() {
///     println!("cargo:rerun-if-changed=src/versions");
/// }
/// ```
#[proc_macro]
pub fn migrations(input: TokenStream) -> TokenStream {
    let here = source::Source::of_call_site();
    migrations::expand(input.into(), here.as_ref()).into()
}
