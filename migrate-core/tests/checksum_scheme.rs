//! Checksum schemes on each backend: a history row written by a version of the tool from before
//! the `v2:` checksums (a legacy value) still validates after the upgrade of the tool, and an
//! edit is still caught, whichever scheme the row holds; new rows hold the v2 value.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestDb;
use migrate_core::__private::{Migration as Fields, MigrationFields};
use migrate_core::{Backend, Error, Migration, MigrationSet, Op, Result};

on_each_backend!(
    a_legacy_history_row_still_validates,
    an_edit_is_caught_under_the_legacy_scheme,
    new_rows_hold_v2_and_an_edit_is_caught_under_it,
);

fn create(op: &mut Op) -> Result<()> {
    op.execute_reversible("CREATE TABLE t_s1 (id INT)", "DROP TABLE t_s1")?;
    Ok(())
}

const LEGACY: &str = "0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000";
const LEGACY_EDITED: &str = "1f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000";
const V2: &str = "v2:aa0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000";
const V2_EDITED: &str = "v2:bb0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000";

/// The migration `s1` with these checksums, as `#[migration]` builds it.
const fn s1(checksum: &'static str, legacy_checksum: &'static str) -> Migration {
    Fields::__from_fields(MigrationFields {
        rev: "s1",
        message: "create t_s1",
        checksum,
        legacy_checksum,
        source_file: "tests/versions/s1.rs",
        line: 1,
        upgrade: create,
        ..MigrationFields::DEFAULT
    })
}

/// As an earlier version of the tool built it: one checksum, in the legacy scheme.
static OLD: [Migration; 1] = [s1(LEGACY, "")];
static OLD_SET: MigrationSet = MigrationSet::__new("old", &OLD);
/// The same code, built by this version: both schemes.
static NEW: [Migration; 1] = [s1(V2, LEGACY)];
static NEW_SET: MigrationSet = MigrationSet::__new("new", &NEW);
/// Reformatted only: the legacy value moved (trailing commas), the v2 one did not.
static REFORMATTED: [Migration; 1] = [s1(V2, LEGACY_EDITED)];
static REFORMATTED_SET: MigrationSet = MigrationSet::__new("reformatted", &REFORMATTED);
/// Really edited: both moved.
static EDITED: [Migration; 1] = [s1(V2_EDITED, LEGACY_EDITED)];
static EDITED_SET: MigrationSet = MigrationSet::__new("edited", &EDITED);

fn stored(db: &TestDb) -> Vec<String> {
    let with = |value: &str| {
        db.count(&format!(
            "SELECT COUNT(*) AS n FROM migrate_history WHERE checksum = '{value}'"
        ))
    };
    [LEGACY, V2]
        .into_iter()
        .filter(|v| with(v) > 0)
        .map(str::to_owned)
        .collect()
}

fn mismatch(err: &Error) -> (String, String) {
    match err {
        Error::ChecksumMismatch {
            rev,
            applied,
            current,
        } if rev == "s1" => (applied.clone(), current.clone()),
        other => panic!("not an edited s1: {other}"),
    }
}

fn a_legacy_history_row_still_validates(backend: Backend) {
    let db = TestDb::new(backend, "legacy_ok");
    db.migrator(&[&OLD_SET]).upgrade("head").unwrap();
    assert_eq!(stored(&db), [LEGACY]);
    db.migrator(&[&OLD_SET]).check().unwrap();
    // After the upgrade of the tool: the row holds a legacy value, compared with the
    // migration's legacy checksum, not reported as edited.
    db.migrator(&[&NEW_SET]).check().unwrap();
    assert_eq!(
        db.migrator(&[&NEW_SET]).upgrade("head").unwrap(),
        Vec::<String>::new()
    );
}

fn an_edit_is_caught_under_the_legacy_scheme(backend: Backend) {
    let db = TestDb::new(backend, "legacy_edit");
    db.migrator(&[&OLD_SET]).upgrade("head").unwrap();
    let err = db.migrator(&[&EDITED_SET]).check().unwrap_err();
    // Both values shown are of the scheme the row was written in.
    assert_eq!(
        mismatch(&err),
        (LEGACY.to_owned(), LEGACY_EDITED.to_owned())
    );
}

fn new_rows_hold_v2_and_an_edit_is_caught_under_it(backend: Backend) {
    let db = TestDb::new(backend, "v2");
    db.migrator(&[&NEW_SET]).upgrade("head").unwrap();
    assert_eq!(stored(&db), [V2]);
    db.migrator(&[&NEW_SET]).check().unwrap();
    // Formatting moved only the legacy value: a v2 row does not look at it.
    db.migrator(&[&REFORMATTED_SET]).check().unwrap();
    let err = db.migrator(&[&EDITED_SET]).check().unwrap_err();
    assert_eq!(mismatch(&err), (V2.to_owned(), V2_EDITED.to_owned()));
}
