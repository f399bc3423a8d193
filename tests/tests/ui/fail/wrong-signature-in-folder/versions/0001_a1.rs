use migrate_core::prelude::*;

#[migration(rev = "a1")]
pub fn create_users(_op: &mut String) -> Result<()> {
    Ok(())
}
