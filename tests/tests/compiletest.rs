//! The compile-time checks of `#[migration]` and `migrations!()`, one case per rule.
//!
//! The graph check reads the folder the attribute's file is in, so every case is a folder of
//! its own: `ui/<fail|pass>/<case>/<case>.rs`, with its migrations in that file or in a
//! `versions/` folder beside it (read by `migrations!()`).
//!
//! # What runs on which toolchain
//!
//! Nothing is skipped on any toolchain; what differs is how much of a compile-fail case's
//! output is compared.
//!
//! - The pass cases (and the external ones) build and run everywhere: nothing in them
//!   depends on the compiler's wording.
//! - On rustc 1.95, the toolchain the `.stderr` snapshots were blessed with, each fail case's
//!   whole output must equal its snapshot (trybuild), carets and notes included.
//! - On any other rustc, the snapshots can't be held to rustc's layout, which changes between
//!   releases, and trybuild has no partial comparison. So the fail cases are copied (without
//!   their `.stderr`) into the target's temporary folder, trybuild writes their actual output
//!   there, and each case must (a) fail to compile, which trybuild checks, and (b) report as
//!   its first error the one its snapshot starts with: for our macros' errors (`error: ...`)
//!   the whole line, their own wording; for a diagnostic of rustc's (`error[E0308]: ...`)
//!   its code. A notice on stderr says which check ran.
//!
//! `MIGRATE_UI=snapshots` compares whole snapshots on any toolchain (to re-bless on a new
//! one); `MIGRATE_UI=first-lines` runs the portable check on 1.95 too, which is how that
//! mode is itself tested. Re-bless: `TRYBUILD=overwrite cargo test -p migrate-tests --test
//! compiletest`, then read every changed `.stderr`.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Whether this is the toolchain the `.stderr` snapshots were blessed with.
#[rustversion::stable(1.95)]
const BLESSED: bool = true;
#[rustversion::not(stable(1.95))]
const BLESSED: bool = false;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// trybuild compares every fail case's whole output with its `.stderr`.
    Snapshots,
    /// Every fail case fails, with the first error its `.stderr` starts with.
    FirstLines,
}

fn mode() -> Mode {
    match std::env::var("MIGRATE_UI").as_deref() {
        Err(std::env::VarError::NotPresent) | Ok("") if BLESSED => Mode::Snapshots,
        Err(std::env::VarError::NotPresent) | Ok("") => Mode::FirstLines,
        Ok("snapshots") => Mode::Snapshots,
        Ok("first-lines") => Mode::FirstLines,
        other => panic!("MIGRATE_UI must be `snapshots` or `first-lines`, not {other:?}"),
    }
}

