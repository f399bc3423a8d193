//! Replay of 10k migrations' operations, and the diff of two 1000-table models.
//!
//! Targets: replay ≤ 200 ms, diff ≤ 50 ms (`cargo bench -p migrate-schema`).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use migrate_schema::{diff, Schema};
use migrate_sql::{Action, ColumnDefault, Dialect, Operation, Operations, Sql, Type};

const TABLES: usize = 1000;

/// Ten columns, two indexes and a foreign key to the previous table.
fn create(op: &mut Operations, i: usize) {
    op.create_table(format!("t{i}"), |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("name", Type::String(255)).not_null().default("x");
        t.column("body", Type::Text);
        t.column("n", Type::Integer).not_null().default(0);
        t.column("price", Type::Numeric(10, 2));
        t.column("active", Type::Boolean).default(true);
        t.column("at", Type::TimestampTz)
            .server_default(Sql("CURRENT_TIMESTAMP"));
        t.column("uid", Type::Uuid);
        t.column("doc", Type::Jsonb);
        let r = t.column("parent", Type::BigInt);
        if i > 0 {
            r.references(format!("t{}", i - 1), "id")
                .on_delete(Action::Cascade);
        }
    })
    .expect("valid table");
    op.create_index(&format!("ix_t{i}_name"), format!("t{i}"), &["name"])
        .expect("valid index")
        .unique();
    op.create_index(&format!("ix_t{i}_n_at"), format!("t{i}"), &["n", "at"])
        .expect("valid index");
}

/// 10k migrations: 1000 create tables, then 9000 changes of every common kind.
fn migrations() -> Vec<Operation> {
    let mut op = Operations::default();
    for i in 0..TABLES {
        create(&mut op, i);
    }
    for m in 0..9000 {
        let t = format!("t{}", m % TABLES);
        let c = format!("c{m}");
        match m % 6 {
            0 => {
                op.add_column(t.as_str(), c.as_str(), Type::Text)
                    .expect("valid");
            }
            1 => {
                op.add_column(t.as_str(), c.as_str(), Type::Integer)
                    .expect("valid")
                    .default(1);
                op.create_index(&format!("ix_{c}"), t.as_str(), &[c.as_str()])
                    .expect("valid");
            }
            2 => {
                op.alter_column(t.as_str(), "body")
                    .expect("valid")
                    .set_nullable(m % 12 == 2)
                    .existing_type(Type::Text);
            }
            3 => {
                op.add_column(t.as_str(), c.as_str(), Type::String(40))
                    .expect("valid");
                op.drop_column(t.as_str(), c.as_str()).expect("valid");
            }
            4 => {
                op.create_check_constraint(&format!("ck_{c}"), t.as_str(), Sql("n >= 0"))
                    .expect("valid");
            }
            _ => {
                op.set_table_comment(t.as_str(), Some("x"), None)
                    .expect("valid");
                op.bulk_insert(t.as_str(), &["name"], vec![vec!["y".into()]])
                    .expect("valid");
            }
        }
    }
    op.into_vec()
}

/// What introspection would read for `create`'s tables: the database's own spellings.
fn introspected(s: &Schema) -> Schema {
    let mut a = s.clone();
    for i in 0..TABLES {
        let t = a.table_mut(&format!("t{i}").into()).expect("table");
        for c in &mut t.columns {
            let (ty, def) = match c.name.as_str() {
                "id" => ("bigint", None),
                "name" => ("character varying(255)", Some("'x'::character varying")),
                "body" => ("text", None),
                "n" => ("integer", Some("0")),
                "price" => ("numeric(10,2)", None),
                "active" => ("boolean", Some("true")),
                "at" => ("timestamp with time zone", Some("now()")),
                "uid" => ("uuid", None),
                "doc" => ("jsonb", None),
                _ => ("bigint", None),
            };
            c.ty = Type::Custom(ty.into());
            c.default = def.map(|d| ColumnDefault::Sql(d.into()));
        }
    }
    a
}

fn bench(c: &mut Criterion) {
    let ops = migrations();
    c.bench_function("replay 10k migrations", |b| {
        b.iter(|| Schema::replay(Dialect::Postgres, black_box(&ops)).expect("replays"))
    });
    let mut tables = Operations::default();
    for i in 0..TABLES {
        create(&mut tables, i);
    }
    let expected = Schema::replay(Dialect::Postgres, tables.as_slice()).expect("replays");
    let actual = introspected(&expected);
    assert!(
        diff(&expected, &actual).is_empty(),
        "the spellings are equal"
    );
    c.bench_function("diff two 1000-table models", |b| {
        b.iter(|| diff(black_box(&expected), black_box(&actual)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
