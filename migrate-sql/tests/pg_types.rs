//! What the new types and defaults do in the database: array values round-trip through
//! `bulk_insert`, portable defaults fill rows on every dialect, and PostgreSQL's own rules
//! for `ALTER TYPE .. ADD VALUE` and extensions.

use crate::common::db::Db;
use migrate_sql::{Default, Dialect, Operations, Type, Value};

#[test]
fn array_values_round_trip_through_bulk_insert_on_postgres() {
    let mut db = Db::open(Dialect::Postgres, "pgt_arrays");
    let mut op = Operations::default();
    let tricky = [
        "a,b",
        "{x}",
        "q\"uote",
        r"back\slash",
        "it's",
        "NULL",
        "",
        " sp ",
    ];
    let built = (|| -> migrate_sql::Result<()> {
        op.create_enum("mood", &["sad", "ok"])?;
        op.create_table("posts", |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("tags", Type::array(Type::Text));
            t.column("n", Type::array(Type::BigInt));
            t.column(
                "moods",
                Type::array(Type::enumeration("mood", &["sad", "ok"])),
            );
            t.column("grid", Type::array(Type::array(Type::Double)));
            t.column("blobs", Type::array(Type::Binary));
            t.column("flags", Type::array(Type::Boolean));
        })?;
        op.bulk_insert(
            "posts",
            &["id", "tags", "n", "moods", "grid", "blobs", "flags"],
            vec![
                vec![
                    1.into(),
                    Value::array(tricky),
                    Value::array([1_i64, -9_000_000_000]),
                    Value::array(["ok", "sad"]),
                    Value::Array(vec![Value::array([1.5, 2.0]), Value::array([-0.25, 1e300])]),
                    Value::array([vec![0u8, 255], vec![b'\\', b'\'']]),
                    Value::Array(vec![true.into(), Value::Null, false.into()]),
                ],
                vec![
                    2.into(),
                    Value::array(Vec::<&str>::new()),
                    Value::Null,
                    Value::array(Vec::<&str>::new()),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
            ],
        )
    })();
    built.expect("the migration builds");
    db.apply(op.as_slice()).expect("applies");
    // Element by element, as PostgreSQL itself reads them.
    let tags = db.lines(
        "SELECT t AS line FROM posts, unnest(tags) WITH ORDINALITY u(t, i) WHERE id = 1 ORDER BY i",
    );
    assert_eq!(
        tags,
        tricky.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    );
    let one = db.lines(
        "SELECT concat_ws(' | ', n::text, moods::text, grid::text, array_length(grid, 1)::text, \
         array_length(grid, 2)::text, encode(blobs[1], 'hex'), encode(blobs[2], 'hex'), flags::text) \
         AS line FROM posts WHERE id = 1",
    );
    assert_eq!(
        one,
        ["{1,-9000000000} | {ok,sad} | {{1.5,2},{-0.25,1e+300}} | 2 | 2 | 00ff | 5c27 | {t,NULL,f}"]
    );
    let two = db.lines(
        "SELECT concat_ws(' | ', cardinality(tags), cardinality(moods), coalesce(n::text, 'null')) \
         AS line FROM posts WHERE id = 2",
    );
    assert_eq!(two, ["0 | 0 | null"]);
}

#[test]
fn array_values_are_refused_where_there_are_no_arrays() {
    for d in [Dialect::Mysql, Dialect::Sqlite] {
        let mut op = Operations::default();
        op.bulk_insert("t", &["tags"], vec![vec![Value::array(["a"])]])
            .unwrap();
        let err = op.as_slice()[0].render(d).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: Value::Array: only PostgreSQL has arrays; store the list as JSON text (Value::Text) in a Type::Json column",
                d.name()
            )
        );
    }
}

/// Each dialect fills the portable defaults itself: distinct version-4 (SQLite, PostgreSQL)
/// or version-1 (MariaDB's `UUID()`) UUIDs and the current time.
#[test]
fn portable_defaults_fill_rows_on_every_dialect() {
    for (d, tag) in [
        (Dialect::Postgres, "pgt_defaults_pg"),
        (Dialect::Mysql, "pgt_defaults_my"),
        (Dialect::Sqlite, "pgt_defaults_lite"),
    ] {
        let mut db = Db::open(d, tag);
        let mut op = Operations::default();
        op.create_table("t", |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("token", Type::Uuid)
                .not_null()
                .server_default(Default::GenRandomUuid);
            t.column("at", Type::TimestampTz)
                .not_null()
                .server_default(Default::Now);
        })
        .unwrap();
        db.apply(op.as_slice()).unwrap();
        db.exec("INSERT INTO t (id) VALUES (1)").unwrap();
        db.exec("INSERT INTO t (id) VALUES (2)").unwrap();
        let rows = db.lines(match d {
            Dialect::Mysql => "SELECT CONCAT(token, ' ', YEAR(at)) AS line FROM t ORDER BY id",
            Dialect::Postgres => {
                "SELECT token::text || ' ' || extract(year FROM at)::int AS line FROM t ORDER BY id"
            }
            Dialect::Sqlite => "SELECT token || ' ' || substr(at, 1, 4) AS line FROM t ORDER BY id",
        });
        assert_eq!(rows.len(), 2, "{d:?}");
        let (a, b) = (&rows[0], &rows[1]);
        assert_ne!(a[..36], b[..36], "{d:?}: a fresh UUID per row");
        for r in &rows {
            let u = &r[..36];
            let groups: Vec<usize> = u.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{d:?}: {u}");
            assert!(u.chars().all(|c| c == '-' || c.is_ascii_hexdigit()), "{u}");
            if d != Dialect::Mysql {
                assert_eq!(&u[14..15], "4", "{d:?}: version 4: {u}");
                assert!("89ab".contains(&u[19..20]), "{d:?}: RFC 4122 variant: {u}");
            }
            let year: i32 = r[37..].parse().unwrap();
            assert!(year >= 2024, "{d:?}: the current time: {r}");
        }
    }
}

/// PostgreSQL 12 and later run `ADD VALUE` inside a transaction block, but the value cannot
/// be used before that transaction commits (what the docs of `add_enum_value` say).
#[test]
fn a_new_enum_value_is_usable_only_after_its_transaction_commits() {
    let mut db = Db::open(Dialect::Postgres, "pgt_enum_tx");
    let mut op = Operations::default();
    op.create_enum("mood", &["sad"]).unwrap();
    db.apply(op.as_slice()).unwrap();
    let mut add = Operations::default();
    add.add_enum_value("mood", "ok").unwrap();
    let sql = add.as_slice()[0]
        .render(Dialect::Postgres)
        .unwrap()
        .remove(0);
    let err = db
        .exec(&format!("BEGIN; {sql}; SELECT 'ok'::mood; COMMIT"))
        .unwrap_err();
    assert!(err.contains("unsafe use of new value"), "{err}");
    db.exec("ROLLBACK").unwrap();
    db.exec(&format!("BEGIN; {sql}; COMMIT")).unwrap();
    assert_eq!(db.lines("SELECT 'ok'::mood::text AS line"), ["ok"]);
}
