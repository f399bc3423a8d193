//! Migration sources: a graph holds exactly what its source yields, so two migrators with
//! different graphs (even the same revision ids with different content) work in one
//! process; `#[migration]`s linked through `inventory` join only when `Linked` is asked for;
//! migrations built in code own their data; a diesel folder is a source like any other.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::TestDb;
use migrate_core::diesel_compat::DieselMigrations;
use migrate_core::{
    AnyMigration, Backend, Error, Linked, Migration, MigrationList, MigrationSet, Migrator,
};

/// A root or child migration whose upgrade creates `$table` (the downgrade is derived).
macro_rules! creates {
    ($rev:literal, [$($down:literal),*], $table:literal) => {
        Migration::__new(
            $rev,
            &[$($down),*],
            &[],
            &[],
            concat!("create ", $table),
            concat!("sum-", $table),
            concat!("tests/sources/", $rev, ".rs"),
            1,
            |op| {
                op.execute_reversible(
                    concat!("CREATE TABLE ", $table, " (id INT)"),
                    concat!("DROP TABLE ", $table),
                )?;
                Ok(())
            },
            None,
            true,
        )
    };
}

static ALPHA: [Migration; 2] = [
    creates!("a1", [], "alpha_one"),
    creates!("a2", ["a1"], "alpha_two"),
];
static ALPHA_SET: MigrationSet = MigrationSet::__new("alpha", &ALPHA);

// The same first revision id as ALPHA, with other content: it belongs to another graph.
static BETA: [Migration; 2] = [
    creates!("a1", [], "beta_one"),
    creates!("b2", ["a1"], "beta_two"),
];
static BETA_SET: MigrationSet = MigrationSet::__new("beta", &BETA);

// Linked into this test binary, as a `#[migration]` of a library crate would be.
migrate_core::__private::inventory::submit! { creates!("zlinked", [], "linked_table") }

#[test]
fn two_migrators_with_different_graphs_in_one_process() {
    let one = TestDb::new(Backend::Sqlite, "alpha");
    let two = TestDb::new(Backend::Sqlite, "beta");
    let alpha = one.migrator(&[&ALPHA_SET]);
    let beta = two.migrator(&[&BETA_SET]);
    assert_eq!(alpha.graph().heads(), ["a2"]);
    assert_eq!(beta.graph().heads(), ["b2"]);

    // Both at once, from two threads.
    std::thread::scope(|s| {
        let a = s.spawn(|| alpha.upgrade("head"));
        let b = s.spawn(|| beta.upgrade("head"));
        assert_eq!(a.join().unwrap().unwrap(), ["a1", "a2"]);
        assert_eq!(b.join().unwrap().unwrap(), ["a1", "b2"]);
    });

    assert_eq!(one.rows(), ["a2"]);
    assert_eq!(two.rows(), ["b2"]);
    assert!(one.has_table("alpha_one") && one.has_table("alpha_two"));
    assert!(two.has_table("beta_one") && two.has_table("beta_two"));
    for t in ["beta_one", "beta_two", "linked_table"] {
        assert!(!one.has_table(t), "{t} is not alpha's");
    }
    for t in ["alpha_one", "alpha_two", "linked_table"] {
        assert!(!two.has_table(t), "{t} is not beta's");
    }

    // Each graph's a1 is its own: reverting beta's drops beta_one only.
    assert_eq!(beta.downgrade("base").unwrap(), ["b2", "a1"]);
    assert!(!two.has_table("beta_one"));
    assert!(one.has_table("alpha_one"));
    assert!(alpha.ensure_at_head().is_ok());
}

