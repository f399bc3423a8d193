//! `diesel_schema::render` on cases the CLI's goldens (printed by diesel_cli 2.3) do not
//! cover: other schemas, tables Diesel cannot print, MySQL's unsigned and SET types, long
//! table lists.

use migrate_schema::diesel_schema::{render, Error};
use migrate_schema::{Schema, Table};
use migrate_sql::{Dialect, Type};

use crate::replay;

#[test]
fn an_empty_schema_is_the_header_alone() {
    for d in crate::ALL {
        assert_eq!(
            render(&Schema::new(d)).unwrap(),
            "// @generated automatically by Diesel CLI.\n"
        );
    }
}

#[test]
fn a_table_without_a_primary_key_is_an_error_on_servers_and_a_rowid_on_sqlite() {
    for d in [Dialect::Postgres, Dialect::Mysql] {
        let s = replay(d, |op| {
            op.create_table("log", |t| {
                t.column("line", Type::Text);
            })
            .unwrap();
        });
        let e = render(&s).unwrap_err();
        assert_eq!(
            e,
            Error::NoPrimaryKey {
                table: "log".into()
            }
        );
        assert!(e.to_string().contains("has no primary key"), "{e}");
    }
    let s = replay(Dialect::Sqlite, |op| {
        op.create_table("log", |t| {
            t.column("rowid", Type::Text);
            t.column("line", Type::Text);
        })
        .unwrap();
    });
    let text = render(&s).unwrap();
    assert!(
        text.contains(
            "    log (oid) {\n        oid -> Integer,\n        rowid -> Nullable<Text>,\n"
        ),
        "{text}"
    );
}

#[test]
fn a_sqlite_type_diesel_cannot_map_names_the_column() {
    let s = replay(Dialect::Sqlite, |op| {
        op.create_table("hosts", |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("addr", Type::Custom("INET".into()));
        })
        .unwrap();
    });
    let e = render(&s).unwrap_err();
    assert_eq!(
        e.to_string().split(';').next(),
        Some("column hosts.addr has the SQLite type `inet`, which Diesel cannot map to a SQL type")
    );
}

#[test]
fn tables_of_another_schema_go_in_a_module_of_their_own() {
    let s = replay(Dialect::Postgres, |op| {
        op.create_table(("billing", "invoices"), |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("customer_id", Type::Integer)
                .references(("billing", "customers"), "id");
            t.column("state", Type::Custom("timetz".into()));
        })
        .unwrap();
        op.create_table(("billing", "customers"), |t| {
            t.column("id", Type::Integer).primary_key();
        })
        .unwrap();
        op.create_table("users", |t| {
            t.column("id", Type::Integer).primary_key();
        })
        .unwrap();
    });
    assert_eq!(
        render(&s).unwrap(),
        r#"// @generated automatically by Diesel CLI.

diesel::table! {
    users (id) {
        id -> Int4,
    }
}

pub mod billing {
    pub mod sql_types {
        #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
        #[diesel(postgres_type(name = "timetz", schema = "pg_catalog"))]
        pub struct Timetz;
    }

    diesel::table! {
        billing.customers (id) {
            id -> Int4,
        }
    }

    diesel::table! {
        use diesel::sql_types::*;
        use super::sql_types::Timetz;

        billing.invoices (id) {
            id -> Int4,
            customer_id -> Nullable<Int4>,
            state -> Nullable<Timetz>,
        }
    }

    diesel::joinable!(invoices -> customers (customer_id));

    diesel::allow_tables_to_appear_in_same_query!(customers, invoices,);
}
"#
    );
}

#[test]
fn mysql_unsigned_and_set_columns() {
    let mut s = Schema::new(Dialect::Mysql);
    let mut t = Table::new("counters");
    let mut id = migrate_schema::Column::new("id", Type::Custom("bigint(20) unsigned".into()));
    id.nullable = false;
    t.columns.push(id);
    t.columns.push(migrate_schema::Column::new(
        "flags",
        Type::Custom("set('a','bc')".into()),
    ));
    t.primary_key = Some(migrate_schema::PrimaryKey {
        name: None,
        columns: vec!["id".into()],
    });
    s.insert_table(t);
    let text = render(&s).unwrap();
    assert!(text.contains("        id -> Unsigned<Bigint>,\n        #[max_length = 4]\n        flags -> Nullable<CountersFlagsSet>,\n"), "{text}");
    assert!(
        text.contains("#[diesel(mysql_type(name = \"Set\"))]\n    pub struct CountersFlagsSet;"),
        "{text}"
    );
}

#[test]
fn a_long_table_list_is_wrapped_as_rustfmt_wraps_it() {
    let s = replay(Dialect::Sqlite, |op| {
        for i in 0..12 {
            op.create_table(format!("table_{i:02}"), |t| {
                t.column("id", Type::Integer).primary_key();
            })
            .unwrap();
        }
    });
    let text = render(&s).unwrap();
    let tail = text.rsplit("\n\n").next().unwrap();
    assert_eq!(
        tail,
        "diesel::allow_tables_to_appear_in_same_query!(\n    table_00, table_01, table_02, table_03, table_04, table_05, table_06, table_07, table_08,\n    table_09, table_10, table_11,\n);\n"
    );
}
