//! Every kind of `Value` written by `bulk_insert` reads back as the same value.

use crate::common::db::Db;
use migrate_sql::{Dialect, Operations, Type, Value};

fn round_trip(d: Dialect, tag: &str) {
    let mut db = Db::open(d, tag);
    let mut op = Operations::default();
    let built = (|| -> migrate_sql::Result<()> {
        op.create_table("vals", |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("b", Type::Boolean);
            t.column("f", Type::Double);
            t.column("bin", Type::Binary);
            t.column("t", Type::Text);
            t.column("n", Type::Numeric(10, 2));
            t.column("nul", Type::Text);
        })?;
        op.bulk_insert(
            "vals",
            &["id", "b", "f", "bin", "t", "n", "nul"],
            vec![
                vec![
                    1.into(),
                    true.into(),
                    1.5.into(),
                    vec![0u8, 255, b'\'', b'\\'].into(),
                    "naïve 'x' \\ \"y\" \n z".into(),
                    Value::Float(2.25),
                    Value::Null,
                ],
                vec![
                    2.into(),
                    false.into(),
                    Value::Float(-0.001),
                    Vec::<u8>::new().into(),
                    "".into(),
                    Value::Int(-7),
                    None::<&str>.into(),
                ],
            ],
        )?;
        Ok(())
    })();
    if let Err(e) = built
        .map_err(|e| e.to_string())
        .and_then(|_| db.apply(op.as_slice()))
    {
        panic!("{d:?}: {e}");
    }
    let q = match d {
        Dialect::Postgres => "SELECT concat_ws('|', id, CASE WHEN b THEN 1 ELSE 0 END, f, encode(bin, 'hex'), t, n, coalesce(nul, 'NULL')) AS line FROM vals ORDER BY id",
        Dialect::Mysql => "SELECT CONCAT_WS('|', id, b, f, LOWER(HEX(bin)), t, n, COALESCE(nul, 'NULL')) AS line FROM vals ORDER BY id",
        Dialect::Sqlite => "SELECT concat_ws('|', id, b, f, lower(hex(bin)), t, printf('%.2f', n), coalesce(nul, 'NULL')) AS line FROM vals ORDER BY id",
    };
    assert_eq!(
        db.lines(q),
        [
            "1|1|1.5|00ff275c|naïve 'x' \\ \"y\" \n z|2.25|NULL",
            "2|0|-0.001|||-7.00|NULL"
        ],
        "{d:?}"
    );
}

#[test]
fn values_round_trip_on_postgres() {
    round_trip(Dialect::Postgres, "pg_values");
}

#[test]
fn values_round_trip_on_mysql() {
    round_trip(Dialect::Mysql, "my_values");
}

#[test]
fn values_round_trip_on_sqlite() {
    round_trip(Dialect::Sqlite, "lite_values");
}

/// `Type::Text` is "text of any length" on every backend: on MySQL/MariaDB plain `TEXT` holds
/// 64 KB only, so an 8 MB value failed there; it is `LONGTEXT` (4 GB).
fn large_text(d: Dialect, tag: &str) {
    let mut db = Db::open(d, tag);
    let mut op = Operations::default();
    let big = "x".repeat(8 * 1024 * 1024);
    let built = (|| -> migrate_sql::Result<()> {
        op.create_table("docs", |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("body", Type::Text);
        })?;
        op.bulk_insert(
            "docs",
            &["id", "body"],
            vec![vec![1.into(), big.as_str().into()]],
        )?;
        Ok(())
    })();
    if let Err(e) = built
        .map_err(|e| e.to_string())
        .and_then(|_| db.apply(op.as_slice()))
    {
        panic!("{d:?}: {}", &e[..e.len().min(300)]);
    }
    let q = match d {
        Dialect::Mysql => "SELECT CAST(LENGTH(body) AS CHAR) AS line FROM docs",
        _ => "SELECT CAST(length(body) AS TEXT) AS line FROM docs",
    };
    assert_eq!(db.lines(q), [big.len().to_string()], "{d:?}");
}

#[test]
fn eight_megabytes_of_text_fit_on_mysql() {
    large_text(Dialect::Mysql, "my_large_text");
}

#[test]
fn eight_megabytes_of_text_fit_on_postgres() {
    large_text(Dialect::Postgres, "pg_large_text");
}

#[test]
fn eight_megabytes_of_text_fit_on_sqlite() {
    large_text(Dialect::Sqlite, "lite_large_text");
}
