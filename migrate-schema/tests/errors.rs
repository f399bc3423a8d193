//! Bad input is a typed error naming the table and the operation, never a panic; names
//! follow each dialect's case rules.

use migrate_schema::{ErrorKind, Rules, Schema};
use migrate_sql::{ConstraintType, Dialect, Operations, Type};

use crate::replay::{err, users};
use crate::{replay, ALL};

#[test]
fn every_operation_on_a_missing_table_is_an_error_naming_it() {
    for d in ALL {
        let mut op = Operations::default();
        op.rename_table("ghost", "g2").unwrap();
        op.add_column("ghost", "c", Type::Text).unwrap();
        op.drop_column("ghost", "c").unwrap();
        op.alter_column("ghost", "c").unwrap().set_nullable(false);
        op.create_index("ix", "ghost", &["c"]).unwrap();
        op.drop_index("ix", "ghost").unwrap();
        op.create_unique_constraint("uq", "ghost", &["c"]).unwrap();
        op.drop_constraint("uq", "ghost", ConstraintType::Unique)
            .unwrap();
        op.set_table_comment("ghost", Some("x"), None).unwrap();
        op.drop_table("ghost").unwrap();
        op.bulk_insert(("s", "ghost"), &["c"], vec![]).unwrap();
        for o in op.as_slice() {
            let mut s = Schema::new(d);
            let e = s.apply(o).expect_err("no table ghost");
            assert!(matches!(e.kind, ErrorKind::NoTable(_)), "{e}");
            assert!(e.table().unwrap().ends_with("ghost"), "{e}");
            assert!(e.to_string().contains("ghost"), "{e}");
        }
    }
}

#[test]
fn column_names_follow_the_dialects_case_rules() {
    // MySQL and SQLite compare column names case-insensitively; PostgreSQL (quoted) does not.
    for d in [Dialect::Mysql, Dialect::Sqlite] {
        let e = err(d, |op| {
            users(op);
            op.add_column("users", "EMAIL", Type::Text).unwrap();
        });
        assert!(
            matches!(e.kind, ErrorKind::ColumnExists { .. }),
            "{}",
            d.name()
        );
    }
    let s = replay(Dialect::Postgres, |op| {
        users(op);
        op.add_column("users", "EMAIL", Type::Text).unwrap();
    });
    assert_eq!(s.table(&"users".into()).unwrap().columns.len(), 4);
    // SQLite table names too; MySQL's by lower_case_table_names (0 here).
    let s = replay(Dialect::Sqlite, |op| {
        users(op);
        op.add_column("USERS", "bio", Type::Text).unwrap();
    });
    assert_eq!(s.table(&"users".into()).unwrap().columns.len(), 4);
    let e = err(Dialect::Mysql, |op| {
        users(op);
        op.add_column("USERS", "bio", Type::Text).unwrap();
    });
    assert_eq!(e.kind, ErrorKind::NoTable("USERS".into()));
}

#[test]
fn mysql_table_names_follow_lower_case_table_names() {
    let mut op = Operations::default();
    users(&mut op);
    op.add_column("USERS", "bio", Type::Text).unwrap();
    let mut rules = Rules::new(Dialect::Mysql);
    assert!(Schema::replay_with(rules.clone(), op.as_slice()).is_err());
    rules.lower_case_table_names = 1;
    let s = Schema::replay_with(rules, op.as_slice()).unwrap();
    assert_eq!(s.table(&"Users".into()).unwrap().columns.len(), 4);
}
