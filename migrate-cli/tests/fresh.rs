//! The front end runs the migrations binary without cargo only while nothing it was built from
//! changed: an edited or added migration, or a touched `Cargo.toml`, brings cargo back, and the
//! change is seen. `CARGO=/bin/false` is a cargo that always fails: a command that succeeds
//! with it did not need cargo.

use std::path::Path;

use crate::util::Project;

fn migration(rev: &str, down: Option<&str>, message: &str) -> String {
    let down_rev = down
        .map(|d| format!(", down_rev = \"{d}\""))
        .unwrap_or_default();
    format!(
        "//! {message}\nuse migrate_core::prelude::*;\n\n/// {message}\n\
         #[migration(rev = \"{rev}\"{down_rev})]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {{\n    op.execute_reversible(\"SELECT 1\", \"SELECT 1\")?;\n    Ok(())\n}}\n"
    )
}

/// `migrate ARGS` with a cargo that always fails: the exit code.
fn without_cargo(p: &Project, args: &[&str]) -> Option<i32> {
    p.migrate(args)
        .env("CARGO", "/bin/false")
        .output()
        .expect("run migrate")
        .status
        .code()
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

#[test]
fn cargo_is_skipped_only_while_nothing_changed() {
    let p = Project::empty();
    p.ok(&["init"]);
    let versions = p.path().join("migrations/src/versions");
    write(
        &versions.join("0001_a1.rs"),
        &migration("a1", None, "create t"),
    );

    // The first run builds (the fast path has nothing to go on), the next ones need no cargo.
    assert_eq!(without_cargo(&p, &["current"]), Some(1), "no build yet");
    assert_eq!(p.ok(&["current"]), "");
    assert_eq!(without_cargo(&p, &["current"]), Some(0));
    assert_eq!(without_cargo(&p, &["upgrade"]), Some(0));
    assert_eq!(p.ok(&["current"]), "a1 (head)\n");

    // An edited migration: cargo runs, and the new text is what runs.
    write(
        &versions.join("0001_a1.rs"),
        &migration("a1", None, "create t, edited"),
    );
    assert_eq!(without_cargo(&p, &["downgrade", "base"]), Some(1));
    let (_, err) = p.ok2(&["downgrade", "base"]);
    assert!(err.contains("create t, edited"), "{err}");
    assert_eq!(without_cargo(&p, &["current"]), Some(0));

    // An added migration.
    write(
        &versions.join("0002_b2.rs"),
        &migration("b2", Some("a1"), "create u"),
    );
    assert_eq!(without_cargo(&p, &["upgrade"]), Some(1));
    p.ok(&["upgrade"]);
    assert_eq!(p.ok(&["current"]), "b2 (head)\n");

    // A removed one.
    std::fs::remove_file(versions.join("0002_b2.rs")).expect("remove");
    assert_eq!(without_cargo(&p, &["current"]), Some(1));
    let err = p.fails(&["current"], 7);
    assert!(err.contains("b2"), "{err}");
    p.ok(&["stamp", "--purge", "a1"]);

    // The manifest touched (same text, a new time).
    assert_eq!(without_cargo(&p, &["current"]), Some(0));
    let manifest = p.path().join("migrations/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    write(&manifest, &text);
    assert_eq!(without_cargo(&p, &["current"]), Some(1));
    assert_eq!(p.ok(&["current"]), "a1 (head)\n");
    assert_eq!(without_cargo(&p, &["current"]), Some(0));

    // A different target directory is a different build.
    let other = p
        .migrate(&["current"])
        .env("CARGO", "/bin/false")
        .env("CARGO_TARGET_DIR", p.path().join("elsewhere"))
        .output()
        .expect("run");
    assert_eq!(other.status.code(), Some(1));

    // MIGRATE_NO_FAST_PATH=1 always runs cargo.
    let forced = p
        .migrate(&["current"])
        .env("CARGO", "/bin/false")
        .env("MIGRATE_NO_FAST_PATH", "1")
        .output()
        .expect("run");
    assert_eq!(forced.status.code(), Some(1));
}

/// The graph commands show what the migrations binary links, a library crate's migrations
/// included (reading the sources of the migrations crate alone, they were applied by
/// `upgrade` but never listed), and a new migration is listed once it is written.
#[test]
fn graph_commands_show_the_linked_graph() {
    let p = Project::empty();
    p.ok(&["init"]);
    let versions = p.path().join("migrations/src/versions");
    write(
        &versions.join("0001_a1.rs"),
        &migration("a1", None, "create t"),
    );
    // A library crate with migrations of its own, linked into the migrations crate.
    let lib = p.path().join("shared");
    std::fs::create_dir_all(lib.join("src/versions")).expect("mkdir");
    write(
        &lib.join("Cargo.toml"),
        "[package]\nname = \"shared-migrations\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nmigrate-rs-core = \"0.1.0\"\n",
    );
    write(&lib.join("src/lib.rs"), "migrate_core::migrations!();\n");
    write(
        &lib.join("build.rs"),
        "fn main() { println!(\"cargo:rerun-if-changed=src/versions\"); }\n",
    );
    write(
        &lib.join("src/versions/0001_s1.rs"),
        &migration("s1", None, "shared base"),
    );
    let manifest = p.path().join("migrations/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    write(
        &manifest,
        &text.replacen(
            "[dependencies]\n",
            "[dependencies]\nshared-migrations = { path = \"../shared\" }\n",
            1,
        ),
    );
    let lib_rs = p.path().join("migrations/src/lib.rs");
    let text = std::fs::read_to_string(&lib_rs).expect("read");
    write(
        &lib_rs,
        &format!("{text}\nextern crate shared_migrations;\n"),
    );

    let heads = p.ok(&["heads"]);
    assert_eq!(heads, "a1 (head)\ns1 (head)\n", "{heads}");
    p.ok(&["upgrade", "heads"]);
    assert_eq!(p.ok(&["current"]), "a1 (head)\ns1 (head)\n");
    let history = p.ok(&["history"]);
    assert!(
        history.contains("<base> -> s1 (head), shared base"),
        "{history}"
    );
    assert!(p
        .ok(&["show", "s1"])
        .contains("shared/src/versions/0001_s1.rs"));
    // Warm: no cargo.
    assert_eq!(without_cargo(&p, &["heads"]), Some(0));

    // A new revision (written from the sources, as always) is listed once it is there.
    p.ok(&["revision", "-m", "next", "--rev-id", "b2", "--head", "a1"]);
    assert_eq!(
        without_cargo(&p, &["heads"]),
        Some(1),
        "the binary is stale"
    );
    let mut heads: Vec<String> = p.ok(&["heads"]).lines().map(str::to_owned).collect();
    heads.sort();
    assert_eq!(heads, ["b2 (head)", "s1 (head)"]);
}
