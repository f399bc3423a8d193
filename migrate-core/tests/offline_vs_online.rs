//! The offline script is the online run: a 20-migration project (written with the real
//! `#[migration]` macro in `tests/offline_project/versions/`: many column types, defaults,
//! keys, checks, foreign keys, indexes, a rename, raw SQL, hostile seed values, a branch and
//! its merge, a second root that the main line `depends_on`) is applied online to database A
//! and, as the script `Migrator::upgrade_sql` writes, through the database's own client to
//! database B. Both must then look the same to introspection, rows included; then again after
//! a downgrade to the middle of the graph. On PostgreSQL, MariaDB and SQLite.

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

#[path = "offline_project/support.rs"]
mod support;

use migrate_core::sql::Dialect;
use migrate_core::{Backend, Migrator};
use support::{diff, Db};

migrate_core::migrations!("tests/offline_project/versions");

/// Where the branches fork: downgrading to it un-applies the main line, the merge and both
/// branches (a dropped column among them: a table rebuild online on SQLite, `DROP COLUMN` in
/// the script), and leaves the reference root, no longer implied by a dependent, as its own
/// version row.
const MID: &str = "a8000000c008";
const HEAD: &str = "c8000000e008";

fn migrator() -> Migrator {
    Migrator::new(&[&MIGRATIONS]).expect("the project's graph is valid")
}

fn dialect(backend: Backend) -> Dialect {
    match backend {
        Backend::Sqlite => Dialect::Sqlite,
        Backend::Postgres => Dialect::Postgres,
        _ => Dialect::Mysql,
    }
}

fn version_table(d: Dialect) -> &'static str {
    match d {
        Dialect::Mysql => "`migrate_version`",
        _ => "\"migrate_version\"",
    }
}

/// What Alembic's offline mode (<https://alembic.sqlalchemy.org/en/latest/offline.html>) puts
/// in an upgrade script from base.
fn check_upgrade_script(d: Dialect, script: &str) {
    let vt = version_table(d);
    let first = if d == Dialect::Mysql {
        format!("SET NAMES utf8mb4;\n\nCREATE TABLE {vt} (")
    } else {
        format!("CREATE TABLE {vt} (")
    };
    assert!(
        script.starts_with(&first),
        "the version table is created first: {script}"
    );
    let insert = script
        .find(&format!("INSERT INTO {vt} "))
        .expect("a version INSERT");
    let update = script
        .find(&format!("UPDATE {vt} SET"))
        .expect("version UPDATEs");
    assert!(insert < update, "INSERT first, then UPDATEs");
    assert!(script.contains(&format!("INSERT INTO {vt} (")));
    assert!(script.contains("VALUES ('a1000000c001');"), "{script}");
    assert_eq!(script.matches("-- Running upgrade ").count(), 20);
    assert!(script.contains("-- Running upgrade  -> a1000000c001\n"));
    assert!(
        script.contains(" -> c1000000e001\n"),
        "the merge step: {script}"
    );
    check_markers(d, script, 19);
}

/// `BEGIN;`/`COMMIT;` around each transactional migration where DDL is transactional (one
/// of the project's migrations is `transactional = false`), none on MySQL; and the version
/// table is never dropped.
fn check_markers(d: Dialect, script: &str, transactional: usize) {
    let expected = if d == Dialect::Mysql {
        0
    } else {
        transactional
    };
    assert_eq!(script.matches("BEGIN;\n").count(), expected, "{script}");
    assert_eq!(script.matches("COMMIT;\n").count(), expected, "{script}");
    assert!(!script.contains(&format!("DROP TABLE {}", version_table(d))));
    assert!(!script.contains("DROP TABLE migrate_version"));
}

fn assert_same(online: &Db, offline: &Db, when: &str) {
    let a = online.snapshot();
    let b = offline.snapshot();
    if let Some(d) = diff(&a, &b) {
        panic!("{:?} {when}: {d}", online.backend);
    }
}

