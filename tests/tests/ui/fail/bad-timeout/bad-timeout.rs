use migrate_core::prelude::*;

#[migration(rev = "a1", down_rev = None, table_lock_timeout = "2 seconds")]
pub fn add_note(op: &mut Op) -> Result<()> {
    op.add_column("items", "note", Type::Text)?;
    Ok(())
}

fn main() {}
