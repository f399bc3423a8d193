//! The database commands on PostgreSQL and MariaDB (servers from `scripts/databases`; URLs
//! overridable with MIGRATE_TEST_PG / MIGRATE_TEST_MYSQL). Each test has its own tables and
//! version table in the shared database, and `test` creates and drops its scratch database.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::db::add_migrations;
use crate::util::{project_on, Project};

pub(crate) fn tag() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

fn round_trip(url: &str) {
    let p = project_on(url);
    assert_eq!(p.ok(&["current"]), "");
    let (_, err) = p.ok2(&["upgrade"]);
    assert!(
        err.contains("Running upgrade a1 -> b2, create u ... "),
        "{err}"
    );
    assert_eq!(p.ok(&["current"]), "b2 (head)\n");
    p.ok(&["check"]);
    let out = p.ok(&["-v", "current"]);
    assert!(out.starts_with("Current revision(s) for "), "{out}");
    p.ok(&["downgrade", "base"]);
    assert_eq!(p.ok(&["current"]), "");
    let out = p.ok(&["test"]);
    assert!(out.contains("Stairway passed: 2 revisions"), "{out}");
    assert!(out.contains("migrate_test_"), "{out}");
}

#[test]
fn postgres_round_trip() {
    let url = std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    round_trip(&url);
}

#[test]
fn mariadb_round_trip() {
    let url = std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    round_trip(&url);
}

#[test]
fn password_never_printed() {
    let p = Project::empty();
    p.ok(&["init"]);
    add_migrations(&p, &tag());
    let err = p.fails(
        &[
            "--url",
            "postgres://postgres:s3cret@127.0.0.1:1/test",
            "current",
        ],
        6,
    );
    assert!(!err.contains("s3cret"), "{err}");
    assert!(err.contains("***") || err.contains("postgres@"), "{err}");
}
