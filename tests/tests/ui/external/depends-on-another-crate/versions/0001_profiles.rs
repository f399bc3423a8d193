use migrate_core::prelude::*;

#[migration(rev = "a1", depends_on = ["auth"])]
pub fn create_profiles(_op: &mut Op) -> Result<()> {
    Ok(())
}
