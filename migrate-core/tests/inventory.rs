//! Migrations registered through `inventory` (what `#[migration]` does) unite with the sets
//! passed to `Migrator::new`; the same migration reached both ways counts once.

#![allow(clippy::unwrap_used)]

mod common;

use migrate_core::{Migration, MigrationSet, Registry};

static LIB: [Migration; 2] = [
    table_migration!("q1", [], labels = ["lib"]),
    table_migration!("q2", ["q1"]),
];
static LIB_SET: MigrationSet = MigrationSet::__new("lib", &LIB);

migrate_core::__private::inventory::submit! { table_migration!("q1", [], labels = ["lib"]) }
migrate_core::__private::inventory::submit! { table_migration!("p1", []) }

#[test]
fn inventory_and_sets_unite() {
    let registry = Registry::new(&[&LIB_SET]).unwrap();
    let mut revs: Vec<&str> = registry.migrations().iter().map(|m| m.rev()).collect();
    revs.sort_unstable();
    assert_eq!(revs, ["p1", "q1", "q2"], "q1 reached twice counts once");
    let mut heads = registry.graph().heads();
    heads.sort_unstable();
    assert_eq!(heads, ["p1", "q2"]);
}

#[test]
fn inventory_alone_is_enough() {
    let registry = Registry::new(&[]).unwrap();
    let mut revs: Vec<&str> = registry.migrations().iter().map(|m| m.rev()).collect();
    revs.sort_unstable();
    assert_eq!(revs, ["p1", "q1"]);
}
