//! A migration of the wrong signature in a versions folder: the error is on the fn, where the
//! signature is written, and the crate's table (which lists the fn) fails too.

migrate_core::migrations!();

fn main() {}
