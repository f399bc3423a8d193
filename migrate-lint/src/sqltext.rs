//! What raw SQL (`op.execute`) does, as far as the rules need: which statements truncate a
//! table and which change data rather than the schema.

use migrate_sql::Dialect;
use sqlparser::ast::Statement;
use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

/// The kinds of statement in one `execute`'s SQL.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Kinds {
    /// The tables a `TRUNCATE` names.
    pub(crate) truncated: Vec<String>,
    /// `INSERT`, `UPDATE`, `DELETE` or `MERGE`: a data change (a backfill).
    pub(crate) data: bool,
    /// A statement that changes the schema (`CREATE`, `ALTER`, `DROP` ...).
    pub(crate) schema: bool,
}

/// The statement kinds of `sql`; SQL sqlparser can't read is judged by its first word.
pub(crate) fn kinds(sql: &str, dialect: Dialect) -> Kinds {
    let parsed = match dialect {
        Dialect::Postgres => Parser::parse_sql(&PostgreSqlDialect {}, sql),
        Dialect::Mysql => Parser::parse_sql(&MySqlDialect {}, sql),
        Dialect::Sqlite => Parser::parse_sql(&SQLiteDialect {}, sql),
    };
    let mut k = Kinds::default();
    match parsed {
        Ok(stmts) => {
            for s in &stmts {
                match s {
                    Statement::Truncate { table_names, .. } => k
                        .truncated
                        .extend(table_names.iter().map(|n| n.name.to_string())),
                    Statement::Insert(_)
                    | Statement::Update { .. }
                    | Statement::Delete(_)
                    | Statement::Merge { .. } => k.data = true,
                    Statement::Query(_)
                    | Statement::Set(_)
                    | Statement::StartTransaction { .. }
                    | Statement::Commit { .. } => {}
                    _ => k.schema = true,
                }
            }
        }
        Err(_) => {
            let first = sql
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            match first.as_str() {
                "truncate" => k.truncated.push(
                    sql.split_whitespace()
                        .find(|w| {
                            !w.eq_ignore_ascii_case("truncate") && !w.eq_ignore_ascii_case("table")
                        })
                        .unwrap_or("?")
                        .trim_end_matches(';')
                        .to_owned(),
                ),
                "insert" | "update" | "delete" | "merge" => k.data = true,
                _ => k.schema = true,
            }
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_update_and_ddl_are_told_apart() {
        let k = kinds(
            "TRUNCATE TABLE audit_log; UPDATE users SET a = 1",
            Dialect::Postgres,
        );
        assert_eq!(k.truncated, ["audit_log"]);
        assert!(k.data);
        assert!(!k.schema);
        let k = kinds("ALTER TABLE users ADD COLUMN b int", Dialect::Mysql);
        assert!(k.schema && !k.data && k.truncated.is_empty());
    }
}
