//! A failing migration's error keeps the database's own words: PostgreSQL's `DETAIL` reaches
//! the user in the one `error:` line.

use crate::util::{pg_url, project_on};

#[test]
fn postgres_detail_of_a_failed_unique_index_is_shown() {
    let p = project_on(&pg_url());
    let versions = p.path().join("migrations/src/versions");
    let table = format!("dup{}", crate::servers::tag());
    std::fs::write(
        versions.join("0003_c3_unique.rs"),
        format!(
            "use migrate_core::prelude::*;\n\n/// unique hashes\n\
             #[migration(rev = \"c3\", down_rev = \"b2\")]\n\
             pub fn upgrade(op: &mut Op) -> Result<()> {{\n    \
             op.execute_reversible(\"CREATE TABLE {table} (hash TEXT)\", \"DROP TABLE {table}\")?;\n    \
             op.execute(\"INSERT INTO {table} VALUES ('h1'), ('h1')\")?;\n    \
             op.execute(\"CREATE UNIQUE INDEX ix_{table} ON {table} (hash)\")?;\n    \
             Ok(())\n}}\n"
        ),
    )
    .expect("write");
    let err = p.fails(&["upgrade"], 1);
    let error_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "{err}");
    let line = error_lines[0];
    assert!(
        line.starts_with("error: migration c3 failed: could not create unique index"),
        "{line}"
    );
    assert!(
        line.contains("DETAIL: Key (hash)=(h1) is duplicated."),
        "{line}"
    );
    assert_eq!(
        line.matches("could not create unique index").count(),
        1,
        "the cause is shown once: {line}"
    );
    // Earlier migrations stay, the failed one is rolled back.
    assert_eq!(p.ok(&["current"]), "b2\n");
    p.ok(&["downgrade", "base"]);
}
