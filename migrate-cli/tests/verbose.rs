//! `-v` logs each SQL statement the executor runs, with its duration, on stderr; without it
//! nothing extra is printed. A password in a statement is never shown.

use crate::util::Project;

const CREATE: &str = "//! create t\nuse migrate_core::prelude::*;\n\n/// create t\n\
    #[migration(rev = \"a1\")]\n\
    pub fn upgrade(op: &mut Op) -> Result<()> {\n    \
    op.execute_reversible(\"CREATE TABLE t (id INTEGER, password TEXT DEFAULT 'S3cret')\", \"DROP TABLE t\")?;\n    \
    Ok(())\n}\n";

#[test]
fn verbose_shows_each_statement_and_its_duration() {
    let p = Project::empty();
    p.ok(&["init"]);
    std::fs::write(p.path().join("migrations/src/versions/0001_a1.rs"), CREATE).expect("write");

    let (out, err) = p.ok2(&["upgrade"]);
    assert_eq!(out, "");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "only the progress line without -v: {err}");
    assert!(
        lines[0].starts_with("Running upgrade  -> a1, create t ... "),
        "{err}"
    );

    p.ok(&["downgrade", "base"]);
    let (_, err) = p.ok2(&["upgrade"]);
    assert!(!err.contains("sql"), "{err}");

    p.ok(&["downgrade", "base"]);
    let (_, err) = p.ok2(&["-v", "upgrade"]);
    let sql: Vec<&str> = err.lines().filter(|l| l.starts_with("sql ")).collect();
    assert!(
        sql.iter()
            .any(|l| l.contains(" ms: CREATE TABLE t (id INTEGER, password TEXT DEFAULT '***')")),
        "{err}"
    );
    assert!(!err.contains("S3cret"), "{err}");
    assert!(
        err.contains("Running upgrade  -> a1, create t ... "),
        "{err}"
    );
    // Nothing changed since the last build: the front end says it ran the binary without cargo.
    assert!(err.contains("without cargo"), "{err}");

    let (_, err) = p.ok2(&["-v", "downgrade", "base"]);
    assert!(
        err.lines()
            .any(|l| l.starts_with("sql ") && l.ends_with("ms: DROP TABLE t")),
        "{err}"
    );
}
