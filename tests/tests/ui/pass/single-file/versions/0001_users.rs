use migrate_core::prelude::*;

mod renamed {
    pub use migrate_core::*;
}

/// Ignored: `message` wins.
#[migration(rev = "a1", message = "create users")]
pub fn create_users(_op: &mut Op) -> Result<()> {
    Ok(())
}

/// Add the email column.
#[migrate_core::migration(rev = "b2", down_rev = "a1", downgrade = self::drop_email)]
fn add_email(_op: &mut Op) -> migrate_core::Result<()> {
    Ok(())
}

fn drop_email(_op: &mut Op) -> Result<()> {
    Ok(())
}

/// A `Result` spelled some other way: listed through the generic wrapper, and checked in the
/// fn's body through the `crate = ..` path.
#[migration(rev = "c3", down_rev = "b2", crate = renamed)]
fn add_index(_op: &mut Op) -> std::result::Result<(), migrate_core::MigrationError> {
    Ok(())
}
