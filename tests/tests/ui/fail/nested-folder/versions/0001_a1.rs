use migrate_core::prelude::*;

#[migration(rev = "a1")]
pub fn upgrade(_op: &mut Op) -> Result<()> {
    Ok(())
}
