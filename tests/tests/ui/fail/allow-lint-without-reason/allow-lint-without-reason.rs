use migrate_core::prelude::*;

#[migration(rev = "a1", down_rev = None, allow_lint = ["drop-column"])]
pub fn drop_legacy_email(op: &mut Op) -> Result<()> {
    op.drop_column("users", "legacy_email")?;
    Ok(())
}

fn main() {}
