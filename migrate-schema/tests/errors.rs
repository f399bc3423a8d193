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

/// A small deterministic generator of SQL-ish garbage (no extra dependency).
fn garbage(seed: u64, n: usize) -> Vec<String> {
    const PIECES: [&str; 34] = [
        "(",
        ")",
        "[",
        "]",
        "'",
        "\"",
        "`",
        "::",
        "-",
        "+",
        "e",
        "E'",
        "X'",
        "_utf8mb4",
        "1",
        "1.5",
        ".",
        ",",
        "now",
        "()",
        "ANY",
        "ARRAY",
        "IN",
        "AND",
        "OR",
        "\\",
        "''",
        "text",
        "varying",
        "int(11)",
        " ",
        ";",
        "CREATE TABLE",
        "é",
    ];
    let mut x = seed;
    (0..n)
        .map(|_| {
            let len = (x % 12) as usize + 1;
            (0..len)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    PIECES[(x >> 33) as usize % PIECES.len()]
                })
                .collect()
        })
        .collect()
}

#[test]
fn no_input_makes_normalisation_or_replay_panic() {
    for d in ALL {
        let rules = Rules::new(d);
        for s in garbage(u64::from(d == Dialect::Mysql) + 7, 3000) {
            let _ = migrate_schema::normalize::expression(&s, d);
            let _ = migrate_schema::normalize::type_text(&s, &rules);
            let def = migrate_sql::ColumnDefault::Sql(s.clone());
            let _ = migrate_schema::normalize::default(Some(&def), &Type::Integer, false, &rules);
            let mut schema = Schema::new(d);
            let _ = schema.apply(&migrate_sql::Operation::Execute {
                sql: s,
                reverse: None,
            });
        }
    }
}

#[test]
fn deeply_nested_sql_is_uncertain_not_a_stack_overflow() {
    let deep = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
    let s = replay(Dialect::Postgres, |op| op.execute(deep.clone()).unwrap());
    assert!(!s.uncertain().is_empty());
    let e = migrate_schema::normalize::expression(&deep, Dialect::Postgres);
    assert!(e.ends_with(')'));
}