#[test]
fn linked_migrations_join_only_when_asked_for() {
    let only_sets = Migrator::new(&[&ALPHA_SET]).unwrap();
    assert!(only_sets.registry().get("zlinked").is_none());
    assert_eq!(only_sets.graph().heads(), ["a2"]);

    let with_linked = Migrator::new(&(Linked, &ALPHA_SET)).unwrap();
    assert!(with_linked.registry().get("zlinked").is_some());
    let mut heads = with_linked.graph().heads();
    heads.sort_unstable();
    assert_eq!(heads, ["a2", "zlinked"]);

    // Applying the sets' graph creates nothing of the linked migration.
    let db = TestDb::new(Backend::Sqlite, "linked");
    let m = db.migrator(&[&ALPHA_SET]);
    m.upgrade("heads").unwrap();
    assert!(!db.has_table("linked_table"));
    assert_eq!(db.rows(), ["a2"]);

    // With Linked, it is one more branch.
    let m = Migrator::new(&(Linked, &ALPHA_SET))
        .unwrap()
        .url(&db.url)
        .unwrap();
    assert_eq!(m.upgrade("heads").unwrap(), ["zlinked"]);
    assert!(db.has_table("linked_table"));
    assert_eq!(db.rows(), ["a2", "zlinked"]);
}

/// A chain built at run time from owned names, with closures that own what they use.
fn tenant_list(tables: &[String], downgrades: &Arc<AtomicUsize>) -> MigrationList {
    let mut list = MigrationList::new();
    let mut parent: Option<String> = None;
    for (i, table) in tables.iter().enumerate() {
        let rev = format!("tenant_{i}");
        let create = format!("CREATE TABLE {table} (id INT, note VARCHAR(20))");
        let drop = format!("DROP TABLE {table}");
        let insert = format!("INSERT INTO {table} (id, note) VALUES (1, 'seeded')");
        let counter = Arc::clone(downgrades);
        let mut m = AnyMigration::builder(rev.clone(), move |op| {
            op.execute(create.as_str())?;
            let insert = insert.clone();
            op.run(move |conn| {
                use diesel::RunQueryDsl;
                diesel::sql_query(insert).execute(conn)?;
                Ok(())
            })?;
            Ok(())
        })
        .message(format!("create {table}"))
        .checksum(format!("tenant-{table}"))
        .downgrade(move |op| {
            counter.fetch_add(1, Ordering::SeqCst);
            op.execute(drop.as_str())?;
            Ok(())
        });
        if let Some(p) = parent.replace(rev) {
            m = m.down_rev(p);
        }
        list.push(m);
    }
    list
}

#[test]
fn a_list_built_in_code_upgrades_and_downgrades() {
    let db = TestDb::new(Backend::Sqlite, "list");
    let tables: Vec<String> = ["orders", "invoices", "refunds"]
        .iter()
        .map(|t| format!("{t}_{}", std::process::id()))
        .collect();
    let downgrades = Arc::new(AtomicUsize::new(0));
    let m = Migrator::new(&tenant_list(&tables, &downgrades))
        .unwrap()
        .url(&db.url)
        .unwrap();

    assert_eq!(
        m.upgrade("head").unwrap(),
        ["tenant_0", "tenant_1", "tenant_2"]
    );
    assert_eq!(db.rows(), ["tenant_2"]);
    for t in &tables {
        assert_eq!(
            db.count(&format!(
                "SELECT COUNT(*) AS n FROM {t} WHERE note = 'seeded'"
            )),
            1,
            "the op.run step ran for {t}"
        );
    }
    let history = m.history(1).unwrap();
    assert_eq!(history[0].revision, "tenant_2");
    assert_eq!(history[0].checksum, format!("tenant-{}", tables[2]));
    assert!(m.check().is_ok());

    assert_eq!(m.downgrade("-2").unwrap(), ["tenant_2", "tenant_1"]);
    assert_eq!(downgrades.load(Ordering::SeqCst), 2);
    assert_eq!(db.rows(), ["tenant_0"]);
    assert!(db.has_table(&tables[0]));
    assert!(!db.has_table(&tables[1]) && !db.has_table(&tables[2]));
    assert_eq!(m.downgrade("base").unwrap(), ["tenant_0"]);
    assert!(!db.has_table(&tables[0]));
    assert_eq!(downgrades.load(Ordering::SeqCst), 3);
}

