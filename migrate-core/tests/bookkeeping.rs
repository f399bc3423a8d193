//! The version and history tables as a user meets them, on every backend: what `check` says
//! of rows that disagree, what a bad target or a foreign version table leaves behind, and how
//! a failing statement is shown.

#![allow(clippy::unwrap_used)]

mod common;

use common::{TestDb, LINEAR_SET};
use migrate_core::{Backend, Error};

on_each_backend!(version_row_without_history_row_is_flagged_by_check);

/// A version row with no history row (a crash between the two before they were written
/// together, or a hand edit) means an edit of that migration would go unnoticed: `check` says
/// so, and stamping the row records it.
fn version_row_without_history_row_is_flagged_by_check(backend: Backend) {
    let db = TestDb::new(backend, "nohistory");
    let m = db.migrator(&[&LINEAR_SET]);
    m.upgrade("head").unwrap();
    m.check().unwrap();
    db.exec("DELETE FROM migrate_history WHERE revision = 'c3'");
    let err = m.check().unwrap_err();
    assert!(
        matches!(&err, Error::MissingHistory { rev, .. } if rev == "c3"),
        "{err}"
    );
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    assert!(
        shown.starts_with("revision c3 is in the version table migrate_version but has no row in the history table migrate_history"),
        "{shown}"
    );
    assert!(shown.contains("`migrate stamp c3`"), "{shown}");

    // The way out the message gives.
    m.stamp(&["c3"], false).unwrap();
    m.check().unwrap();
    assert_eq!(
        db.count("SELECT COUNT(*) AS n FROM migrate_history WHERE revision = 'c3' AND direction = 'stamp'"),
        1
    );

    // A database that never had a history table (moved from Alembic) is not flagged.
    db.exec("DROP TABLE migrate_history");
    m.check().unwrap();
}
