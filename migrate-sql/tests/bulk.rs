//! `bulk_insert` rendering: one `INSERT` per row on PostgreSQL and SQLite; bounded multi-row
//! `INSERT`s on MySQL/MariaDB (rows and bytes), every row exactly once, in order.

use migrate_sql::{Dialect, Operations, Value};

fn rows(n: usize, text_len: usize) -> Vec<Vec<Value>> {
    (0..n)
        .map(|i| {
            vec![
                Value::from(i64::try_from(i).unwrap_or(i64::MAX)),
                Value::Text(format!(
                    "{}{i}",
                    "0".repeat(text_len.saturating_sub(i.to_string().len()))
                )),
            ]
        })
        .collect()
}

fn render(dialect: Dialect, rows: Vec<Vec<Value>>) -> Vec<String> {
    let mut op = Operations::default();
    op.bulk_insert("t", &["id", "name"], rows)
        .expect("valid rows");
    op.as_slice()[0].render(dialect).expect("renders")
}

#[test]
fn mysql_batches_by_rows() {
    let sql = render(Dialect::Mysql, rows(2500, 4));
    assert_eq!(sql.len(), 3, "1000 + 1000 + 500 rows");
    assert!(sql[0].starts_with("INSERT INTO `t` (`id`, `name`) VALUES (0, '0000'), (1, '0001')"));
    assert_eq!(sql[0].matches("), (").count(), 999);
    assert_eq!(sql[2].matches("), (").count(), 499);
    assert!(
        sql[2].ends_with("(2499, '2499')"),
        "{}",
        &sql[2][sql[2].len() - 40..]
    );
}

#[test]
fn mysql_batches_by_bytes() {
    // 2 KiB per row: the byte budget (512 KiB) ends a statement before 1000 rows.
    let sql = render(Dialect::Mysql, rows(1000, 2048));
    assert!(sql.len() > 1, "{} statements", sql.len());
    for s in &sql {
        assert!(s.len() <= 512 * 1024, "{} bytes", s.len());
    }
    let total: usize = sql.iter().map(|s| s.matches("), (").count() + 1).sum();
    assert_eq!(total, 1000, "every row once");
}

#[test]
fn an_oversized_row_goes_alone() {
    let sql = render(Dialect::Mysql, rows(3, 600 * 1024));
    assert_eq!(sql.len(), 3);
}

#[test]
fn one_insert_per_row_elsewhere() {
    for d in [Dialect::Postgres, Dialect::Sqlite] {
        let sql = render(d, rows(3, 1));
        assert_eq!(sql.len(), 3, "{d:?}");
        assert_eq!(
            sql[0],
            "INSERT INTO \"t\" (\"id\", \"name\") VALUES (0, '0')"
        );
    }
}