fn online_equals_offline(backend: Backend) {
    let d = dialect(backend);
    let online = Db::new(backend, "on");
    let offline = Db::new(backend, "off");
    let m = migrator();

    let applied = m
        .clone()
        .url(&online.url)
        .unwrap()
        .upgrade("heads")
        .unwrap();
    assert_eq!(applied.len(), 20, "{applied:?}");
    let script = m.upgrade_sql(d, "heads").unwrap();
    check_upgrade_script(d, &script);
    // The same script from an explicit `base:` start.
    assert_eq!(m.upgrade_sql(d, "base:heads").unwrap(), script);
    offline.run_script(&script);
    assert_eq!(online.version_rows(), [HEAD]);
    assert_same(&online, &offline, "after upgrade heads");
    // The comparison sees what the project made (it is not comparing two empty databases).
    let tables = offline.tables();
    for t in [
        "accounts",
        "addresses",
        "audit_entries",
        "countries",
        "memberships",
    ] {
        assert!(tables.iter().any(|x| x == t), "{t} in {tables:?}");
    }
    let names = offline.query("SELECT display_name FROM accounts ORDER BY id");
    assert!(
        names.contains("O'Brien") && names.contains("日本語 😀"),
        "{names}"
    );

    m.clone().url(&online.url).unwrap().downgrade(MID).unwrap();
    let script = m.downgrade_sql(d, &format!("heads:{MID}")).unwrap();
    assert!(!script.contains("CREATE TABLE"), "{script}");
    assert!(script.contains(&format!("-- Running downgrade {HEAD} -> c7000000e007\n")));
    assert_eq!(
        script.matches("-- Running downgrade ").count(),
        11,
        "{script}"
    );
    check_markers(d, &script, 10);
    offline.run_script(&script);
    assert_eq!(online.version_rows(), ["a8000000c008", "d1000000a001"]);
    assert_same(&online, &offline, &format!("after downgrade {MID}"));
}

#[test]
fn postgres_script_equals_online_run() {
    online_equals_offline(Backend::Postgres);
}

#[test]
fn mariadb_script_equals_online_run() {
    online_equals_offline(Backend::Mysql);
}

#[test]
fn sqlite_script_equals_online_run() {
    online_equals_offline(Backend::Sqlite);
}

// ---- Range rules and refusals (no database) ----

use migrate_core::sql::Sql;
use migrate_core::{Migration, Op, Registry, Result, TransactionMode};

const PG: Dialect = Dialect::Postgres;

#[test]
fn ranges_follow_alembic() {
    let m = migrator();
    let err = m.downgrade_sql(PG, HEAD).unwrap_err();
    assert_eq!(
        err.to_string(),
        "downgrade with --sql requires <fromrev>:<torev>"
    );
    let err = m.upgrade_sql(PG, "zz:heads").unwrap_err();
    assert_eq!(err.to_string(), "Can't locate revision identified by 'zz'");

    // A start stands in for the database: no CREATE TABLE, the first change an UPDATE.
    let script = m.upgrade_sql(PG, "a8000000c008:b3000000f003").unwrap();
    assert!(script.starts_with("BEGIN;\n\n-- Running upgrade a8000000c008 -> b1000000f001\n"));
    assert!(script.contains("-- Running upgrade b1000000f001 -> b3000000f003\n"));
    assert!(!script.contains("CREATE TABLE \"migrate_version\""));
    assert!(script.contains(
        "UPDATE \"migrate_version\" SET \"version_num\" = 'b1000000f001' WHERE \"version_num\" = 'a8000000c008';"
    ));
    // Nothing to do: nothing printed.
    assert_eq!(m.upgrade_sql(PG, &format!("{HEAD}:heads")).unwrap(), "");

    // Down to base: the last row is deleted, the version table stays.
    let script = m.downgrade_sql(PG, "a2000000c002:base").unwrap();
    assert!(script.contains("DROP TABLE \"projects\";"), "{script}");
    assert!(script.contains("DROP TABLE \"accounts\";"), "{script}");
    assert!(script.ends_with(
        "DELETE FROM \"migrate_version\" WHERE \"version_num\" = 'a1000000c001';\n\nCOMMIT;\n\n"
    ));
    assert!(!script.contains("DROP TABLE \"migrate_version\""));
}

#[test]
fn stamp_scripts_change_rows_only() {
    let m = migrator();
    let script = m.stamp_sql(PG, &[HEAD]).unwrap();
    assert_eq!(
        script,
        "CREATE TABLE \"migrate_version\" (\"version_num\" VARCHAR(64) NOT NULL, CONSTRAINT \"migrate_version_pkc\" PRIMARY KEY (\"version_num\"));\n\n\
         BEGIN;\n\n-- Running stamp_revision  -> c8000000e008\n\n\
         INSERT INTO \"migrate_version\" (\"version_num\") VALUES ('c8000000e008');\n\nCOMMIT;\n\n"
    );
    // Alembic's `stamp --sql b:c b:e`: one start for every range; UPDATE, then INSERT.
    let script = m
        .stamp_sql(
            Dialect::Mysql,
            &["a8000000c008:b3000000f003", "a8000000c008:b2000000f002"],
        )
        .unwrap();
    let update = script
        .find("UPDATE `migrate_version` SET `version_num` = 'b3000000f003' WHERE `version_num` = 'a8000000c008';")
        .expect(&script);
    let insert = script
        .find("INSERT INTO `migrate_version` (`version_num`) VALUES ('b2000000f002');")
        .expect(&script);
    assert!(update < insert, "{script}");
    assert!(!script.contains("CREATE TABLE") && !script.contains("BEGIN;"));
    let err = m
        .stamp_sql(
            PG,
            &["a1000000c001:a2000000c002", "a3000000c003:a4000000c004"],
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Stamp operation with --sql only supports a single starting revision at a time"
    );
}