#[test]
fn a_bad_list_is_refused_before_any_database_is_touched() {
    let twice = MigrationList::new()
        .with(AnyMigration::builder("x1", |_| Ok(())))
        .with(AnyMigration::builder("x1", |_| Ok(())));
    let err = Migrator::new(&twice).unwrap_err();
    assert!(
        matches!(&err, Error::DuplicateRevision { rev, .. } if rev == "x1"),
        "{err}"
    );
    let shown = err.to_string();
    assert!(shown.contains("tests/sources.rs:"), "names where: {shown}");
    assert_eq!(shown.lines().count(), 1, "{shown}");

    let orphan = MigrationList::new().with(AnyMigration::builder("y2", |_| Ok(())).down_rev("y1"));
    let err = Migrator::new(&orphan).unwrap_err();
    assert!(matches!(err, Error::InvalidGraph(_)), "{err}");
    assert!(err.to_string().contains("y1"), "{err}");

    let err = Migrator::new(&MigrationList::new()).unwrap_err();
    assert!(matches!(err, Error::NoMigrations), "{err}");
}

#[test]
fn sets_and_a_list_combine_into_one_graph() {
    let db = TestDb::new(Backend::Sqlite, "combined");
    let extra = MigrationList::new().with(
        AnyMigration::builder("c3", |op| {
            op.execute_reversible(
                "CREATE TABLE combined_three (id INT)",
                "DROP TABLE combined_three",
            )?;
            Ok(())
        })
        .down_rev("a2"),
    );
    let m = Migrator::new(&(&ALPHA_SET, &extra))
        .unwrap()
        .url(&db.url)
        .unwrap();
    assert_eq!(m.upgrade("head").unwrap(), ["a1", "a2", "c3"]);
    assert_eq!(db.rows(), ["c3"]);
    assert!(db.has_table("combined_three"));
    assert_eq!(m.downgrade("a2").unwrap(), ["c3"]);
    assert!(!db.has_table("combined_three"));
}

/// A diesel_migrations folder of `n` migrations, each creating `d<i>`.
fn diesel_folder(dir: &std::path::Path, n: usize) {
    for i in 0..n {
        let name = format!("2024-01-01-{:06}_d{i}", i);
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("up.sql"),
            format!("CREATE TABLE d{i} (id INTEGER);"),
        )
        .unwrap();
        std::fs::write(folder.join("down.sql"), format!("DROP TABLE d{i};")).unwrap();
    }
}

#[test]
fn a_diesel_folder_is_a_source_of_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("migrations");
    diesel_folder(&dir, 2);
    let diesel = DieselMigrations::load(&dir).unwrap();
    let db = TestDb::new(Backend::Sqlite, "diesel");
    let m = Migrator::new(&diesel).unwrap().url(&db.url).unwrap();
    assert!(
        m.registry().get("zlinked").is_none(),
        "only the folder's revisions"
    );
    assert_eq!(
        m.upgrade("head").unwrap(),
        ["20240101000000", "20240101000001"]
    );
    assert!(db.has_table("d0") && db.has_table("d1"));
    assert_eq!(
        m.downgrade("base").unwrap(),
        ["20240101000001", "20240101000000"]
    );
    assert!(!db.has_table("d0"));

    // On top of a set's head, as one graph.
    let on_top = diesel.clone().on_top_of("a2");
    let m = Migrator::new(&(&ALPHA_SET, &on_top))
        .unwrap()
        .url(&db.url)
        .unwrap();
    assert_eq!(
        m.upgrade("head").unwrap(),
        ["a1", "a2", "20240101000000", "20240101000001"]
    );
    assert_eq!(db.rows(), ["20240101000001"]);
}

#[test]
fn more_diesel_migrations_than_the_old_fixed_table_held() {
    // Loading once held one of 1024 process-wide slots per migration; now each owns its data.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("many");
    diesel_folder(&dir, 1030);
    let first = DieselMigrations::load(&dir).unwrap();
    let again = DieselMigrations::load(&dir).unwrap();
    assert_eq!(first.migrations().len(), 1030);
    let m = Migrator::new(&again).unwrap();
    assert_eq!(m.graph().heads(), ["20240101001029"]);
    let ops = m
        .record("20240101001029", true, migrate_core::sql::Dialect::Sqlite)
        .unwrap();
    assert!(matches!(
        &ops[0],
        migrate_core::sql::Operation::Callback { offline_sql: Some(sql), .. } if sql[0].contains("CREATE TABLE d1029")
    ));
}
