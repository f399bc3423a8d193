//! A `#[migration]` inside a module: `migrations!()` registers only top-level fns.

mod inner {
    use migrate_core::prelude::*;

    #[migration(rev = "n1")]
    pub fn upgrade(_op: &mut Op) -> Result<()> {
        Ok(())
    }
}

fn main() {}
