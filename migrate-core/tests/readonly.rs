//! Read-only commands create nothing and work for a user who may not create anything; the
//! registry rejects duplicates and says what to do when nothing is linked.

#![allow(clippy::unwrap_used)]

mod common;

use common::{mysql_admin_url, pg_admin_url, TestDb};
use diesel::{Connection, RunQueryDsl};
use migrate_core::{Backend, Error, Migration, MigrationSet, Migrator, Registry};

static CHAIN: [Migration; 2] = [table_migration!("a1", []), table_migration!("b2", ["a1"])];
static CHAIN_SET: MigrationSet = MigrationSet::__new("chain", &CHAIN);

fn read_only_commands(m: &Migrator) {
    assert_eq!(m.current().unwrap(), Vec::<String>::new());
    let status = m.status().unwrap();
    assert_eq!(status.pending, ["a1", "b2"]);
    assert_eq!(status.heads, ["b2"]);
    let err = m.check().unwrap_err();
    assert!(matches!(err, Error::NotAtHead { .. }), "{err}");
    assert!(err.to_string().contains("run `migrate upgrade`"), "{err}");
}

#[test]
fn sqlite_missing_file_is_an_empty_database_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("never.db");
    let m = Migrator::new(&[&CHAIN_SET])
        .unwrap()
        .url(&format!("sqlite:///{}", path.display()))
        .unwrap();
    read_only_commands(&m);
    assert!(
        !path.exists(),
        "a read-only command created the database file"
    );
}

#[test]
fn sqlite_read_only_creates_no_table() {
    let db = TestDb::new(Backend::Sqlite, "ro");
    db.exec("CREATE TABLE other (x INT)");
    read_only_commands(&db.migrator(&[&CHAIN_SET]));
    assert!(!db.has_table("migrate_version") && !db.has_table("migrate_history"));
}

/// Runs its closure when dropped, so a failing test still cleans up.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}{}_{nanos}", std::process::id())
}

#[test]
fn postgres_role_without_create() {
    let role = unique("mt_reader_");
    // Declared before the database, so it runs after the database is dropped.
    let _drop_role = OnDrop(|| {
        if let Ok(mut admin) = diesel::PgConnection::establish(&pg_admin_url()) {
            let _ =
                diesel::sql_query(format!("DROP ROLE IF EXISTS \"{role}\"")).execute(&mut admin);
        }
    });
    let db = TestDb::new(Backend::Postgres, "ro");
    db.exec("REVOKE ALL ON SCHEMA public FROM PUBLIC");
    db.exec(&format!("CREATE ROLE \"{role}\" LOGIN"));
    db.exec(&format!("GRANT USAGE ON SCHEMA public TO \"{role}\""));
    let url = db.url.replacen("postgres@", &format!("{role}@"), 1);
    let m = Migrator::new(&[&CHAIN_SET]).unwrap().url(&url).unwrap();
    read_only_commands(&m);
    assert!(!db.has_table("migrate_version"));
    // Writing is refused by the database, cleanly.
    let err = m.upgrade("head").unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
    assert!(!db.has_table("t_a1"));
}

#[test]
fn mysql_user_with_select_only() {
    let user = unique("r");
    let user = &user[..user.len().min(32)];
    let admin = || diesel::MysqlConnection::establish(&mysql_admin_url()).unwrap();
    let run = |sql: String| {
        diesel::sql_query(sql).execute(&mut admin()).unwrap();
    };
    let _drop_user = OnDrop(|| {
        if let Ok(mut c) = diesel::MysqlConnection::establish(&mysql_admin_url()) {
            for host in ["%", "localhost"] {
                let _ = diesel::sql_query(format!("DROP USER IF EXISTS '{user}'@'{host}'"))
                    .execute(&mut c);
            }
        }
    });
    let db = TestDb::new(Backend::Mysql, "ro");
    for host in ["%", "localhost"] {
        run(format!("CREATE USER '{user}'@'{host}' IDENTIFIED BY 'pw'"));
        run(format!(
            "GRANT SELECT ON `{}`.* TO '{user}'@'{host}'",
            db.name
        ));
    }
    let url = db.url.replacen("root@", &format!("{user}:pw@"), 1);
    let m = Migrator::new(&[&CHAIN_SET]).unwrap().url(&url).unwrap();
    read_only_commands(&m);
    assert!(!db.has_table("migrate_version"));
    let err = m.upgrade("head").unwrap_err();
    assert!(!err.to_string().contains(":pw@"), "password shown: {err}");
}

#[test]
fn duplicate_revision_from_two_places_is_rejected() {
    static A: [Migration; 1] = [table_migration!("a1", [])];
    static B: [Migration; 1] = [Migration::__new(
        "a1",
        &[],
        &[],
        &[],
        "again",
        "s",
        "other/versions/a1.rs",
        3,
        |_| Ok(()),
        None,
        true,
    )];
    let err = Registry::from_migrations(A.iter().chain(B.iter()).copied()).unwrap_err();
    assert!(
        matches!(&err, Error::DuplicateRevision { rev, .. } if rev == "a1"),
        "{err}"
    );
    assert!(err.to_string().contains("other/versions/a1.rs:3"), "{err}");
    // The same migration reached twice (inventory and a set) is one migration.
    let twice = Registry::from_migrations(A.iter().chain(A.iter()).copied()).unwrap();
    assert_eq!(twice.migrations().len(), 1);
}

#[test]
fn nothing_linked_says_what_to_do() {
    let err = Registry::from_migrations(Vec::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no migrations are linked: pass your migrations crate's MIGRATIONS to Migrator::new"
    );
}

#[test]
fn broken_graph_is_rejected_at_start_up() {
    static BROKEN: [Migration; 1] = [table_migration!("b2", ["nowhere1"])];
    let err = Registry::from_migrations(BROKEN.iter().copied()).unwrap_err();
    assert!(matches!(err, Error::InvalidGraph(_)), "{err}");
    assert!(err.to_string().contains("nowhere1"), "{err}");
}
