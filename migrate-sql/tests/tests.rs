//! One integration-test binary: golden SQL, reversal, injection, offline scripts, SQLite
//! rebuilds, and every operation executed on PostgreSQL, MariaDB and SQLite.

mod common;

/// Calls `$m!` with every scenario name of `common::all()` (checked by `scenario_list_is_complete`).
macro_rules! for_each_scenario {
    ($m:ident) => {
        $m! {
            create_table_design_example,
            create_table_all_types,
            create_table_constraints,
            create_table_foreign_keys,
            create_enum_and_table,
            drop_table,
            drop_table_irreversible,
            rename_table,
            add_column,
            add_column_not_null_default,
            add_column_foreign_key,
            add_column_unique_rebuild,
            drop_column,
            alter_column_type,
            alter_column_type_using,
            alter_column_nullable,
            alter_column_default,
            alter_column_drop_default,
            alter_column_rename,
            alter_column_rename_and_type,
            alter_column_without_existing_type,
            alter_column_comment,
            create_index,
            create_index_unique,
            create_index_partial,
            create_index_expression,
            create_index_concurrently,
            drop_index,
            create_unique_constraint,
            drop_unique_constraint,
            create_check_constraint,
            drop_check_constraint,
            create_foreign_key,
            drop_foreign_key,
            create_primary_key,
            drop_enum,
            set_table_comment,
            execute_reversible,
            bulk_insert,
            create_table_double_and_portable_defaults,
            add_column_portable_defaults,
            alter_column_portable_default,
            create_index_btree_explicit,
            create_index_methods,
            create_table_arrays,
            add_enum_value
        }
    };
}

mod batch;
mod bulk;
mod db;
mod golden;
mod injection;
mod offline;
mod pg_types;
mod reverse;
mod validation;
mod values;

#[test]
fn scenario_list_is_complete() {
    macro_rules! names {
        ($($n:ident),*) => { vec![$(stringify!($n)),*] };
    }
    let listed: Vec<&str> = for_each_scenario!(names);
    let all: Vec<&str> = common::all().iter().map(|s| s.name).collect();
    assert_eq!(listed, all);
}
