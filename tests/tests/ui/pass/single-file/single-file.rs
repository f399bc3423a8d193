//! Migrations written directly in one file, without `migrations!()`; `crate = ..` override,
//! explicit message, downgrade fn.

use migrate_core::prelude::*;

mod renamed {
    pub use migrate_core::*;
}

/// Ignored: `message` wins.
#[migration(rev = "a1", message = "create users", crate = renamed)]
pub fn create_users(_op: &mut Op) -> Result<()> {
    Ok(())
}

/// Add the email column.
#[migrate_core::migration(rev = "b2", down_rev = "a1", downgrade = self::drop_email)]
fn add_email(_op: &mut Op) -> Result<()> {
    Ok(())
}

fn drop_email(_op: &mut Op) -> Result<()> {
    Ok(())
}

fn main() {
    assert_eq!(__MIGRATION_CREATE_USERS.message, "create users");
    assert_eq!(__MIGRATION_ADD_EMAIL.message, "Add the email column.");
    assert!(__MIGRATION_ADD_EMAIL.downgrade.is_some());
    assert!(__MIGRATION_CREATE_USERS.downgrade.is_none());
    // `v2:` and 64 hex digits; the legacy scheme's value, 64 hex digits, rides along.
    assert_eq!(__MIGRATION_ADD_EMAIL.checksum.len(), 67);
    assert!(__MIGRATION_ADD_EMAIL.checksum.starts_with("v2:"));
    assert_eq!(__MIGRATION_ADD_EMAIL.legacy_checksum.len(), 64);
    assert!(__MIGRATION_ADD_EMAIL.source_file.ends_with("single-file.rs"));
    assert_eq!(__MIGRATION_ADD_EMAIL.line, 17);
}
