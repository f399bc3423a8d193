use migrate_core::prelude::*;

#[migration(rev = "head")]
pub fn named_like_a_target(_op: &mut Op) -> Result<()> {
    Ok(())
}

#[migration(rev = "a b")]
pub fn with_a_space(_op: &mut Op) -> Result<()> {
    Ok(())
}

#[migration(rev = "../x")]
pub fn with_a_path(_op: &mut Op) -> Result<()> {
    Ok(())
}

fn main() {}
