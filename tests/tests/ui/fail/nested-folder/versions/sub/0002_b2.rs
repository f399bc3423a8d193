use migrate_core::prelude::*;

#[migration(rev = "b2", down_rev = "a1")]
pub fn upgrade(_op: &mut Op) -> Result<()> {
    Ok(())
}
