//! `check` after `cargo fmt`: reformatting an applied migration (its downgrade fn too) is not
//! an edit; changing a literal in its downgrade fn is (exit 3). SQLite; slow the first time
//! (compiles the runner, as `db.rs` does).

use std::process::Command;

use crate::util::Project;

/// A migration written carelessly: one-line bodies, trailing commas missing, block arm
/// bodies, a closure in braces; `downgrade = drop_users` is the fn below it.
const MIGRATION: &str = r#"//! create users
use migrate_core::prelude::*;

/// create users
#[migration(rev = "a1", downgrade = drop_users)]
pub fn upgrade(op: &mut Op) -> Result<()> {
    let statements = ["CREATE TABLE users (id INTEGER, email TEXT)", "CREATE INDEX ix_users_email ON users (email)"];
    for (i, sql) in statements.iter().enumerate() { match i { 0 => { op.execute(*sql)?; } _ => op.execute(*sql)? } }
    let check = |n: usize| { n > 0 };
    if !check(statements.len()) { return Ok(()) }
    Ok(())
}

fn drop_users(op: &mut Op) -> Result<()> {
    op.execute("DROP INDEX ix_users_email")?; op.execute("DROP TABLE users")?; Ok(())
}
"#;

/// `text` with its code lines joined into one (the doc, attribute and `use` lines kept).
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let keep = ["//", "#[", "use "].iter().any(|p| line.starts_with(p));
        out.push_str(if keep { line } else { line.trim() });
        out.push(if keep { '\n' } else { ' ' });
    }
    out
}

#[test]
fn check_passes_after_rustfmt_and_fails_on_a_downgrade_edit() {
    let p = Project::empty();
    p.ok(&["init"]);
    let file = p
        .path()
        .join("migrations/src/versions/0001_a1_create_users.rs");
    std::fs::write(&file, MIGRATION).expect("write");
    p.ok2(&["upgrade"]);
    let ok = "OK: 1 migrations, database at head (a1), no applied migration edited\n";
    assert_eq!(p.ok(&["check"]), ok);

    // Collapsed to one line, then formatted by the real rustfmt: every token rustfmt
    // rewrites (trailing commas, arm and closure braces, `return ..;`) differs from above.
    std::fs::write(&file, one_line(MIGRATION)).expect("write");
    assert_eq!(p.ok(&["check"]), ok, "collapsed to one line");
    match Command::new("rustfmt")
        .args(["--edition", "2021"])
        .arg(&file)
        .status()
    {
        Ok(status) => {
            assert!(status.success(), "rustfmt failed");
            let formatted = std::fs::read_to_string(&file).expect("read");
            assert_ne!(formatted, MIGRATION);
            assert!(formatted.contains("0 => {\n"), "{formatted}");
            assert!(formatted.contains("return Ok(());"), "{formatted}");
            assert_eq!(p.ok(&["check"]), ok, "after rustfmt:\n{formatted}");
        }
        Err(e) => eprintln!("rustfmt is not on PATH ({e}): the one-line form was checked only"),
    }

    // A literal of the downgrade fn changed: an edit, exit 3.
    let text = std::fs::read_to_string(&file).expect("read");
    let edited = text.replacen("DROP TABLE users", "DROP TABLE people", 1);
    assert_ne!(edited, text);
    std::fs::write(&file, &edited).expect("write");
    let err = p.fails(&["check"], 3);
    assert!(
        err.starts_with("error: migration a1 was edited after it was applied"),
        "{err}"
    );
    // Reverted: passes again.
    std::fs::write(&file, &text).expect("write");
    assert_eq!(p.ok(&["check"]), ok);
}
