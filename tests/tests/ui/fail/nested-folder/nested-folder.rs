//! versions/sub/0002_b2.rs would never be compiled: the build reads no sub-folder.

migrate_core::migrations!();

fn main() {}
