//! The keys that don't touch the graph, through `migrations!()`: a `crate = ..` override, an
//! explicit message, a downgrade fn, and each way of writing the return type. Outside a
//! versions folder the attribute checks its fn and leaves it an ordinary fn.

use migrate_core::prelude::*;

migrate_core::migrations!();

/// Not in a versions folder: checked (arguments, signature), then an ordinary fn.
#[migration(rev = "z9")]
fn standalone(_op: &mut Op) -> Result<()> {
    Ok(())
}

fn main() {
    let [create, add, index] = MIGRATIONS.migrations else {
        panic!("three migrations, in file order")
    };
    assert_eq!(create.message, "create users");
    assert_eq!(add.message, "Add the email column.");
    assert!(add.downgrade.is_some());
    assert!(create.downgrade.is_none());
    // `v2:` and 64 hex digits; the legacy scheme's value, 64 hex digits, rides along.
    assert_eq!(add.checksum.len(), 67);
    assert!(add.checksum.starts_with("v2:"));
    assert_eq!(add.legacy_checksum.len(), 64);
    assert!(add.source_file.ends_with("0001_users.rs"));
    assert_eq!(add.line, 14);
    // The prelude's `Result` is listed as the fn itself; the others go in `upgrade`.
    assert!(create.upgrade_prelude.is_some());
    assert!(add.upgrade_prelude.is_none());
    assert!(index.upgrade_prelude.is_none());
    let _: fn(&mut Op) -> Result<()> = standalone;
}
