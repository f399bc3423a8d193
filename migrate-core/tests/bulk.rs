//! `op.bulk_insert` of 10k rows on each backend (batched into multi-row INSERTs on MariaDB):
//! every value reads back as written.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestDb;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use migrate_core::sql::{Dialect, Value};
use migrate_core::{Backend, Migration, Migrator, Op, Registry, Result};

on_each_backend!(ten_thousand_rows_round_trip);

const ROWS: i64 = 10_000;

/// Row `i`: quotes, backslashes, a would-be injection, non-ASCII, a newline, NULLs, and every
/// tenth row long (6 kB) so that MariaDB's batches of 1000 rows are cut by size (512 KiB) too.
fn row(i: i64) -> (i64, String, Option<String>, bool, f64) {
    let name = match i % 5 {
        0 => format!("O'Brien {i}"),
        1 => format!("back\\slash {i}"),
        2 => format!("'); DROP TABLE bulk; -- {i}"),
        3 => format!("é漢字 {i}"),
        _ => format!("two\nlines {i}"),
    };
    let name = if i % 10 == 0 {
        format!("{name} {}", "x".repeat(6000))
    } else {
        name
    };
    let note = (i % 7 != 0).then(|| format!("note {i}"));
    (i, name, note, i % 2 == 0, i as f64 / 4.0)
}

fn upgrade(op: &mut Op) -> Result<()> {
    let float = match op.dialect() {
        Dialect::Postgres => "DOUBLE PRECISION",
        Dialect::Mysql => "DOUBLE",
        _ => "REAL",
    };
    op.execute(format!(
        "CREATE TABLE bulk (id BIGINT PRIMARY KEY, name TEXT NOT NULL, note TEXT, \
         flag BOOLEAN NOT NULL, score {float} NOT NULL)"
    ))?;
    let rows = (0..ROWS)
        .map(|i| {
            let (id, name, note, flag, score) = row(i);
            vec![
                Value::Int(id),
                Value::Text(name),
                note.map_or(Value::Null, Value::Text),
                Value::Bool(flag),
                Value::Float(score),
            ]
        })
        .collect();
    op.bulk_insert("bulk", &["id", "name", "note", "flag", "score"], rows)?;
    Ok(())
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    note: Option<String>,
    #[diesel(sql_type = Bool)]
    flag: bool,
    #[diesel(sql_type = Double)]
    score: f64,
}

fn ten_thousand_rows_round_trip(backend: Backend) {
    let db = TestDb::new(backend, "bulk10k");
    let m = Migration::__new(
        "b1",
        &[],
        &[],
        &[],
        "bulk",
        "s",
        "tests/versions/b1.rs",
        1,
        upgrade,
        None,
        true,
    );
    Migrator::from_registry(Registry::from_migrations(vec![m]).unwrap())
        .url(&db.url)
        .unwrap()
        .upgrade("head")
        .unwrap();
    let got: Vec<Row> =
        diesel::sql_query("SELECT id, name, note, flag, score FROM bulk ORDER BY id")
            .load(&mut db.conn())
            .unwrap();
    assert_eq!(got.len(), 10_000);
    for (i, r) in got.iter().enumerate() {
        let (id, name, note, flag, score) = row(i64::try_from(i).unwrap());
        assert_eq!(
            *r,
            Row {
                id,
                name,
                note,
                flag,
                score
            },
            "row {i}"
        );
    }
}