#[test]
fn one_transaction_mode_shares_begin_and_commit() {
    let m = migrator().transaction_mode(TransactionMode::Single);
    for d in [Dialect::Postgres, Dialect::Sqlite] {
        let script = m.upgrade_sql(d, "heads").unwrap();
        // Split only by the one `transactional = false` migration.
        assert_eq!(script.matches("BEGIN;\n").count(), 2, "{script}");
        assert_eq!(script.matches("COMMIT;\n").count(), 2, "{script}");
        let concurrent = script
            .find("-- Running upgrade c3000000e003 -> c4000000e004")
            .unwrap();
        let before = &script[..concurrent];
        assert!(before.trim_end().ends_with("COMMIT;"), "{before}");
        assert!(script.find("CREATE TABLE").unwrap() < script.find("BEGIN;").unwrap());
    }
    let script = m.upgrade_sql(Dialect::Mysql, "heads").unwrap();
    assert!(!script.contains("BEGIN;") && !script.contains("COMMIT;"));
}

/// A migrator over one hand-built root migration `rev`.
fn single(rev: &'static str, upgrade: fn(&mut Op) -> Result<()>) -> Migrator {
    let m = Migration::__new(
        rev,
        &[],
        &[],
        &[],
        "test",
        "sum",
        "t.rs",
        1,
        upgrade,
        None,
        true,
    );
    Migrator::from_registry(Registry::from_migrations([m]).unwrap())
}

#[test]
fn what_cannot_be_printed_is_refused_naming_the_migration() {
    let rust = single("e1000000000a", |op| op.run(|_| Ok(())));
    let err = rust.upgrade_sql(PG, "heads").unwrap_err();
    assert_eq!(err.revision(), Some("e1000000000a"));
    let msg = err.to_string();
    assert!(msg.starts_with("migration e1000000000a "), "{msg}");
    assert!(msg.contains("op.run_offline"), "{msg}");

    let given = single("e1000000000b", |op| {
        op.run_offline(["UPDATE t SET x = 1"], |_| Ok(()))
    });
    let script = given.upgrade_sql(PG, "heads").unwrap();
    assert!(script.contains("\n\nUPDATE t SET x = 1;\n\n"), "{script}");

    let check = single("e1000000000c", |op| {
        op.create_check_constraint("ck_t_x", "t", Sql("x > 0"))?;
        Ok(())
    });
    let err = check.upgrade_sql(Dialect::Sqlite, "heads").unwrap_err();
    assert_eq!(err.revision(), Some("e1000000000c"));
    let msg = err.to_string();
    assert!(
        msg.contains("table rebuild") && msg.contains("online"),
        "{msg}"
    );
    assert!(check
        .upgrade_sql(PG, "heads")
        .unwrap()
        .contains("ADD CONSTRAINT \"ck_t_x\""));

    let raw = single("e1000000000d", |op| {
        op.execute("UPDATE t SET x = 2")?;
        Ok(())
    });
    let err = raw.downgrade_sql(PG, "e1000000000d:base").unwrap_err();
    assert_eq!(err.revision(), Some("e1000000000d"));
    assert!(
        err.to_string()
            .contains("cannot downgrade past e1000000000d"),
        "{err}"
    );

    let concurrent = single("e1000000000e", |op| {
        op.create_index("ix_t_x", "t", &["x"])?.concurrently();
        Ok(())
    });
    let err = concurrent.upgrade_sql(PG, "heads").unwrap_err();
    assert_eq!(err.revision(), Some("e1000000000e"));
    assert!(err.to_string().contains("transactional = false"), "{err}");
}

/// `migrations!()` registers the crate's `MIGRATIONS` with inventory once: `Linked` alone
/// (what a program linking the crate runs) finds every one of its migrations.
#[test]
fn linked_finds_every_migration_of_the_set() {
    let linked = Migrator::new(&migrate_core::Linked).unwrap();
    let mut found: Vec<&str> = linked
        .registry()
        .migrations()
        .iter()
        .map(|m| m.rev())
        .collect();
    found.sort_unstable();
    let mut want: Vec<&str> = MIGRATIONS.migrations.iter().map(|m| m.rev).collect();
    want.sort_unstable();
    assert_eq!(want.len(), 20);
    assert_eq!(found, want);
}