#[test]
fn ui() {
    comparison_rules_hold();
    let mode = mode();
    if mode == Mode::FirstLines {
        // Straight to the process's stderr: the test harness captures `eprintln!`, and this
        // must be seen on a passing run too.
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTE (migrate-tests compiletest): {}; the compile-fail cases are checked by their \
             first error line only, not their whole .stderr. Run on rustc 1.95 for the full \
             comparison.\n",
            if BLESSED {
                "MIGRATE_UI=first-lines"
            } else {
                "this rustc is not 1.95, the toolchain the .stderr snapshots were blessed with"
            }
        );
    }

    let t = trybuild::TestCases::new();
    if mode == Mode::Snapshots {
        t.compile_fail("tests/ui/fail/*/*.rs");
    }
    t.pass("tests/ui/pass/*/*.rs");
    // Runs the cases now (trybuild runs them on drop), before the environment changes.
    drop(t);

    if mode == Mode::FirstLines {
        first_lines();
    }

    // Revisions another crate defines, as a build.rs declares them with `cargo:rustc-env`.
    // The only test in this binary, so no other thread reads the environment meanwhile.
    std::env::set_var("MIGRATE_EXTERNAL_REVISIONS", "auth");
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/external/*/*.rs");
    drop(t);
    std::env::remove_var("MIGRATE_EXTERNAL_REVISIONS");
}

/// The portable check of the fail cases (see the module docs).
fn first_lines() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let blessed = manifest_dir.join("tests/ui");
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ui-first-lines");
    if copy.exists() {
        or_die(fs::remove_dir_all(&copy), &copy);
    }
    copy_without_stderr(&blessed.join("fail"), &copy.join("fail"));

    // trybuild writes each case's actual output next to the copied case, and still fails a
    // case that compiles.
    let previous = std::env::var_os("TRYBUILD");
    std::env::set_var("TRYBUILD", "overwrite");
    let t = trybuild::TestCases::new();
    t.compile_fail(copy.join("fail/*/*.rs"));
    drop(t);
    match previous {
        Some(value) => std::env::set_var("TRYBUILD", value),
        None => std::env::remove_var("TRYBUILD"),
    }

    // Paths in messages name the copy; put them back where the blessed files are, in the
    // forms trybuild writes a path outside the crate in.
    let mut copies = vec![(copy.display().to_string(), "$DIR/tests/ui".to_owned())];
    if let Some(workspace) = manifest_dir.parent() {
        if let Ok(inside) = copy.strip_prefix(workspace) {
            copies.push((
                format!("$WORKSPACE/{}", inside.display()),
                "$DIR/tests/ui".to_owned(),
            ));
        }
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases(&blessed.join("fail")) {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stderr = case.join(format!("{name}.stderr"));
        let expected = first_error(&or_die(fs::read_to_string(&stderr), &stderr))
            .unwrap_or_else(|| panic!("{name}.stderr has no error line"))
            .to_owned();
        let written = copy.join("fail").join(&name).join(format!("{name}.stderr"));
        let actual = fs::read_to_string(&written).unwrap_or_default();
        let actual = copies
            .iter()
            .fold(actual, |text, (from, to)| text.replace(from.as_str(), to));
        let actual = first_error(&actual).unwrap_or("(no error line)");
        if !same_error(&expected, actual) {
            failures.push(format!(
                "{name}:\n  blessed: {expected}\n  now:     {actual}"
            ));
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no compile-fail case found in {}",
        blessed.display()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} compile-fail cases start with another error than their .stderr:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The first line of a compiler output that starts an error.
fn first_error(output: &str) -> Option<&str> {
    output.lines().find(|line| line.starts_with("error"))
}

/// Our messages must match word for word; a rustc diagnostic by its code.
fn same_error(expected: &str, actual: &str) -> bool {
    match expected.strip_prefix("error[") {
        Some(rest) => {
            let code = &rest[..rest.find(']').unwrap_or(rest.len())];
            actual.starts_with(&format!("error[{code}]"))
        }
        None => expected == actual,
    }
}

/// The case folders under `dir`, sorted.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = or_die(fs::read_dir(dir), dir)
        .map(|e| or_die(e, dir).path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn copy_without_stderr(from: &Path, to: &Path) {
    or_die(fs::create_dir_all(to), to);
    for entry in or_die(fs::read_dir(from), from) {
        let path = or_die(entry, from).path();
        let Some(name) = path.file_name() else {
            continue;
        };
        let target = to.join(name);
        if path.is_dir() {
            copy_without_stderr(&path, &target);
        } else if path.extension().is_none_or(|e| e != "stderr") {
            or_die(fs::copy(&path, &target), &target);
        }
    }
}

/// The value, or a panic naming the file (this is a test: an I/O failure fails it).
fn or_die<T>(result: std::io::Result<T>, path: &Path) -> T {
    result.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The comparison rules themselves (run inside `ui`: a second test in this binary would run
/// on another thread while `ui` changes the environment).
fn comparison_rules_hold() {
    assert!(same_error(
        "error: duplicate `rev` argument",
        "error: duplicate `rev` argument"
    ));
    assert!(!same_error(
        "error: duplicate `rev` argument",
        "error: duplicate `down_rev` argument"
    ));
    assert!(same_error(
        "error[E0308]: mismatched types",
        "error[E0308]: types differ"
    ));
    assert!(!same_error(
        "error[E0308]: mismatched types",
        "error[E0277]: mismatched types"
    ));
    assert!(!same_error(
        "error[E0308]: mismatched types",
        "(no error line)"
    ));
    assert_eq!(
        first_error("warning: x\n --> a.rs\nerror: the one\nerror: next"),
        Some("error: the one")
    );
}
